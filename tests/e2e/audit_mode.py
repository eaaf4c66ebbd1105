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
import sys

from host_session import Checks, HostSession, IsolatedUser

HOST = sys.argv[1]
SAMPLE = 'My patient Ottoline Barnsworth was admitted with sepsis last night'
SSN = 'Her SSN is 219-44-7816 and she has diabetes'
FRAGMENTS = ['Ottoline', 'Barnsworth', '219-44-7816', 'sepsis', 'diabetes']


def main() -> int:
    user = IsolatedUser('phiguard-auditmode-')
    audit_file = user.work / 'audit' / 'audit.jsonl'
    user.write_config({'audit': {'file': str(audit_file)}})
    check = Checks()

    host = HostSession(HOST, 'chrome-extension://audit-mode-test/', user.env)
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
    check.nothing_leaked(FRAGMENTS, {'audit file': audit_file.read_text(), 'host log': user.host_log(),
                                     'stderr': stderr.decode('utf-8', 'replace')})
    user.remove()
    return check.exit_code()


if __name__ == '__main__':
    sys.exit(main())
