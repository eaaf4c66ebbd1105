#!/usr/bin/env python3
"""The bad-input matrix (issue #8): the real phiguard-host against hostile and odd input.

Every row sends one input to a running host and says what must come back: a reply of a
given type or error code, or a clean exit. After each row that leaves the host running, a
ping must still be answered. Scans of 10 MB, emoji-only and combining-only text, and, for
every rule of the default packs, pathological inputs built from its own examples (digit
runs stretched, separators repeated, the example repeated to 64 KB) must each finish
within a bound; the slowest are printed. Never hangs: every exchange has a deadline.
Usage: bad_input_matrix.py HOST RULES_DIR
"""
import json
import os
import pathlib
import re
import struct
import subprocess
import sys
import tempfile
import time

from host_session import seed_rule_cache

HOST, RULES_DIR = sys.argv[1], pathlib.Path(sys.argv[2])
EXCHANGE_DEADLINE_S = 60      # no single reply may take longer: a hang fails, it never blocks CI
# The first start compiles every rule with no cache to read (unless seeded, under ASan); under
# ASan on a loaded 2-core machine that took over 60 s once. It is a warm-up, not a hang check,
# so it gets ten times the longest seen rather than the exchange bound.
FIRST_COMPILE_DEADLINE_S = 600
# Sanitized builds allocate 20 to 30 times slower (ASan's quarantine); CMake sets the scale
# for them. The bounds catch blow-ups (backtracking, quadratic work), not slow hardware.
TIME_SCALE = float(os.environ.get('PHIGUARD_TIME_SCALE', '1'))
SCAN_BOUND_S = 2.0 * TIME_SCALE            # generous: real scans take micro- to milliseconds
SCAN_BOUND_PER_MIB_S = 5.0 * TIME_SCALE    # the bound for texts of megabytes
# Every RULE_STRIDE-th rule gets its pathological inputs (1: all of them). The release run
# takes every rule, for the time bounds; the sanitized run, which looks for memory errors in
# the same scan paths rather than slow rules, takes a quarter (CMake sets it), so CI's
# slowest phase does not pay ASan's price for 900 scans of 64 KB.
RULE_STRIDE = max(1, int(os.environ.get('PHIGUARD_RULE_STRIDE', '1')))
MiB = 1024 * 1024


def frame(payload: bytes) -> bytes:
    return struct.pack('=I', len(payload)) + payload


def request(obj) -> bytes:
    return frame(json.dumps(obj, ensure_ascii=False).encode('utf-8'))


class Host:
    def __init__(self, env):
        self.proc = subprocess.Popen([HOST, 'chrome-extension://matrix/'], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
        os.set_blocking(self.proc.stdout.fileno(), False)
        self.buffer = b''

    def send(self, data: bytes):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def _read(self, n, deadline):
        while len(self.buffer) < n:
            if time.monotonic() > deadline:
                raise TimeoutError('no reply before the deadline')
            try:
                chunk = self.proc.stdout.read(1 << 20)
            except BlockingIOError:
                chunk = None
            if chunk == b'':
                raise EOFError('the host closed its output')
            if chunk:
                self.buffer += chunk
            else:
                time.sleep(0.001)
        out, self.buffer = self.buffer[:n], self.buffer[n:]
        return out

    def reply(self, deadline_s=EXCHANGE_DEADLINE_S):
        deadline = time.monotonic() + deadline_s
        (n,) = struct.unpack('=I', self._read(4, deadline))
        return json.loads(self._read(n, deadline))

    def ask(self, data: bytes):
        self.send(data)
        return self.reply()

    def exit_code(self):
        self.proc.stdin.close()
        try:
            return self.proc.wait(timeout=EXCHANGE_DEADLINE_S)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return 'hung'


problems = []


def check(name, ok, detail=''):
    print(f"{'ok  ' if ok else 'FAIL'} {name}", flush=True)
    if not ok:
        problems.append(f'{name}: {detail}')


def scan_frame(text):
    return request({'type': 'scan', 'id': 1, 'text': text, 'site': 'matrix.test'})


# (name, bytes to send, what must come back: 'result', an error code, or 'exit')
REPLY_ROWS = [
    ('zero-length frame', frame(b''), 'bad_json'),
    ('frame of only whitespace', frame(b'   \n'), 'bad_json'),
    ('invalid UTF-8 in a string', frame(b'{"type":"scan","id":1,"text":"a\xff\xfeb"}'), 'bad_json'),
    ('overlong UTF-8 encoding of "/"', frame(b'{"type":"scan","id":1,"text":"\xc0\xaf"}'), 'bad_json'),
    ('lone high surrogate escape', frame(b'{"type":"scan","id":1,"text":"x\\ud800y"}'), 'bad_json'),
    ('lone low surrogate escape', frame(b'{"type":"scan","id":1,"text":"\\udc00"}'), 'bad_json'),
    ('nesting 10,000 deep', frame(b'[' * 10000 + b']' * 10000), 'bad_json'),
    ('object nesting 40 deep', frame(b'{"a":' * 40 + b'1' + b'}' * 40), 'bad_json'),
    ('id a 400-digit integer', frame(b'{"type":"ping","id":' + b'9' * 400 + b'}'), 'bad_json'),
    ('id 2^64', frame(b'{"type":"ping","id":18446744073709551616}'), 'pong'),
    ('id -2^63', frame(b'{"type":"ping","id":-9223372036854775808}'), 'pong'),
    ('id a float', frame(b'{"type":"ping","id":1.5}'), 'pong'),
    ('id 1e999', frame(b'{"type":"ping","id":1e999}'), 'bad_json'),
    ('a NUL inside the text', scan_frame('MRN\u0000 12345678'), 'result'),
    ('text made of 300,000 emoji', scan_frame('\U0001F600' * 300_000), 'result'),
    ('text made of 500,000 combining marks', scan_frame('\u0301' * 500_000), 'result'),
    ('text of zero-width joiners and variation selectors', scan_frame('\u200d\ufe0f' * 200_000), 'result'),
    ('text just under the 4 MiB cap', scan_frame('a' * (4 * MiB - 64)), 'result'),
    ('text over the 4 MiB cap', scan_frame('1' * (4 * MiB + 1)), 'too_large'),
    ('10 MB of text (frame over the 8 MiB cap)', scan_frame('Patient SSN 219-44-7816 ' * 420_000), 'too_large'),
    ('frame length 0xFFFFFFFF with no body', struct.pack('=I', 0xFFFFFFFF), 'too_large'),
]

EXIT_ROWS = [
    ('truncated header', b'\x05\x00'),
    ('truncated body', struct.pack('=I', 100) + b'{"type":"ping"'),
]


def kind_of(reply):
    if reply.get('type') == 'error':
        return reply.get('code')
    return reply.get('type')


def run_reply_rows(env):
    host = Host(env)
    try:
        for name, data, expected in REPLY_ROWS:
            start = time.monotonic()
            try:
                reply = host.ask(data)
            except (TimeoutError, EOFError) as error:
                check(name, False, str(error))
                host = Host(env)
                continue
            took = time.monotonic() - start
            got = kind_of(reply)
            check(f'{name}: {expected} ({took * 1000:.0f} ms)', got == expected, got)
            if got == 'result':
                bound = max(SCAN_BOUND_S, SCAN_BOUND_PER_MIB_S * len(data) / MiB)
                check(f'{name}: scanned within {bound:.1f} s', took < bound, took)
            # A frame over the cap is read no further: the stream cannot be trusted and the host
            # ends. Otherwise it must keep serving.
            if expected == 'too_large' and 'frame' in name:
                check(f'{name}: then the host exits cleanly', host.exit_code() == 0)
                host = Host(env)
                continue
            pong = host.ask(request({'type': 'ping', 'id': 'after'}))
            check(f'{name}: the host keeps serving', pong.get('type') == 'pong', pong)
    finally:
        host.exit_code()


def run_exit_rows(env):
    for name, data in EXIT_ROWS:
        host = Host(env)
        host.send(data)
        check(f'{name}: the host exits cleanly', host.exit_code() == 0)


# --- per-rule pathological inputs ---------------------------------------------------------

def stretch_digits(text, length=5000):
    return re.sub(r'\d+', lambda m: (m.group(0) * length)[:length], text)


def repeat_separators(text, times=2000):
    return re.sub(r'[-/.:\s]', lambda m: (m.group(0) + ' ') * times, text)


def repeat_to(text, size=64 * 1024):
    return (text * (size // max(1, len(text)) + 1))[:size]


def pathological_inputs(rules):
    generic = [
        ('digits', '7' * 60_000),
        ('dashed digits', '1-' * 30_000),
        ('dots', '.' * 60_000),
        ('slashes and digits', '1/' * 30_000),
        ('spaced digits', '4 ' * 30_000),
        ('at signs', 'a@' * 30_000),
        ('colons', 'f:' * 30_000),
    ]
    for name, text in generic:
        yield f'generic: {name}', text
    for rule in rules:
        example = (rule.get('examples') or [''])[0]
        if not example:
            continue
        yield f"{rule['id']}: digit runs stretched", stretch_digits(example)
        yield f"{rule['id']}: separators repeated", repeat_separators(example)
        yield f"{rule['id']}: example repeated to 64 KB", repeat_to(example + ' ')


def run_rule_rows(env):
    rules = []
    for path in sorted(RULES_DIR.glob('*.json')):
        rules.extend(json.loads(path.read_text())['rules'])
    rules = rules[::RULE_STRIDE]
    host = Host(env)
    timings = []
    failures = 0
    try:
        for name, text in pathological_inputs(rules):
            start = time.monotonic()
            try:
                reply = host.ask(scan_frame(text))
            except (TimeoutError, EOFError) as error:
                failures += 1
                check(name, False, str(error))
                host = Host(env)
                continue
            took = time.monotonic() - start
            timings.append((took, reply.get('scan_us', 0), name))
            if reply.get('type') != 'result' or took >= SCAN_BOUND_S:
                failures += 1
                check(name, False, f"{kind_of(reply)} in {took:.2f} s")
    finally:
        host.exit_code()
    sampled = f' (every {RULE_STRIDE}th)' if RULE_STRIDE > 1 else ''
    check(f'{len(timings)} pathological inputs over {len(rules)} rules{sampled}: every one answered '
          f'within {SCAN_BOUND_S} s', failures == 0 and len(timings) > len(rules))
    print('slowest pathological inputs (round trip, host scan time):')
    for took, scan_us, name in sorted(timings, reverse=True)[:8]:
        print(f'  {took * 1000:8.1f} ms  {scan_us / 1000:8.1f} ms  {name}')


def main() -> int:
    work = tempfile.mkdtemp(prefix='phiguard-matrix-')
    env = dict(os.environ, HOME=work, XDG_STATE_HOME=work + '/state', XDG_CACHE_HOME=work + '/cache',
               PHIGUARD_RULES_DIR=str(RULES_DIR), PHIGUARD_CONFIG=work + '/no-config.json')
    seed_rule_cache(env['XDG_CACHE_HOME'])
    warm = Host(env)  # the first start compiles the rules; later starts read the cache
    warm.send(request({'type': 'hello', 'id': 0}))
    check('the host starts and answers',
          kind_of(warm.reply(deadline_s=FIRST_COMPILE_DEADLINE_S)) == 'hello')
    warm.exit_code()
    run_reply_rows(env)
    run_exit_rows(env)
    run_rule_rows(env)
    print(f'{len(problems)} problem(s)')
    for p in problems:
        print('  ' + p[:300])
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
