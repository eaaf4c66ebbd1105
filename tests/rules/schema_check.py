#!/usr/bin/env python3
"""Every shipped pack validates against rules/schema/pack.schema.json, so the schema that
editors and authors see never drifts from the packs the loader accepts.
Skips (exit 77) where the jsonschema module is not installed."""
import json
import pathlib
import sys

try:
    import jsonschema
except ImportError:
    print('jsonschema not installed: skipped')
    sys.exit(77)

ROOT = pathlib.Path(__file__).resolve().parents[2]
schema = json.loads((ROOT / 'rules/schema/pack.schema.json').read_text())
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
failed = 0
packs = sorted((ROOT / 'rules/packs').glob('*.json'))
for path in packs:
    errors = list(validator.iter_errors(json.loads(path.read_text())))
    for e in errors[:5]:
        print(f'{path.name}: {"/".join(map(str, e.path))}: {e.message[:200]}')
    failed += bool(errors)
print(f'{len(packs) - failed} passed, {failed} failed')
sys.exit(1 if failed else 0)
