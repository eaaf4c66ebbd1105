#!/usr/bin/env python3
"""The organisation's allow-list at the host (issue #16), over the real protocol: after a
`configure` with `policy.allowList`, a listed staff name and the organisation's number
written another way are no longer found, a listed name no longer links a health word, names
and numbers not on the list still are, a malformed list is refused naming the field (and
leaves the list in force alone), a configure without the list clears it, and neither the
entries nor the scanned text reach the host's log or stderr. The machine's own list
(`allow_list` in the system configuration) is in force from the host's start, stays beside
the policy's, and `phiguard scan` applies it as the host does.

Usage: allow_list.py HOST CLI
"""
import json
import subprocess
import sys

from host_session import Checks, HostSession, IsolatedUser

HOST, CLI = sys.argv[1], sys.argv[2]
ALLOW = ['Jordan Rivera', '(555) 555-2000']
STAFF = 'My patient Jordan Rivera was admitted with sepsis last night'
NUMBER = 'My patient with diabetes, call 555.555.2000 or (555)555-2000'
OTHERS = 'My patient Ottoline Barnsworth was admitted with sepsis, call 412-687-2000'
FRAGMENTS = ['Jordan', 'Rivera', '555-2000', '555.555', 'Ottoline', 'Barnsworth', '687-2000']


def main() -> int:
    user = IsolatedUser('phiguard-allowlist-')
    env = user.env
    check = Checks()

    def categories(reply):
        return {f['category'] for f in reply.get('findings', [])}

    def linked(reply):
        return [f['rule'] for f in reply.get('findings', []) if f['action'] != 'info']

    host = HostSession(HOST, 'chrome-extension://allow-list-test/', env)
    try:
        scan = lambda text: host.ask({'type': 'scan', 'text': text, 'site': 'x.com'})  # noqa: E731
        before = {text: scan(text) for text in (STAFF, NUMBER, OTHERS)}
        check('without a list the staff name is found and linked',
              'name' in categories(before[STAFF]) and before[STAFF]['verdict'] != 'allow',
              before[STAFF])
        check('without a list the number is found', 'phone' in categories(before[NUMBER]),
              before[NUMBER])

        configured = host.ask({'type': 'configure', 'policy': {'allowList': ALLOW}})
        check('configure takes the list', configured.get('type') == 'configured', configured)

        staff = scan(STAFF)
        check('a listed name is not found', 'name' not in categories(staff), staff['findings'])
        check('a listed name links no health word', staff['verdict'] == 'allow' and not linked(staff),
              staff)
        number = scan(NUMBER)
        check('the listed number written otherwise is not found',
              'phone' not in categories(number) and number['verdict'] == 'allow', number['findings'])
        others = scan(OTHERS)
        check('a name and a number not on the list are still found',
              {'name', 'phone'} <= categories(others) and others['verdict'] != 'allow',
              others['findings'])

        for policy, field in [({'allowList': 'Jordan Rivera'}, 'policy.allowList'),
                              ({'allowList': ['x'] * 1001}, 'policy.allowList'),
                              ({'allowList': ['ok', 7]}, 'policy.allowList[1]'),
                              ({'allowList': ['ok', 'y' * 201]}, 'policy.allowList[1]')]:
            refused = host.ask({'type': 'configure', 'policy': policy})
            check(f'{field} refused: {refused.get("message")}',
                  refused.get('type') == 'error' and refused.get('code') == 'bad_request'
                  and refused.get('message', '').startswith(field + ':')
                  and 'yyyy' not in refused.get('message', ''), refused)
        check('a refused configure leaves the list in force', scan(STAFF)['verdict'] == 'allow')
        edge = host.ask({'type': 'configure', 'policy': {'allowList': ['z' * 200] + ['a'] * 999}})
        check('1000 entries of 200 bytes are taken', edge.get('type') == 'configured', edge)

        host.ask({'type': 'configure', 'policy': {}})
        check('a configure without the list clears it', 'name' in categories(scan(STAFF)))
    finally:
        code, stderr = host.close()
    check('the host exits cleanly', code == 0, code)

    # The machine's own list, from the system configuration.
    user.write_config({'allow_list': ['Jordan Rivera']})
    host = HostSession(HOST, 'chrome-extension://allow-list-test/', env)
    try:
        scan = lambda text: host.ask({'type': 'scan', 'text': text, 'site': 'x.com'})  # noqa: E731
        check('the machine list is in force from the start', 'name' not in categories(scan(STAFF)))
        host.ask({'type': 'configure', 'policy': {'allowList': ['(555) 555-2000']}})
        check('the policy list adds to the machine list',
              'name' not in categories(scan(STAFF)) and 'phone' not in categories(scan(NUMBER)))
        host.ask({'type': 'configure', 'policy': {}})
        check('clearing the policy list keeps the machine list',
              'name' not in categories(scan(STAFF)) and 'phone' in categories(scan(NUMBER)))
    finally:
        code, more_stderr = host.close()
        stderr += more_stderr
    check('the host exits cleanly again', code == 0, code)
    cli = subprocess.run([CLI, 'scan', '--json'], input=STAFF.encode(), env=env, capture_output=True)
    found = [f['category'] for f in json.loads(cli.stdout).get('findings', [])] if cli.stdout else None
    check('phiguard scan applies the machine list', found is not None and 'name' not in found,
          cli.stderr[-300:])
    stderr += cli.stderr

    host_log = user.host_log()
    check('the host logged the configure', 'allow-list entries' in host_log, host_log[-500:])
    check.nothing_leaked(FRAGMENTS, {'host log': host_log, 'stderr': stderr.decode('utf-8', 'replace')},
                         what='entry or scanned text')
    user.remove()
    return check.exit_code()


if __name__ == '__main__':
    sys.exit(main())
