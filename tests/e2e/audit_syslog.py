#!/usr/bin/env python3
"""Audit records reach syslog (issue #6): a running host, audit on with syslog, a local
datagram socket standing in for /dev/log (journald or rsyslog listen there).

Checks that every decision recorded in the audit file also arrives as one syslog datagram,
tagged "phiguard[pid]", facility user, severity info, carrying the same JSON record; that
a syslog daemon that goes away and comes back gets records again; and that neither the
datagrams nor the file hold any fragment of the text that was scanned.
Usage: audit_syslog.py HOST
"""
import json
import re
import socket
import sys

from host_session import Checks, HostSession, IsolatedUser

HOST = sys.argv[1]
CANARY = 'Ottoline Barnsworth SSN 219-44-7816 MRN 99887766 admitted with sepsis'
FRAGMENTS = ['Ottoline', 'Barnsworth', '219-44-7816', '99887766', 'sepsis']
SYSLOG_LINE = re.compile(r'^<14>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d phiguard\[(\d+)\]: (\{.*\})$')


def listen(path):
    daemon = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    daemon.bind(str(path))
    daemon.settimeout(5)
    return daemon


def event(outcome, justification=None):
    record = {'site': 'x.com', 'verdict': 'warn', 'outcome': outcome,
              'rules': ['phi.ssn'], 'categories': ['ssn']}
    if justification:
        record['justification'] = justification
    return {'type': 'audit', 'event': record}


def main() -> int:
    user = IsolatedUser('phiguard-syslog-')
    work, env = user.work, user.env
    socket_path = work / 'log.sock'
    audit_file = work / 'audit' / 'audit.jsonl'
    user.write_config({'audit': {'enabled': True, 'syslog': True, 'syslog_socket': str(socket_path),
                                 'file': str(audit_file)}})
    check = Checks()

    daemon = listen(socket_path)
    host = HostSession(HOST, 'chrome-extension://audit-test/', env)
    datagrams = []
    try:
        scan = host.ask({'type': 'scan', 'text': CANARY, 'site': 'x.com'})
        check('the canary scans as PHI', scan.get('verdict') == 'block', scan.get('verdict'))
        first = host.ask(event('posted_anyway', 'consent_on_file'))
        check('the host records the decision', first.get('recorded') is True, first)
        datagrams.append(daemon.recv(65536))

        # The daemon restarts: its socket is replaced. The host reconnects on its own.
        daemon.close()
        socket_path.unlink()
        gone = host.ask(event('cancelled'))
        check('with no syslog daemon the decision is still recorded in the file',
              gone.get('recorded') is True, gone)
        daemon = listen(socket_path)
        again = host.ask(event('edited'))
        check('a restarted syslog daemon gets records again', again.get('recorded') is True, again)
        try:
            datagrams.append(daemon.recv(65536))
        except socket.timeout:
            check('the record after the restart arrived', False, 'no datagram within 5 s')
    finally:
        code, stderr = host.close()
        daemon.close()
    check('the host exits cleanly', code == 0, code)

    lines = [line for line in audit_file.read_text().splitlines() if line]
    check('three records in the audit file', len(lines) == 3, lines)
    parsed = []
    for raw in datagrams:
        match = SYSLOG_LINE.match(raw.decode('utf-8', 'replace'))
        check('a syslog datagram: <14>, timestamp, phiguard[pid]', match is not None, raw[:80])
        if match:
            check('the datagram names the host process', int(match.group(1)) == host.proc.pid,
                  match.group(1))
            parsed.append(match.group(2))
    check('syslog got the records of the file, except while it was away',
          parsed == [lines[0], lines[2]] if len(lines) == 3 else False, (parsed, lines))
    if parsed:
        first_record = json.loads(parsed[0])
        check('the record says what the user did', first_record.get('outcome') == 'posted_anyway'
              and first_record.get('justification') == 'consent_on_file', first_record)
    host_log = user.host_log()
    check.nothing_leaked(FRAGMENTS, {'syslog': b''.join(datagrams).decode('utf-8', 'replace'),
                                     'audit file': audit_file.read_text(),
                                     'stderr': stderr.decode('utf-8', 'replace'), 'host log': host_log})
    check('the missing daemon is logged once', host_log.count('syslog socket') == 1,
          host_log[-400:])
    user.remove()
    return check.exit_code()


if __name__ == '__main__':
    sys.exit(main())
