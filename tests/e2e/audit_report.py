#!/usr/bin/env python3
"""`phiguard audit report` over what a running host wrote (issue #15): records written
through `audit` requests, with a hashed device identity from the configuration, are
counted per category, rule, site, outcome, verdict, justification, rules version and
device, in the table, CSV and JSON; the time range and outcome filters apply; the default
files are the configured audit file and its rotated copies; a line that is not a record is
skipped and counted, never printed; bad input is refused with exit code 2.
Usage: audit_report.py HOST CLI
"""
import csv
import io
import json
import subprocess
import sys

from host_session import Checks, HostSession, IsolatedUser

HOST, CLI = sys.argv[1], sys.argv[2]
EVENTS = [
    {'verdict': 'warn', 'outcome': 'posted', 'rules': ['phi.ssn'], 'categories': ['ssn']},
    {'verdict': 'warn', 'outcome': 'posted_anyway', 'justification': 'consent_on_file',
     'rules': ['phi.ssn'], 'categories': ['ssn', 'health']},
    {'verdict': 'block', 'outcome': 'blocked', 'rules': ['phi.mrn'], 'categories': ['mrn']},
]


def main() -> int:
    user = IsolatedUser('phiguard-auditreport-')
    work, env = user.work, user.env
    audit_file = work / 'audit' / 'audit.jsonl'
    user.write_config({'audit': {'enabled': True, 'file': str(audit_file), 'device_identity': 'hashed'}})
    check = Checks()

    def report(*args):
        return subprocess.run([CLI, 'audit', 'report', *args], env=env, capture_output=True,
                              text=True, timeout=600)

    host = HostSession(HOST, 'chrome-extension://audit-report-test/', env)
    try:
        # Records may name only a rules version the host has had in force.
        version = host.ask({'type': 'hello'})['rules']['version']
        for event in EVENTS:
            reply = host.ask({'type': 'audit', 'event': dict(event, site='x.com', rules_version=version)})
            check(f"{event['outcome']} recorded", reply.get('recorded') is True, reply)
    finally:
        code, _ = host.close()
    check('the host exits cleanly', code == 0, code)
    records = [json.loads(line) for line in audit_file.read_text().splitlines() if line]
    devices = {r.get('device') for r in records}
    check('every record carries one hashed device id', len(devices) == 1
          and all(isinstance(d, str) and d.startswith('h:') and len(d) == 34 for d in devices), devices)
    device = next(iter(devices))
    # A rotated copy from earlier, with a line the user wrote by hand.
    rotated = audit_file.with_name('audit.1.jsonl')
    old = dict(records[0], time='2020-01-01T00:00:00Z')
    rotated.write_text(json.dumps(old) + '\n' + 'Ottoline Barnsworth was here\n')

    as_json = report('--json')
    check('json: exit 0', as_json.returncode == 0, as_json.stderr)
    data = json.loads(as_json.stdout) if as_json.returncode == 0 else {}
    counts = data.get('counts', {})
    check('the default files include the rotated copy', data.get('records') == 4, data)
    check('the hand-written line is skipped and counted', data.get('skipped') == 1, data)
    check('the skipped line is not echoed', 'Ottoline' not in as_json.stdout + as_json.stderr,
          as_json.stderr)
    check('counts per category', counts.get('category') == {'ssn': 3, 'health': 1, 'mrn': 1},
          counts.get('category'))
    check('counts per rule, site, outcome, verdict, justification, rules version, device',
          counts.get('rule') == {'phi.ssn': 3, 'phi.mrn': 1} and counts.get('site') == {'x.com': 4}
          and counts.get('outcome') == {'posted': 2, 'posted_anyway': 1, 'blocked': 1}
          and counts.get('verdict') == {'warn': 3, 'block': 1}
          and counts.get('justification') == {'consent_on_file': 1}
          and counts.get('rules_version') == {version: 4} and counts.get('device') == {device: 4}, counts)

    ranged = json.loads(report('--json', '--since', '2021-01-01', str(audit_file)).stdout)
    check('--since leaves the old record out', ranged['records'] == 3, ranged)
    until = json.loads(report('--json', '--until', '2020-01-01', str(rotated)).stdout)
    check('--until with a date includes that whole day', until['records'] == 1, until)
    posted = json.loads(report('--json', '--outcome', 'posted').stdout)
    check('--outcome posted counts only what went out', posted['records'] == 2, posted)

    table = report()
    check('table: exit 0 and one line per value',
          table.returncode == 0 and 'audit records: 4' in table.stdout
          and any(line.split() == ['ssn', '3'] for line in table.stdout.splitlines()), table.stdout)
    as_csv = report('--csv')
    rows = list(csv.reader(io.StringIO(as_csv.stdout)))
    check('csv: header and rows', rows and rows[0] == ['dimension', 'value', 'count']
          and ['outcome', 'posted', '2'] in rows, rows[:5])

    for args, why in [(['--since', 'yesterday'], 'bad --since'),
                      (['--since', '2026-12-05', '--until', '2026-12-01'], '--until before --since'),
                      (['--csv', '--json'], 'two formats'),
                      (['--outcome', 'shouted'], 'unknown outcome'),
                      ([str(work / 'missing.jsonl')], 'a missing file')]:
        bad = report(*args)
        check(f'{why}: exit 2 with a message', bad.returncode == 2 and bad.stderr.strip(),
              (bad.returncode, bad.stderr))
    user.remove()
    return check.exit_code()


if __name__ == '__main__':
    sys.exit(main())
