"""Checks JSON-LD against schema.org's vocabulary: every `@type` names a schema.org type and every property is
one schema.org defines for that type or a type it inherits from.

The vocabulary is read from `schema-dts` (npm; Google's TypeScript definitions generated from schema.org's
own data): `interface XLeaf extends XBase { "@type": "X" }` declares a type, `interface XBase extends YBase`
its properties and its parents. Usage: check_schema_org.py SCHEMA.d.ts JSONLD... ; exit 0 when every
document conforms, 1 with the problems on stderr, 3 when the vocabulary file is missing.
"""

import json
import re
import sys


def vocabulary(path):
    text = open(path, encoding="utf-8").read()
    blocks = {}
    for match in re.finditer(r"^(?:export )?interface (\w+) extends ([^{]+)\{\n(.*?)^\}", text, re.M | re.S):
        parents = [p.strip() for p in match.group(2).split(",")]
        props = set(re.findall(r'^\s+"([^"@][^"]*)"\??:', match.group(3), re.M))
        blocks[match.group(1)] = (parents, props)
    types = {}
    for name, (parents, _) in blocks.items():
        if name.endswith("Leaf"):
            declared = re.search(r'interface ' + name + r' extends [^{]+\{\n\s+"@type": "([^"]+)"', text)
            if declared:
                types[declared.group(1)] = name
    return blocks, types


def properties(blocks, name, seen=None):
    seen = set() if seen is None else seen
    if name in seen or name not in blocks:
        return set()
    seen.add(name)
    parents, props = blocks[name]
    out = set(props)
    for parent in parents:
        out |= properties(blocks, parent, seen)
    return out


def check(node, blocks, types, where, problems):
    if isinstance(node, list):
        for i, item in enumerate(node):
            check(item, blocks, types, f"{where}/{i}", problems)
        return
    if not isinstance(node, dict):
        return
    kind = node.get("@type")
    allowed = None
    if kind is not None:
        if kind not in types:
            problems.append(f"{where}: `{kind}` is not a schema.org type")
        else:
            allowed = properties(blocks, types[kind])
    for key, value in node.items():
        if key.startswith("@"):
            continue
        if allowed is not None and key not in allowed:
            problems.append(f"{where}: `{key}` is not a property of schema.org `{kind}`")
        check(value, blocks, types, f"{where}/{key}", problems)


def main():
    try:
        blocks, types = vocabulary(sys.argv[1])
    except OSError as error:
        print(f"schema-dts is not installed (npm install -g schema-dts): {error}", file=sys.stderr)
        return 3
    if len(types) < 500:
        print(f"only {len(types)} types read from {sys.argv[1]}: the file's format changed", file=sys.stderr)
        return 1
    problems = []
    for path in sys.argv[2:]:
        document = json.load(open(path, encoding="utf-8"))
        if document.get("@context") != "https://schema.org":
            problems.append(f"{path}: @context is not https://schema.org")
        check(document, blocks, types, path, problems)
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(types)} schema.org types known; {len(sys.argv) - 2} document(s) checked", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
