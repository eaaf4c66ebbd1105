#!/usr/bin/env python3
"""PHI Guard's scanner side by side with the alternatives, on one corpus, in one run.

Builds a corpus of posts (the project's labelled posts, tests/eval/posts/*.jsonl,
repeated to about 4 MB), exports the default packs' patterns (term lists as word-bounded
alternations), then times on the same bytes:
  - `phiguard scan --jsonl`: prefilter, RE2 confirmation, validators, context, linkage;
  - ripgrep with the equivalent pattern set (`rg --count-matches -f`): matching only;
  - the same patterns as V8 RegExp in node: what an extension without a host would do;
  - redact-pii from npm: what a JavaScript developer would pick;
and prints throughput and each engine's speed relative to phiguard. Each engine runs three
times and the fastest run counts (process start-up included for the command-line tools).
Then, when Chromium is there, the extension's in-browser round trip.

usage: compare.py [--phiguard PATH] [--megabytes N] [--no-browser]
"""
import argparse
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parents[2]
EVAL = REPO / 'tests' / 'eval' / 'posts'
NODE_DIR = REPO / 'tests' / 'bench' / 'node'


def load_rules():
    rules = []
    for path in sorted((REPO / 'rules' / 'packs').glob('*.json')):
        for rule in json.loads(path.read_text())['rules']:
            terms = list(rule.get('terms', []))
            if rule.get('terms_file'):
                lines = (path.parent / rule['terms_file']).read_text().splitlines()
                terms += [l.strip() for l in lines if l.strip() and not l.startswith('#')]
            rules.append((rule, terms))
    return rules


def escape(term):
    """A literal for Hyperscan, RE2, Rust regex and V8 alike: only metacharacters escaped
    (Python's re.escape also escapes '-' and ' ', which some of them refuse)."""
    return re.sub(r'([\\.^$|?*+()\[\]{}])', r'\\\1', term)


def expanded_patterns(binary):
    """{rule id: pattern} as the host compiles them: a pack's pattern may be lines, (?x)
    comments and fragments (rules/README.md "Readable patterns"), which only the loader
    turns into the one-line pattern the other engines here can read."""
    done = subprocess.run([binary, 'rules', 'patterns', str(REPO / 'rules' / 'packs')],
                          capture_output=True, text=True, check=True)
    return {row['id']: row['pattern'] for row in map(json.loads, done.stdout.splitlines())}


def exported_patterns(rules, expanded):
    """One regex per rule: the rule's pattern, or its terms as \\b(?:a|b|...)\\b."""
    out = []
    for rule, terms in rules:
        if rule.get('pattern'):
            pattern = expanded[rule['id']]
        else:
            words = sorted(terms, key=len, reverse=True)
            pattern = r'\b(?:' + '|'.join(escape(t) for t in words) + r')\b'
        out.append({'id': rule['id'], 'pattern': pattern, 'caseless': bool(rule.get('caseless'))})
    return out


def build_corpus(work, megabytes):
    texts = []
    for path in sorted(EVAL.glob('*.jsonl')):
        for line in path.read_text().splitlines():
            if line.strip():
                texts.append(json.loads(line)['text'])
    target = megabytes * 1024 * 1024
    posts, size = [], 0
    while size < target:
        for text in texts:
            posts.append(text)
            size += len(text.encode())
    jsonl = work / 'posts.jsonl'
    with jsonl.open('w') as f:
        for i, text in enumerate(posts):
            f.write(json.dumps({'id': str(i), 'text': text}) + '\n')
    # ripgrep reads lines: one post per line, its own newlines as spaces.
    (work / 'posts.txt').write_text(''.join(t.replace('\n', ' ') + '\n' for t in posts))
    return len(posts), size


def fastest(command, **kwargs):
    best, result = float('inf'), None
    for _ in range(3):
        start = time.perf_counter()
        result = subprocess.run(command, capture_output=True, **kwargs)
        best = min(best, time.perf_counter() - start)
    return best, result


def run_phiguard(binary, work, env, count_only):
    subprocess.run([binary, 'rules', 'compile'], capture_output=True, env=env)  # fill the cache
    mode = ['--count'] if count_only else []
    # Output to a file, as the other tools write theirs: a pipe into this script would time
    # Python reading 40 MB of findings, not the scanner.
    out = work / 'phiguard.out'
    best = float('inf')
    for _ in range(3):
        with (work / 'posts.jsonl').open('rb') as posts, out.open('wb') as sink:
            start = time.perf_counter()
            result = subprocess.run([binary, 'scan', '--jsonl', *mode, '--fail-on', 'never'], stdin=posts,
                                    stdout=sink, stderr=subprocess.PIPE, env=env)
            best = min(best, time.perf_counter() - start)
        if result.returncode != 0:
            raise SystemExit(f'phiguard scan failed ({result.returncode}): {result.stderr.decode()[-300:]}')
    if count_only:
        return best, out.read_text().strip() + ', validated and linked'
    with out.open() as lines:
        findings = sum(len(json.loads(line).get('findings', [])) for line in lines if line.strip())
    return best, f'{findings} findings as JSON lines ({out.stat().st_size / 1e6:.0f} MB of results)'


def run_ripgrep(work, patterns):
    usable, dropped = [], []
    for p in patterns:
        expression = f"(?i:{p['pattern']})" if p['caseless'] else p['pattern']
        check = subprocess.run(['rg', '--no-unicode', '--quiet', '-e', expression, '--', os.devnull],
                               capture_output=True)
        (dropped if check.returncode == 2 else usable).append(expression)
    (work / 'patterns.rg').write_text('\n'.join(usable) + '\n')
    # --no-unicode: Hyperscan and RE2 run here on bytes with ASCII \w, \b and case folding,
    # so that is the equivalent; rg's Unicode classes would cost it several times more.
    seconds, result = fastest(['rg', '--no-unicode', '--no-filename', '--count-matches', '-f',
                               str(work / 'patterns.rg'), str(work / 'posts.txt')])
    matches = sum(int(x) for x in result.stdout.split() if x.isdigit())
    note = f'{len(usable)} patterns, {matches} matches, matching only'
    if dropped:
        note += f'; {len(dropped)} refused by rg'
    return seconds, note


def run_node(work, patterns, engine):
    (work / 'patterns.json').write_text(json.dumps(patterns))
    args = [str(work / 'patterns.json'), str(work / 'posts.jsonl')] if engine == 'regexp' else [str(work / 'posts.jsonl')]
    result = subprocess.run(['node', str(NODE_DIR / 'js_engines.mjs'), engine, *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f'node {engine} failed: {result.stderr[-500:]}')
    report = json.loads(result.stdout.strip().splitlines()[-1])
    if engine == 'regexp':
        note = f"{report['patterns']} patterns, {report['matches']} matches, matching only"
        if report['skipped']:
            note += f"; {report['skipped']} refused by V8"
    else:
        note = f"its own patterns; changed {report['matches']} posts"
    return report['seconds'], note


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--phiguard', default=str(REPO / 'build' / 'release' / 'host' / 'phiguard'))
    parser.add_argument('--megabytes', type=int, default=4)
    parser.add_argument('--no-browser', action='store_true')
    args = parser.parse_args()
    if not any(EVAL.glob('*.jsonl')):
        print(f'compare: skipped, no corpus: {EVAL.relative_to(REPO)}/*.jsonl holds no posts')
        return
    for tool in ('rg', 'node'):
        if not shutil.which(tool):
            raise SystemExit(f'{tool} not found: scripts/install-deps.sh --with-browser installs it')
    if not pathlib.Path(args.phiguard).exists():
        raise SystemExit(f'{args.phiguard} not found: build the release preset first')
    if not (NODE_DIR / 'node_modules' / 'redact-pii').exists():
        subprocess.run(['npm', 'ci', '--no-audit', '--no-fund', '--loglevel=error'], cwd=NODE_DIR, check=True)

    work = pathlib.Path(tempfile.mkdtemp(prefix='phiguard-compare-'))
    env = dict(os.environ, XDG_CACHE_HOME=str(work / 'cache'), XDG_STATE_HOME=str(work / 'state'))
    count, size = build_corpus(work, args.megabytes)
    rules = load_rules()
    patterns = exported_patterns(rules, expanded_patterns(args.phiguard))
    print(f'corpus: {count} posts, {size / 1e6:.1f} MB (tests/eval/posts, repeated)')
    print(f'patterns: {len(patterns)} rules of the default packs, term lists as word-bounded alternations')
    print(f'machine: {os.cpu_count()} cores, {platform_cpu()}\n')

    rows = []
    for name, run in (('phiguard scan --count', lambda: run_phiguard(args.phiguard, work, env, True)),
                      ('phiguard scan (JSON)', lambda: run_phiguard(args.phiguard, work, env, False)),
                      ('ripgrep -f', lambda: run_ripgrep(work, patterns)),
                      ('V8 RegExp (node)', lambda: run_node(work, patterns, 'regexp')),
                      ('redact-pii (node)', lambda: run_node(work, patterns, 'redact-pii'))):
        print(f'  running {name} ...', file=sys.stderr, flush=True)
        seconds, note = run()
        rows.append((name, seconds, note))
    base = rows[0][1]
    # Ratios against `phiguard scan --count`, which writes a count as rg --count-matches does.
    print(f"{'engine':<22} {'seconds':>8} {'MB/s':>8} {'phiguard is':>13}  what it did")
    for name, seconds, note in rows:
        ratio = '' if seconds == base else f'{seconds / base:.1f}x faster' if seconds >= base else f'{base / seconds:.1f}x slower'
        print(f'{name:<22} {seconds:8.3f} {size / 1e6 / seconds:8.1f} {ratio:>13}  {note}')
    shutil.rmtree(work, ignore_errors=True)

    if not args.no_browser and pathlib.Path('/usr/bin/chromium').exists():
        print('\nIn-browser round trip (tests/extension/bench/roundtrip.mjs):', flush=True)
        host = pathlib.Path(args.phiguard).with_name('phiguard-host')
        subprocess.run(['node', str(REPO / 'tests' / 'extension' / 'bench' / 'roundtrip.mjs'), '--iterations', '200'],
                       env=dict(os.environ, PHIGUARD_HOST=str(host)), check=False)


def platform_cpu():
    try:
        for line in pathlib.Path('/proc/cpuinfo').read_text().splitlines():
            if line.startswith('model name'):
                return line.split(':', 1)[1].strip()
    except OSError:
        pass
    return 'unknown CPU'


if __name__ == '__main__':
    main()
