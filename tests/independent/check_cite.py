"""Reads `guidekit cite` output with independent parsers: BibTeX with bibtexparser (v1, 1.4.x), RIS with
rispy, CSL-JSON against the official CSL-JSON schema (csl-data.json) with jsonschema.

Usage: check_cite.py CSL_SCHEMA ITEMS.csl.json ITEMS.bib ITEMS.ris

The CSL-JSON file is the reference: it must validate against the schema, and the BibTeX and RIS files must
hold the same items (same keys, same order), with the same titles and DOIs once their escaping is undone.
Exit 0 when all agree, 1 on any difference, 3 when a parser is not installed (the caller decides whether
that is a skip).
"""

import json
import re
import sys

try:
    import bibtexparser
    import jsonschema
    import rispy
    from bibtexparser.bparser import BibTexParser
except ImportError as error:  # the caller skips, or fails under CI
    print(f"missing Python module: {error.name} (pip install 'bibtexparser<2' rispy jsonschema)", file=sys.stderr)
    sys.exit(3)

# guidekit's BibTeX escapes, undone: the test is that they are lossless.
UNESCAPE = [
    ("\\textbackslash{}", "\\"),
    ("\\textbraceleft{}", "{"),
    ("\\textbraceright{}", "}"),
    ("\\textasciicircum{}", "^"),
    ("\\textasciitilde{}", "~"),
    ("{@}", "@"),
]


def unescape_bibtex(text):
    out = []
    i = 0
    while i < len(text):
        for escaped, plain in UNESCAPE:
            if text.startswith(escaped, i):
                out.append(plain)
                i += len(escaped)
                break
        else:
            if text[i] == "\\" and i + 1 < len(text) and text[i + 1] in "#$%&_":
                out.append(text[i + 1])
                i += 2
            else:
                out.append(text[i])
                i += 1
    return "".join(out)


def main():
    schema_path, csl_path, bib_path, ris_path = sys.argv[1:5]
    failures = []
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    with open(csl_path, encoding="utf-8") as f:
        items = json.load(f)
    validator = jsonschema.Draft7Validator(schema)
    for error in validator.iter_errors(items):
        failures.append(f"CSL-JSON: {'/'.join(map(str, error.absolute_path))}: {error.message}")

    with open(bib_path, encoding="utf-8") as f:
        bib_text = f.read()
    parser = BibTexParser(common_strings=False, interpolate_strings=False)
    parser.ignore_nonstandard_types = False
    parser.homogenize_fields = False
    entries = bibtexparser.loads(bib_text, parser=parser).entries
    if [e["ID"] for e in entries] != [i["id"] for i in items]:
        failures.append(f"BibTeX keys {[e['ID'] for e in entries]} != CSL ids {[i['id'] for i in items]}")
    for entry, item in zip(entries, items):
        title = entry.get("title", "")
        # guidekit doubles the title's braces to keep its capitals.
        if title.startswith("{") and title.endswith("}"):
            title = title[1:-1]
        if unescape_bibtex(title) != item["title"]:
            failures.append(f"BibTeX {entry['ID']}: title {title!r} != {item['title']!r}")
        if "DOI" in item and unescape_bibtex(entry.get("doi", "")) != item["DOI"].strip():
            failures.append(f"BibTeX {entry['ID']}: doi {entry.get('doi')!r} != {item['DOI']!r}")
        if "PMID" in item and unescape_bibtex(entry.get("pmid", "")) != item["PMID"].strip():
            failures.append(f"BibTeX {entry['ID']}: pmid {entry.get('pmid')!r} != {item['PMID']!r}")
        if "URL" in item and entry.get("url") != item["URL"]:
            failures.append(f"BibTeX {entry['ID']}: url {entry.get('url')!r} != {item['URL']!r}")

    with open(ris_path, encoding="utf-8", newline="") as f:
        records = rispy.load(f)
    if len(records) != len(items):
        failures.append(f"RIS: {len(records)} records, CSL-JSON: {len(items)} items")
    for record, item in zip(records, items):
        title = record.get("title") or record.get("primary_title")
        expected = re.sub(r"[\x00-\x1f\x7f-\x9f]", " ", item["title"]).strip()
        if title != expected:
            failures.append(f"RIS {item['id']}: title {title!r} != {expected!r}")
        if "DOI" in item and record.get("doi") != item["DOI"].strip():
            failures.append(f"RIS {item['id']}: doi {record.get('doi')!r} != {item['DOI']!r}")
        if "URL" in item and item["URL"] not in (record.get("urls") or [record.get("url")]):
            failures.append(f"RIS {item['id']}: url {record.get('urls')!r} lacks {item['URL']!r}")

    for failure in failures:
        print(failure)
    print(f"{len(items)} items: CSL-JSON valid, {len(entries)} BibTeX entries, {len(records)} RIS records; "
          f"{len(failures)} problems")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
