#!/usr/bin/env python3
"""Runs phiguard-host over pipes against golden exchanges.

Each tests/e2e/golden/NAME.request.jsonl holds one request a line: a JSON value to send as
a frame, or {"raw_hex": "..."} for bytes that are not JSON (bad frames). NAME.response.jsonl
holds the replies expected, one a line; "scan_us" is compared by type only, since time varies.
Usage: run_golden.py HOST GOLDEN_DIR
"""
import json
import os
import pathlib
import struct
import subprocess
import sys
import tempfile


def frame(payload: bytes) -> bytes:
    return struct.pack('=I', len(payload)) + payload


def encode(line: str) -> bytes:
    value = json.loads(line)
    if isinstance(value, dict) and set(value) == {'raw_hex'}:
        return bytes.fromhex(value['raw_hex'])
    return frame(json.dumps(value, ensure_ascii=False).encode('utf-8'))


def decode_frames(data: bytes):
    replies, i = [], 0
    while i < len(data):
        (n,) = struct.unpack('=I', data[i:i + 4])
        replies.append(json.loads(data[i + 4:i + 4 + n]))
        i += 4 + n
    return replies


def normalise(reply):
    if isinstance(reply, dict) and 'scan_us' in reply:
        assert isinstance(reply['scan_us'], int), reply
        reply = dict(reply, scan_us='<int>')
    return reply


def run_case(host: str, request_file: pathlib.Path) -> list:
    lines = [l for l in request_file.read_text(encoding='utf-8').splitlines() if l.strip()]
    stdin = b''.join(encode(l) for l in lines)
    with tempfile.TemporaryDirectory() as home:
        # A fixed pack beside the goldens keeps them stable while the real packs evolve.
        env = dict(os.environ, HOME=home, XDG_STATE_HOME=home, XDG_CACHE_HOME=home,
                   PHIGUARD_RULES_DIR=str(request_file.parent / 'rules'))
        done = subprocess.run([host, 'chrome-extension://golden/'], input=stdin,
                              capture_output=True, timeout=600, env=env)
    problems = []
    if done.returncode != 0:
        problems.append(f'exit code {done.returncode}')
    expected_file = request_file.with_name(request_file.name.replace('.request.', '.response.'))
    expected = [json.loads(l) for l in expected_file.read_text(encoding='utf-8').splitlines()
                if l.strip()]
    actual = [normalise(r) for r in decode_frames(done.stdout)]
    if actual != expected:
        problems.append('replies differ:\n  expected ' + json.dumps(expected) +
                        '\n  actual   ' + json.dumps(actual))
    return problems


def main() -> int:
    host, golden = sys.argv[1], pathlib.Path(sys.argv[2])
    cases = sorted(golden.glob('*.request.jsonl'))
    failed = 0
    for case in cases:
        problems = run_case(host, case)
        name = case.name.replace('.request.jsonl', '')
        print(('ok    ' if not problems else 'FAIL  ') + name)
        for p in problems:
            print('      ' + p)
        failed += bool(problems)
    print(f'{len(cases) - failed} passed, {failed} failed')
    return 1 if failed or not cases else 0


if __name__ == '__main__':
    sys.exit(main())
