#!/usr/bin/env python3
"""Checks that rewriting packs into the readable form (rules/README.md "Readable patterns":
lines, (?x) comments, fragments) changed no pattern: every rule's pattern, as the loader
expands it, must be byte-identical to the same rule's pattern at git revision REV.

Both sides are expanded by the real loader (`phiguard rules patterns`), so the check holds
whatever form either revision is written in. Prints how many patterns were compared and
how many of them are written differently now, so a check that compared nothing shows.

usage: same_patterns.py REV [--phiguard PATH]      exit 0 same, 1 different, 2 cannot run
"""
import argparse
import json
import pathlib
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
PACKS = 'rules/packs'


def newest_phiguard():
    built = sorted(ROOT.glob('build/*/host/phiguard'), key=lambda p: p.stat().st_mtime)
    if not built:
        sys.exit('no phiguard in build/*/host: build it or pass --phiguard PATH')
    return str(built[-1])


def expanded(phiguard, packs_dir):
    done = subprocess.run([phiguard, 'rules', 'patterns', str(packs_dir)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f'phiguard rules patterns {packs_dir}: {done.stderr.strip()}')
    return {row['id']: row['pattern'] for row in map(json.loads, done.stdout.splitlines())}


def written(packs_dir):
    """{rule id: pattern as the JSON holds it (a string or a list)}."""
    out = {}
    for path in sorted(pathlib.Path(packs_dir).glob('*.json')):
        for rule in json.loads(path.read_text(encoding='utf-8'))['rules']:
            if 'pattern' in rule:
                out[rule['id']] = rule['pattern']
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('rev', help='git revision with the packs as they were')
    parser.add_argument('--phiguard', help='phiguard binary (default: newest build/*/host/phiguard)')
    args = parser.parse_args()
    phiguard = args.phiguard or newest_phiguard()

    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(['git', '-C', str(ROOT), 'archive', args.rev, PACKS],
                                 capture_output=True)
        if archive.returncode != 0:
            sys.exit(f'git archive {args.rev}: {archive.stderr.decode().strip()}')
        subprocess.run(['tar', '-x', '-C', tmp], input=archive.stdout, check=True)
        before_dir = pathlib.Path(tmp) / PACKS
        before, before_written = expanded(phiguard, before_dir), written(before_dir)
    after, after_written = expanded(phiguard, ROOT / PACKS), written(ROOT / PACKS)

    problems = []
    for rule_id in sorted(before.keys() | after.keys()):
        old, new = before.get(rule_id), after.get(rule_id)
        if old is None or new is None:
            problems.append(f'{rule_id}: pattern only {"after" if old is None else "before"}')
        elif old != new:
            at = next((i for i, (a, b) in enumerate(zip(old, new)) if a != b),
                      min(len(old), len(new)))
            problems.append(f'{rule_id}: differs from byte {at} '
                            f'(before {old[at:at + 30]!r}, after {new[at:at + 30]!r})')
    rewritten = sum(1 for i in after if after_written.get(i) != before_written.get(i))
    for line in problems:
        print(line)
    print(f'{len(before)} patterns compared with {args.rev}, {rewritten} written differently: '
          + ('all byte-identical once expanded' if not problems else f'{len(problems)} differ'))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
