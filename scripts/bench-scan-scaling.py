#!/usr/bin/env python3
"""Does `phiguard scan` cost grow linearly with its input, in every output mode?

Generates two files of mixed text with identifiers (4 MB and 8 MB by default, the larger
twice the smaller, made of the same paragraphs), times `phiguard scan` on each in each output
mode (linter lines, --json, --jsonl with the file as one record, --count), prints the
seconds and the large/small ratio, and exits 1 when a ratio exceeds the limit (2.3: the
budget in docs/design.md). Best of --runs runs, the two sizes in turn; process start and rule loading included
(the compiled-rules cache is filled first).

usage: scripts/bench-scan-scaling.py [--phiguard PATH] [--megabytes 4] [--runs 5] [--limit 2.3]
                                     [--modes linter json jsonl count]
"""
import argparse
import json
import os
import pathlib
import random
import subprocess
import sys
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parents[1]

CLEAN = [
    'Huge thanks to the night shift on 4 North for another week of great teamwork.',
    'Join us Saturday for the community wellness fair in the main lobby, 9 to 1.',
    'Flu shots are available at every clinic, no appointment needed.',
    'Our new parking garage opens next month; the shuttle runs until then.',
    'Reminder: hand hygiene saves lives. Thank you for everything you do.',
]


def phi_sentence(rng):
    """A synthetic sentence with identifiers tied to a patient and health information."""
    ssn = f'{rng.randint(100, 665)}-{rng.randint(10, 99)}-{rng.randint(1000, 9999)}'
    mrn = rng.randint(10_000_000, 99_999_999)
    phone = f'(617) 555-01{rng.randint(0, 99):02d}'
    shapes = [
        f'Pt Maria Lopez, MRN {mrn}, admitted with chest pain to room {rng.randint(100, 999)}.',
        f'My patient gave SSN {ssn} at intake for her diabetes follow-up.',
        f'The patient\'s daughter called {phone} about his chemotherapy schedule.',
        f'Email the discharge summary for the 94 y/o with pneumonia to jlopez{mrn}@example.com.',
    ]
    return rng.choice(shapes)


def make_text(megabytes, seed=7):
    """`megabytes` MB of paragraphs, about one sentence in three with identifiers."""
    rng = random.Random(seed)
    target = megabytes * 1_000_000
    parts, size = [], 0
    while size < target:
        sentences = [phi_sentence(rng) if rng.random() < 0.33 else rng.choice(CLEAN)
                     for _ in range(rng.randint(2, 6))]
        paragraph = ' '.join(sentences) + '\n\n'
        parts.append(paragraph)
        size += len(paragraph.encode())
    return ''.join(parts)


MODES = {
    'linter': lambda path: ['scan', path],
    'json': lambda path: ['scan', '--json', path],
    'jsonl': lambda path: ['scan', '--jsonl', path + '.jsonl'],
    'count': lambda path: ['scan', '--count', path],
}


def run_once(command):
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    took = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f'{" ".join(command)} exited {done.returncode}: '
                         f'{done.stderr.decode()[-300:]}')
    return took


def fastest_pair(commands, runs):
    """Best time of each command, the commands run in turn: on a shared machine a burst of
    someone else's work then slows both sizes, not only one."""
    best = [float('inf')] * len(commands)
    for _ in range(runs):
        for i, command in enumerate(commands):
            best[i] = min(best[i], run_once(command))
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--phiguard', default=str(REPO / 'build' / 'release' / 'host' / 'phiguard'))
    parser.add_argument('--megabytes', type=int, default=4, help='the smaller size (MB)')
    parser.add_argument('--runs', type=int, default=5)
    parser.add_argument('--limit', type=float, default=2.3)
    parser.add_argument('--modes', nargs='+', choices=list(MODES), default=list(MODES))
    args = parser.parse_args()
    if not pathlib.Path(args.phiguard).exists():
        raise SystemExit(f'{args.phiguard} not found: build the release preset first')
    subprocess.run([args.phiguard, 'rules', 'compile'], capture_output=True)  # fill the cache

    small_mb, large_mb = args.megabytes, 2 * args.megabytes
    with tempfile.TemporaryDirectory(prefix='phiguard-scaling-') as work:
        files = {}
        for mb in (small_mb, large_mb):
            path = os.path.join(work, f'mixed-{mb}mb.txt')
            text = make_text(mb)
            pathlib.Path(path).write_text(text)
            pathlib.Path(path + '.jsonl').write_text(json.dumps({'id': 1, 'text': text}) + '\n')
            files[mb] = path
        print(f'{"mode":8} {small_mb:>6} MB {large_mb:>6} MB   ratio')
        worst = 0.0
        for mode in args.modes:
            sizes = (small_mb, large_mb)
            times = fastest_pair([[args.phiguard, *MODES[mode](files[mb]), '--fail-on', 'never']
                                  for mb in sizes], args.runs)
            seconds = dict(zip(sizes, times))
            ratio = seconds[large_mb] / seconds[small_mb]
            worst = max(worst, ratio)
            flag = '' if ratio <= args.limit else f'  over {args.limit}'
            print(f'{mode:8} {seconds[small_mb]:7.2f} s {seconds[large_mb]:7.2f} s  '
                  f'{ratio:5.2f}{flag}', flush=True)
    if worst > args.limit:
        print(f'FAILED: cost grows faster than linearly ({worst:.2f} > {args.limit})')
        return 1
    print(f'linear: every ratio at most {args.limit}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
