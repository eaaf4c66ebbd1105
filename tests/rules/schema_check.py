#!/usr/bin/env python3
"""Every shipped pack validates against rules/schema/pack.schema.json, so the schema that
editors and authors see never drifts from the packs the loader accepts; and a table of
hand-made rules checks that the schema accepts and rejects what pack_loader.cc does.
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

GOOD = {'id': 'org.x', 'title': 't', 'category': 'ssn', 'kind': 'phi', 'severity': 'high',
        'action': 'warn', 'pattern': 'a', 'message': 'm', 'examples': ['a']}


def without(rule, *fields):
    return {k: v for k, v in rule.items() if k not in fields}


TERMS = {**without(GOOD, 'pattern'), 'terms': ['a']}

# (name, rule, the loader accepts it). Keep in step with host/src/rules/pack_loader.cc
# (fragment references are checked by the loader only: tests/unit/pack_loader_test.cc).
RULE_CASES = [
    # Matchers
    ('pattern', GOOD, True),
    ('terms', TERMS, True),
    ('terms_file', {**without(GOOD, 'pattern'), 'terms_file': 'lists/x.txt'}, True),
    ('terms and terms_file', {**TERMS, 'terms_file': 'lists/x.txt'}, True),
    ('pattern with empty terms', {**GOOD, 'terms': []}, True),
    ('pattern and terms', {**GOOD, 'terms': ['a']}, False),
    ('no matcher', without(GOOD, 'pattern'), False),
    ('empty pattern only', {**GOOD, 'pattern': ''}, False),
    ('empty term', {**TERMS, 'terms': ['']}, False),
    ('pattern as lines', {**GOOD, 'pattern': ['(?x) a  # the letter', '{{b}}']}, True),
    ('pattern list and terms', {**GOOD, 'pattern': ['a'], 'terms': ['a']}, False),
    ('empty pattern list only', {**GOOD, 'pattern': []}, False),
    ('pattern a number', {**GOOD, 'pattern': 5}, False),
    ('pattern list holding a number', {**GOOD, 'pattern': ['a', 1]}, False),
    ('absolute terms_file', {**without(GOOD, 'pattern'), 'terms_file': '/etc/x'}, False),
    ('terms_file with ..', {**without(GOOD, 'pattern'), 'terms_file': '../x.txt'}, False),
    # Kinds, linkage, evidence
    ('cue kind and category', {**TERMS, 'kind': 'cue', 'category': 'cue'}, True),
    ('cue kind alone', {**TERMS, 'kind': 'cue'}, False),
    ('cue category alone', {**TERMS, 'category': 'cue'}, False),
    ('linkage on phi', {**GOOD, 'linkage': 'patient_health'}, True),
    ('linkage on policy', {**GOOD, 'kind': 'policy', 'linkage': 'patient_health'}, False),
    ('evidence on cue', {**TERMS, 'kind': 'cue', 'category': 'cue', 'evidence': 'staff'}, True),
    ('evidence on phi', {**GOOD, 'evidence': 'staff'}, False),
    ('unknown category', {**GOOD, 'category': 'secret'}, False),
    # Fields and ranges
    ('unknown field', {**GOOD, 'flags': 1}, False),
    ('bad id', {**GOOD, 'id': 'Org.X'}, False),
    ('no examples', {**GOOD, 'examples': []}, False),
    ('empty message', {**GOOD, 'message': ''}, False),
    ('confidence above 1', {**GOOD, 'confidence': 1.5}, False),
    ('span_group 21', {**GOOD, 'span_group': 21}, False),
    ('window 0', {**GOOD, 'context': {'window': 0}}, False),
    ('required without raise', {**GOOD, 'context': {'required': True}}, False),
    ('required with raise', {**GOOD, 'context': {'required': True, 'raise': ['ssn']}}, True),
    ('unknown context field', {**GOOD, 'context': {'near': ['ssn']}}, False),
    ('note of any shape', {**GOOD, 'note': ['not read']}, True),
]


# (name, the pack's "fragments", the loader accepts it).
FRAGMENT_CASES = [
    ('string and lines', {'month': '(?:jan|feb)', 'day_2': ['(?x)', r'\d{1,2}  # day']}, True),
    ('none', {}, True),
    ('upper-case name', {'Month': 'x'}, False),
    ('name starting with a digit', {'1st': 'x'}, False),
    ('name with a dash', {'a-b': 'x'}, False),
    ('empty string', {'month': ''}, False),
    ('empty list', {'month': []}, False),
    ('a number', {'month': 5}, False),
    ('a list, not an object', ['x'], False),
]


def main():
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
    for name, rule, accepted in RULE_CASES:
        pack = {'pack': 'p', 'version': '1', 'description': 'd', 'rules': [rule]}
        if validator.is_valid(pack) != accepted:
            print(f'schema {"rejects" if accepted else "accepts"} a rule the loader '
                  f'{"accepts" if accepted else "rejects"}: {name}')
            failed += 1
    for name, fragments, accepted in FRAGMENT_CASES:
        pack = {'pack': 'p', 'version': '1', 'description': 'd', 'fragments': fragments,
                'rules': [GOOD]}
        if validator.is_valid(pack) != accepted:
            print(f'schema {"rejects" if accepted else "accepts"} fragments the loader '
                  f'{"accepts" if accepted else "rejects"}: {name}')
            failed += 1
    total = len(packs) + len(RULE_CASES) + len(FRAGMENT_CASES)
    print(f'{total - failed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
