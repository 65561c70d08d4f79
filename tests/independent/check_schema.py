"""Checks the committed guide schema with Python's `jsonschema`, an implementation independent of guidekit's.

The schema must be valid draft 2020-12; every bundled guide and valid fixture must pass; every invalid
fixture must fail. Exit 0 when all agree, 1 on a disagreement, 3 when `jsonschema` is not installed.
"""
import json
import importlib.metadata
import pathlib
import sys

try:
    import jsonschema
    from jsonschema import Draft202012Validator
except ImportError:
    print("python jsonschema is not installed (pip install jsonschema)", file=sys.stderr)
    sys.exit(3)

root = pathlib.Path(sys.argv[1])
schema = json.loads((root / "schemas/guide.schema.json").read_text(encoding="utf-8"))
Draft202012Validator.check_schema(schema)
validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)

failures = []
checked = 0
for folder, should_pass in [("guides", True), ("tests/fixtures/schema/valid", True), ("tests/fixtures/schema/invalid", False)]:
    for path in sorted((root / folder).glob("*.json")):
        checked += 1
        errors = list(validator.iter_errors(json.loads(path.read_text(encoding="utf-8"))))
        if should_pass and errors:
            failures.append(f"{path.relative_to(root)}: rejected: {errors[0].message}")
        if not should_pass and not errors:
            failures.append(f"{path.relative_to(root)}: accepted, but guidekit rejects it")

for failure in failures:
    print(failure)
print(f"python jsonschema {importlib.metadata.version('jsonschema')}: {checked} documents, {len(failures)} disagreements")
sys.exit(1 if failures else 0)
