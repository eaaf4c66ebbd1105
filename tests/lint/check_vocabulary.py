#!/usr/bin/env python3
"""Keeps the lists that repeat the host's vocabulary in step with it.

The host's lists (what the pack loader checks against) are printed by
`phiguard rules vocabulary`; this compares them with every copy a person or program reads:
  - rules/schema/pack.schema.json: the category, validator and surface enums;
  - extension/src/shared/categories.js: the categories the extension knows;
  - extension/src/shared/sites.js: the surfaces the extension sends, and the covered hosts
    (audit records may name only those, or the organisation's extraSites);
  - rules/README.md: the validator table (section 4).
Usage: check_vocabulary.py PHIGUARD SOURCE_DIR      (CTest lint.vocabulary)
"""
import json
import pathlib
import re
import subprocess
import sys


def main(phiguard, source):
    root = pathlib.Path(source)
    done = subprocess.run([phiguard, 'rules', 'vocabulary'], capture_output=True, text=True,
                          timeout=60)
    if done.returncode != 0:
        print(f'phiguard rules vocabulary exited {done.returncode}: {done.stderr}')
        return 1
    host = json.loads(done.stdout)
    problems = []

    def same(what, theirs, ours):
        missing, extra = set(ours) - set(theirs), set(theirs) - set(ours)
        if missing or extra:
            problems.append(f'{what}: missing {sorted(missing)}, not in the host {sorted(extra)}')

    schema = json.loads((root / 'rules/schema/pack.schema.json').read_text())
    rule = schema['$defs']['rule']['properties']
    same('pack.schema.json rule.category', set(rule['category']['enum']) - {'cue'},
         host['categories'])
    same('pack.schema.json rule.validate', rule['validate']['enum'], host['validators'])
    same('pack.schema.json surfaces', schema['properties']['surfaces']['items']['enum'],
         host['surfaces'])

    # The category table's keys: `name: ...` entries of the first object literal that holds
    # every category name the host has (the extension may keep labels elsewhere).
    categories_js = (root / 'extension/src/shared/categories.js').read_text()
    keys = re.findall(r'^\s+([a-z_]+):', categories_js, re.MULTILINE)
    same('extension/src/shared/categories.js', keys, host['categories'])

    sites_js = (root / 'extension/src/shared/sites.js').read_text()
    sent = set(re.findall(r"surface:\s*'([a-z_]+)'", sites_js)) | set(
        re.findall(r"\?\?\s*'([a-z_]+)'", sites_js))
    extra = sent - set(host['surfaces'])
    if extra:
        problems.append(f'extension/src/shared/sites.js sends surfaces the host does not know: {sorted(extra)}')

    hosts = re.findall(r"hosts:\s*\[([^\]]*)\]", sites_js)
    same('extension/src/shared/sites.js BUILT_IN_SITES hosts',
         [h for group in hosts for h in re.findall(r"'([^']+)'", group)], host['covered_sites'])

    readme = (root / 'rules/README.md').read_text()
    table = readme[readme.index('## 4. Validators'):readme.index('## 4a.')]
    same('rules/README.md validator table', re.findall(r'^\| `([a-z0-9_]+)` \|', table, re.MULTILINE),
         host['validators'])

    for problem in problems:
        print(problem)
    print(f"{len(host['categories'])} categories, {len(host['surfaces'])} surfaces, "
          f"{len(host['validators'])} validators: "
          f"{'every copy agrees' if not problems else f'{len(problems)} copies differ'}")
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1], sys.argv[2]))
