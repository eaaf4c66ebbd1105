#!/usr/bin/env python3
"""Privacy canary: composed text never reaches stderr or any file the programs write.

Runs phiguard-host (trace logging, every request shape, including malformed ones that
carry the text) and `phiguard scan` on a canary, then searches stderr and every file
under the temporary HOME/XDG directories for any canary fragment.
Usage: privacy_canary.py HOST CLI
"""
import json
import os
import pathlib
import struct
import subprocess
import sys
import tempfile

from host_session import seed_rule_cache

HOST, CLI = sys.argv[1], sys.argv[2]
CANARY = 'Zebediah Quillfeather SSN 219-44-7816 MRN 99887766 DOB 02/29/1952 chest pain'
FRAGMENTS = [b'Zebediah', b'Quillfeather', b'219-44-7816', b'99887766', b'02/29/1952']


def frame(payload: bytes) -> bytes:
    return struct.pack('=I', len(payload)) + payload


def leaks(blob: bytes):
    return [f.decode() for f in FRAGMENTS if f in blob]


def main() -> int:
    home = tempfile.mkdtemp(prefix='phiguard-canary-')
    env = dict(os.environ, HOME=home, XDG_STATE_HOME=home + '/state',
               XDG_CACHE_HOME=home + '/cache', XDG_CONFIG_HOME=home + '/config',
               TMPDIR=home, PHIGUARD_LOG_LEVEL='trace')
    seed_rule_cache(env['XDG_CACHE_HOME'])
    requests = [
        frame(json.dumps({'type': 'scan', 'id': 1, 'text': CANARY}).encode()),
        frame(json.dumps({'type': 'scan', 'id': 2, 'text': CANARY, 'site': 7}).encode()),
        frame(json.dumps({'type': CANARY, 'id': 3}).encode()),
        frame(b'{"type":"scan","text":"' + CANARY.encode() + b'"'),           # bad JSON
        frame(b'{"type":"scan","text":"' + CANARY.encode() + b'\xff"}'),      # bad UTF-8
        struct.pack('=I', 100) + CANARY.encode(),                             # truncated
    ]
    host = subprocess.run([HOST, 'chrome-extension://canary/'], input=b''.join(requests),
                          capture_output=True, env=env, timeout=600)
    problems = []
    if leaks(host.stderr):
        problems.append(f'host stderr holds {leaks(host.stderr)}')
    # The replies on stdout must not echo it either (docs/design.md: replies never echo text).
    if leaks(host.stdout):
        problems.append(f'host replies echo {leaks(host.stdout)}')
    cli = subprocess.run([CLI, 'scan', '--json'], input=CANARY.encode(), capture_output=True,
                         env=env, timeout=600)
    if leaks(cli.stderr):
        problems.append(f'cli stderr holds {leaks(cli.stderr)}')
    files = [p for p in pathlib.Path(home).rglob('*') if p.is_file()]
    if not any(p.suffix == '.log' for p in files):
        problems.append('no log file was written: the canary proves nothing')
    for path in files:
        found = leaks(path.read_bytes())
        if found:
            problems.append(f'{path} holds {found}')
    for p in problems:
        print('FAIL  ' + p)
    print(f'{0 if problems else 1} passed, {1 if problems else 0} failed '
          f'({len(files)} files searched)')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
