#!/usr/bin/env python3
"""Host start-up and resident memory, as the browser sees them (docs/design.md "Budgets":
start to first reply with a cached database <= 50 ms, resident memory <= 40 MB).

Starts phiguard-host as a browser would (the origin as its argument, frames on stdin) and
prints, as medians of --runs starts run one after another:
  - start to first reply: spawn to the hello reply, wall clock;
  - CPU time of a start: user + system of a host that answers one hello and exits (less
    noisy than wall time on a shared machine);
  - resident memory (VmRSS) after one small scan, and after --scans scans of 64 KB of the
    dev posts (tests/eval/posts), with the peak (VmHWM) and the part of it that is file
    pages (RssFile: a system cache used in place is mapped from the page cache, shared by
    every host, where a copy is each host's own); with --idle, again after that many
    seconds without a request (a host that waits 20 s lets go of RE2 matchers, main_host.cc);
  - the round trip of the first of those 64 KB scans, the one that scans (right after a
    start, so it also pays for the database pages it is the first to touch);
  - the size of the newest compiled-rules cache file the host reads (the system cache's
    when PHIGUARD_SYSTEM_CACHE_DIR names one, as in builds for tests).
The cache is filled by a first start that is not counted. No timing bound: it only prints.

usage: scripts/bench-startup.py [--host build/release/host/phiguard-host] [--runs 9] [--scans 20]
                               [--idle 25]
"""
import argparse
import glob
import json
import os
import pathlib
import statistics
import struct
import subprocess
import time

REPO = pathlib.Path(__file__).resolve().parents[1]
SMALL = 'Mr. Smith in room 4 had chemo today'


class Host:
    def __init__(self, path):
        self.proc = subprocess.Popen([path, 'chrome-extension://bench/'], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.next_id = 0

    def send(self, message):
        self.next_id += 1
        body = json.dumps(dict(message, id=str(self.next_id))).encode()
        self.proc.stdin.write(struct.pack('<I', len(body)) + body)
        self.proc.stdin.flush()
        length = struct.unpack('<I', self.proc.stdout.read(4))[0]
        return json.loads(self.proc.stdout.read(length))

    def status_kb(self, field):
        for line in open(f'/proc/{self.proc.pid}/status'):
            if line.startswith(field):
                return int(line.split()[1])
        return 0

    def close(self):
        """Ends the host; returns its (user + system) CPU seconds."""
        self.proc.stdin.close()
        _, _, usage = os.wait4(self.proc.pid, 0)
        self.proc.returncode = 0
        return usage.ru_utime + usage.ru_stime


def dev_posts(limit):
    texts = []
    for name in sorted(glob.glob(str(REPO / 'tests/eval/posts/*.jsonl'))):
        with open(name, encoding='utf-8') as f:
            texts.extend(json.loads(line)['text'] for line in f if line.strip())
    return '\n\n'.join(texts)[:limit]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--host', default=str(REPO / 'build/release/host/phiguard-host'))
    parser.add_argument('--runs', type=int, default=9)
    parser.add_argument('--scans', type=int, default=20)
    parser.add_argument('--idle', type=float, default=0,
                        help='seconds to wait after the scans before reading RSS again')
    args = parser.parse_args()

    warm = Host(args.host)
    warm.send({'type': 'hello', 'protocol': 1})
    warm.close()

    first_reply, cpu, rss_small = [], [], []
    for _ in range(args.runs):
        started = time.perf_counter()
        host = Host(args.host)
        host.send({'type': 'hello', 'protocol': 1})
        first_reply.append((time.perf_counter() - started) * 1000)
        cpu.append(host.close() * 1000)
        host = Host(args.host)
        host.send({'type': 'hello', 'protocol': 1})
        host.send({'type': 'scan', 'text': SMALL})
        rss_small.append(host.status_kb('VmRSS:') / 1024)
        host.close()

    big = dev_posts(65000)
    host = Host(args.host)
    host.send({'type': 'hello', 'protocol': 1})
    scan_ms = []
    for _ in range(args.scans):
        started = time.perf_counter()
        host.send({'type': 'scan', 'text': big})
        scan_ms.append((time.perf_counter() - started) * 1000)
    rss_big, peak = host.status_kb('VmRSS:') / 1024, host.status_kb('VmHWM:') / 1024
    rss_file = host.status_kb('RssFile:') / 1024
    if args.idle > 0:
        time.sleep(args.idle)
        rss_idle = host.status_kb('VmRSS:') / 1024
    host.close()

    folder = os.environ.get('PHIGUARD_SYSTEM_CACHE_DIR') or os.path.expanduser(
        os.path.join(os.environ.get('XDG_CACHE_HOME', '~/.cache'), 'phiguard'))
    cache = sorted(glob.glob(os.path.join(folder, 'rules-*.hsdb')), key=os.path.getmtime)
    print(f'load average          {os.getloadavg()[0]:.2f}')
    print(f'start to first reply  {statistics.median(first_reply):6.1f} ms '
          f'(min {min(first_reply):.1f}, max {max(first_reply):.1f})')
    print(f'CPU time of a start   {statistics.median(cpu):6.1f} ms '
          f'(min {min(cpu):.1f}, max {max(cpu):.1f})')
    print(f'RSS after one scan    {statistics.median(rss_small):6.1f} MB')
    print(f'RSS after {args.scans} x 64 KB   {rss_big:6.1f} MB (peak {peak:.1f} MB, '
          f'file pages {rss_file:.1f} MB)')
    if args.idle > 0:
        print(f'RSS {args.idle:g} s idle after  {rss_idle:6.1f} MB')
    if scan_ms:
        # A long text scanned again is rescanned only around what changed (the engine's
        # edit rescans), so only the first of the same text is a whole scan.
        print(f'first 64 KB scan      {scan_ms[0]:6.1f} ms (then {statistics.median(scan_ms[1:] or scan_ms):.1f} '
              f'ms a repeat)')
    if cache:
        print(f'cache file            {os.path.getsize(cache[-1]) / 1e6:6.1f} MB')


if __name__ == '__main__':
    main()
