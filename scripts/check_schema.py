#!/usr/bin/env python3
"""Check docs/schema/hardware.schema.json against the shipped and broken hardware files.

Every file in hardware/ must be accepted; every file in Tests/HardwareTests/Broken/
listed below as a schema error must be rejected (the others are errors the schema
cannot see: YAML syntax, semantics across keys, extends: chains).

    pip install jsonschema pyyaml && python3 scripts/check_schema.py
"""
import glob
import json
import os
import sys

import jsonschema
import yaml

ROOT = os.path.join(os.path.dirname(__file__), "..")
SCHEMA_ERRORS = [
    "accumulator-wrong-key", "bad-accumulator-kind", "bad-holds", "bad-memory-kind", "bad-tile", "bad-unit",
    "empty-tiles",
    "empty-memory", "missing-family", "missing-required", "missing-unit", "nan-clock", "negative-size",
    "top-level-list", "unknown-family", "unknown-key", "unknown-nested-key", "wrong-dimension",
    "wrong-type-int", "wrong-type-list", "wrong-type-mapping", "zero-clock",
]


def main():
    schema = json.load(open(os.path.join(ROOT, "docs", "schema", "hardware.schema.json")))
    validator = jsonschema.Draft7Validator(schema)
    failures = 0
    shipped = glob.glob(os.path.join(ROOT, "hardware", "*.yaml")) + glob.glob(os.path.join(ROOT, "docs", "examples", "hardware", "*.yaml"))
    for path in sorted(shipped):
        errors = list(validator.iter_errors(yaml.safe_load(open(path))))
        if errors:
            failures += 1
            print(f"{path}: schema rejects a shipped file: {errors[0].message}")
    for name in SCHEMA_ERRORS:
        path = os.path.join(ROOT, "Tests", "HardwareTests", "Broken", name + ".yaml")
        document = yaml.safe_load(open(path))
        if validator.is_valid(document):
            failures += 1
            print(f"{path}: schema accepts a broken file")
    print(f"schema check: {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
