"""Validates SARIF files against the official SARIF 2.1.0 JSON Schema (draft-07).

Usage: check_sarif.py SCHEMA FILE... Exit 0 when every file is valid, 1 when one is not, 3 when Python's
`jsonschema` is not installed.
"""
import json
import sys

try:
    from jsonschema import Draft7Validator
except ImportError:
    print("python jsonschema is not installed (pip install jsonschema)", file=sys.stderr)
    sys.exit(3)

schema = json.load(open(sys.argv[1], encoding="utf-8"))
validator = Draft7Validator(schema)
invalid = 0
for path in sys.argv[2:]:
    errors = sorted(validator.iter_errors(json.load(open(path, encoding="utf-8"))), key=lambda e: list(e.path))
    for error in errors[:20]:
        print(f"{path}: {'/'.join(map(str, error.path))}: {error.message}")
    invalid += bool(errors)
print(f"{len(sys.argv) - 2} SARIF file(s) checked, {invalid} invalid")
sys.exit(1 if invalid else 0)
