#!/usr/bin/env python3
"""Audit mode at the host (issue #15): a category whose enforcement is `audit` counts for
nothing in the verdict, its findings come back marked `audited` with their rule's action,
categories not in audit mode still warn and block, and with audit records on a `posted`
event is written as one content-free record.

The categories put in audit mode are the ones the real packs find in the sample, so the
test follows the packs rather than guessing rule ids.
Usage: audit_mode.py HOST
"""
import json
import os
import pathlib
import shutil
import sys
import tempfile

from host_session import HostSession

HOST = sys.argv[1]
SAMPLE = 'My patient Ottoline Barnsworth was admitted with sepsis last night'
SSN = 'Her SSN is 219-44-7816 and she has diabetes'
FRAGMENTS = ['Ottoline', 'Barnsworth', '219-44-7816', 'sepsis', 'diabetes']


def main() -> int:
    work = pathlib.Path(tempfile.mkdtemp(prefix='phiguard-auditmode-'))
    audit_file = work / 'audit' / 'audit.jsonl'
    config = work / 'config.json'
    config.write_text(json.dumps({'rules_dir': str(work / 'rules.d'),
                                  'audit': {'file': str(audit_file)}}))
    env = dict(os.environ, HOME=str(work), XDG_STATE_HOME=str(work / 'state'),
               XDG_CACHE_HOME=str(work / 'cache'), PHIGUARD_CONFIG=str(config))
    problems = []

    def check(name, ok, detail=''):
        print(f"{'ok  ' if ok else 'FAIL'} {name}")
        if not ok:
            problems.append(f'{name}: {detail}')

    host = HostSession(HOST, 'chrome-extension://audit-mode-test/', env)
    try:
        before = host.ask({'type': 'scan', 'text': SAMPLE, 'site': 'x.com'})
        shown = sorted({f['category'] for f in before['findings'] if f['action'] != 'info'})
        check('without policy the sample is held', before['verdict'] in ('warn', 'block') and shown,
              before['verdict'])
        check('without policy nothing is marked audited',
              not any('audited' in f for f in before['findings']), before['findings'])
        enforcement = {category: 'audit' for category in shown}
        enforcement['ssn'] = 'block'
        configured = host.ask({'type': 'configure', 'policy': {
            'enforcement': enforcement, 'audit': {'enabled': True}}})
        check('configure accepts audit mode and says so',
              configured.get('type') == 'configured'
              and all(configured['policy']['enforcement'].get(c) == 'audit' for c in shown)
              and configured.get('audit') is True, configured)

        after = host.ask({'type': 'scan', 'text': SAMPLE, 'site': 'x.com'})
        check('with its categories in audit mode the sample is allowed',
              after['verdict'] == 'allow', after['verdict'])
        audited = [f for f in after['findings'] if f.get('audited') is True]
        check('the findings come back marked audited, with their rule action',
              {f['category'] for f in audited} >= set(shown)
              and any(f['action'] != 'info' for f in audited), after['findings'])

        other = host.ask({'type': 'scan', 'text': SSN, 'site': 'x.com'})
        check('a category not in audit mode still blocks', other['verdict'] == 'block', other['verdict'])

        would_be = before['verdict']
        event = {'site': 'x.com', 'verdict': would_be, 'outcome': 'posted',
                 'rules': sorted({f['rule'] for f in audited}),
                 'categories': sorted({f['category'] for f in audited}),
                 'rules_version': after['rules_version']}
        recorded = host.ask({'type': 'audit', 'event': event})
        check('the post-time record is written', recorded.get('recorded') is True, recorded)
    finally:
        code, stderr = host.close()
    check('the host exits cleanly', code == 0, code)

    lines = [json.loads(line) for line in audit_file.read_text().splitlines() if line]
    check('one record in the audit file', len(lines) == 1, lines)
    if lines:
        record = lines[0]
        check('the record says the post went out with what would have happened',
              record.get('outcome') == 'posted' and record.get('verdict') == would_be
              and record.get('categories') == event['categories'], record)
    host_log = ''.join(p.read_text(errors='replace') for p in (work / 'state').rglob('*.log'))
    for where, text in {'audit file': audit_file.read_text(), 'host log': host_log,
                        'stderr': stderr.decode('utf-8', 'replace')}.items():
        found = [f for f in FRAGMENTS if f in text]
        check(f'no scanned text in {where}', not found, found)
    shutil.rmtree(work, ignore_errors=True)
    print(f'{len(problems)} problem(s)')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
