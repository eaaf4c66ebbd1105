#!/usr/bin/env python3
"""Trains the post-voice model (rules/README.md "The post-voice model") on the dev corpus.

The model is a logistic regression over word and word-pair counts that says how much a
post reads as being about a patient (phi: true) rather than about the poster, their own
family, staff, an organisation or public people. Linkage lowers a linked finding to info
when the words around it score below the threshold, and text that scores at or above the
raise threshold with no identifier kept near it gets a finding of its own
(phi.reads_as_patient).

  python3 rules/tools/train_voice_model.py            # writes the model into the pack
  python3 rules/tools/train_voice_model.py --check    # exit 1 if the committed model differs
  python3 rules/tools/train_voice_model.py --cross-validate --phiguard build/release/host/phiguard
      # each dev file scored by a model trained without it: the honest dev estimate
      # (--thresholds and --raise-thresholds compare pairs of thresholds)

Reads tests/eval/posts/*.jsonl only: the blind splits (tests/eval/blind) are never
training data. Deterministic (fixed seeds, rounded weights), standard library only.

Tokenisation must match host/src/scan/voice_score.cc, which reads the scanner's normalised
text: letters with accents as their base letter, curly apostrophes as "'"; then runs of
ASCII letters lower-cased (one apostrophe followed by letters stays inside a word), a run of
digits as "0", everything else a separator; each word and each pair of consecutive words
is a feature.
"""
import argparse
import collections
import json
import math
import pathlib
import random
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata

# The word lists are read the way the tool that writes them reads them (this file is also
# loaded by path from tests, so its own folder is put on the path first).
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import make_word_lists  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
POSTS = ROOT / 'tests' / 'eval' / 'posts'
PACKS = ROOT / 'rules' / 'packs'
PACK = PACKS / 'not-patient-cues.json'
WEIGHTS = 'lists/voice-model.txt'

EPOCHS = 10
LEARNING_RATE = 0.1
L2 = 1e-3
KEEP = 20000       # features kept, by the size of their weight
THRESHOLD = 0.1    # below this probability a linked finding stays at info (rules/README.md says how it was chosen)
RAISE = 0.99       # at or above it, text with no identifier near gets a finding of its own (same)
# The weights shipped are the average of those at the end of each epoch from this one on:
# with a constant learning rate SGD ends wherever the last posts of the last shuffle left it,
# and the average sits nearer the optimum. Held out per file (49 files, 2026-12-07): 91.2 % /
# 2.7 % without raising and 93.0 % / 3.3 % at 0.99, against 91.1 / 2.8 and 93.1 / 3.5 for
# the last epoch's weights (averaging from the sixth epoch: 91.0 / 2.7 and 92.9 / 3.2).
AVERAGE_FROM = 2
DIGITS = 4         # weights are rounded, so the file is the same on every machine

APOSTROPHES = {'\u2018': "'", '\u2019': "'", '\u02bc': "'", '\u2032': "'"}
WORD = re.compile(r"[a-z]+(?:'[a-z]+)?|[0-9]+")


def words(text):
    folded = ''.join(APOSTROPHES.get(c, c) for c in unicodedata.normalize('NFKD', text)
                     if not unicodedata.combining(c))
    # Only ASCII letters and digits make words, as in the scanner.
    folded = ''.join(c if c.isascii() else ' ' for c in folded).lower()
    return ['0' if w[0].isdigit() else w for w in WORD.findall(folded)]


def word_list(name):
    return set(make_word_lists.read_list(PACKS / 'lists' / name))


# People's names are not features: a surname or given name in a dev post says who that post
# was about, not how posts about patients read, and a weight on it moves every post that
# names someone else by it (a held-out name lowered a real patient). Given names that are
# also common words ("will", "grace", "mark") stay.
NAMES = word_list('surnames.txt') | (word_list('given-names.txt') - word_list('common-words.txt'))


def features(text):
    w = words(text)
    counts = collections.Counter(x for x in w if x not in NAMES)
    counts.update(f'{a} {b}' for a, b in zip(w, w[1:]) if a not in NAMES and b not in NAMES)
    return counts


def load(paths):
    records = []
    for path in paths:
        for line in pathlib.Path(path).read_text(encoding='utf-8').splitlines():
            if line.strip():
                records.append(json.loads(line))
    return records


def train(records):
    """(weights, bias) by stochastic gradient descent on the log loss, L2-regularised, the
    weights of the later epochs averaged."""
    data = [(features(r['text']), 1.0 if r['phi'] else 0.0) for r in records]
    weights = collections.defaultdict(float)
    bias = 0.0
    snapshots = []  # (weights, bias) at the end of each epoch averaged
    for epoch in range(EPOCHS):
        random.Random(epoch).shuffle(data)
        for counts, label in data:
            z = bias + sum(weights[f] * n for f, n in counts.items())
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            g = p - label
            bias -= LEARNING_RATE * g
            for f, n in counts.items():
                weights[f] -= LEARNING_RATE * (g * n + L2 * weights[f])
        if epoch >= AVERAGE_FROM:
            snapshots.append((dict(weights), bias))
    weights = collections.defaultdict(float)
    for snapshot, _ in snapshots:
        for f, w in snapshot.items():
            weights[f] += w / len(snapshots)
    bias = sum(b for _, b in snapshots) / len(snapshots)
    kept = sorted(weights.items(), key=lambda kv: (-abs(kv[1]), kv[0]))[:KEEP]
    kept = {f: round(w, DIGITS) for f, w in kept if round(w, DIGITS) != 0.0}
    return kept, round(bias, DIGITS)


def weights_text(weights):
    lines = ['# The post-voice model\'s weights: "feature<TAB>weight", written by',
             '# rules/tools/train_voice_model.py from tests/eval/posts (CC0, this project\'s',
             '# own labelled posts). Do not edit by hand: retrain.']
    lines += [f'{f}\t{w}' for f, w in sorted(weights.items())]
    return '\n'.join(lines) + '\n'


def write_model(packs_dir, weights, bias, threshold=THRESHOLD, raise_threshold=RAISE):
    """raise_threshold 0: the model only lowers."""
    pack_path = packs_dir / PACK.name
    pack = json.loads(pack_path.read_text(encoding='utf-8'))
    pack['voice_model'] = {
        'note': 'Trained by rules/tools/train_voice_model.py; see rules/README.md.',
        'weights_file': WEIGHTS, 'bias': bias, 'threshold': threshold}
    if raise_threshold:
        pack['voice_model']['raise_threshold'] = raise_threshold
    pack_path.write_text(json.dumps(pack, indent=1, ensure_ascii=False) + '\n', encoding='utf-8')
    (packs_dir / WEIGHTS).write_text(weights_text(weights), encoding='utf-8')


def dev_files():
    files = sorted(POSTS.glob('*.jsonl'))
    if not files:
        sys.exit(f'train_voice_model: no posts in {POSTS}')
    return files


def cross_validate(phiguard, thresholds, errors_path=None):
    """Per dev file: post recall and false alarms with a model trained on the other files,
    at each (threshold, raise threshold) pair asked for (one training per file, so comparing
    thresholds is cheap).
    With errors_path, the held-out misses and false alarms at the first threshold are written
    there as JSON: the posts a model that never saw them gets wrong are the nearest sample of
    what goes wrong on unseen text, and they can be studied where the blind splits cannot."""
    files = dev_files()
    totals = {t: [0, 0, 0, 0] for t in thresholds}
    errors = {'threshold': thresholds[0], 'missed_posts': [], 'false_alarm_posts': []}
    for held_out in files:
        weights, bias = train(load([f for f in files if f != held_out]))
        records = load([held_out])
        phi = sum(1 for r in records if r['phi'])
        clean = sum(1 for r in records if not r['phi'] and not r.get('policy'))
        scores = []
        with tempfile.TemporaryDirectory() as tmp:
            packs = pathlib.Path(tmp) / 'packs'
            shutil.copytree(PACKS, packs)  # once per held-out file; each threshold rewrites the model
            for threshold in thresholds:
                write_model(packs, weights, bias, *threshold)
                done = subprocess.run(
                    [sys.executable, str(ROOT / 'tests' / 'eval' / 'run_eval.py'), '--phiguard',
                     phiguard, '--rules', str(packs), '--posts', str(held_out), '--json'],
                    capture_output=True, text=True)
                if done.returncode not in (0, 1):
                    sys.exit(f'run_eval failed on {held_out.name}: {done.stderr[-300:]}')
                posts = json.loads(done.stdout)['posts']['dev']
                total = totals[threshold]
                total[0] += round(posts['post_recall'] * phi)
                total[1] += phi
                total[2] += round(posts['false_alarms'] * clean)
                total[3] += clean
                if threshold == thresholds[0]:
                    errors['missed_posts'] += posts['missed_posts']
                    errors['false_alarm_posts'] += posts['false_alarm_posts']
                scores.append(f'recall {posts["post_recall"]:.3f}  '
                              f'false alarms {posts["false_alarms"]:.3f}')
        print(f'{held_out.name:18} ' + '  |  '.join(scores), flush=True)
    for threshold in thresholds:
        recall, phi, alarms, clean = totals[threshold]
        label = ('all, held out' if len(thresholds) == 1
                 else f'held out @ {threshold[0]:g}/{threshold[1]:g}')
        print(f'{label:18} recall {recall / phi:.3f}  false alarms {alarms / clean:.3f}')
    if errors_path:
        pathlib.Path(errors_path).write_text(json.dumps(errors, indent=1) + '\n', encoding='utf-8')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--check', action='store_true',
                        help='exit 1 when the committed model is not what training gives')
    parser.add_argument('--cross-validate', action='store_true',
                        help='score each dev file with a model trained without it')
    parser.add_argument('--phiguard', default=str(ROOT / 'build' / 'release' / 'host' / 'phiguard'))
    parser.add_argument('--thresholds', default=str(THRESHOLD),
                        help='with --cross-validate: comma-separated thresholds to compare '
                             f'(default {THRESHOLD}, the one the pack ships)')
    parser.add_argument('--raise-thresholds', default=str(RAISE),
                        help='with --cross-validate: comma-separated raise thresholds to compare, '
                             f'each with every threshold (default {RAISE}; 0: the model only lowers)')
    parser.add_argument('--errors', metavar='FILE',
                        help='with --cross-validate: write the held-out misses and false alarms '
                             '(post ids, first threshold) to FILE as JSON')
    args = parser.parse_args()
    if args.cross_validate:
        pairs = [(float(t), float(r)) for t in args.thresholds.split(',')
                 for r in args.raise_thresholds.split(',')]
        cross_validate(args.phiguard, pairs, args.errors)
        return 0
    records = load(dev_files())
    weights, bias = train(records)
    if args.check:
        pack = json.loads(PACK.read_text(encoding='utf-8')).get('voice_model', {})
        committed = (PACKS / WEIGHTS).read_text(encoding='utf-8') if (PACKS / WEIGHTS).exists() else ''
        if (committed != weights_text(weights) or pack.get('bias') != bias
                or pack.get('threshold') != THRESHOLD or pack.get('raise_threshold') != RAISE):
            print('train_voice_model: the committed model is not what the dev corpus trains; '
                  'run rules/tools/train_voice_model.py', file=sys.stderr)
            return 1
        print(f'train_voice_model: model current ({len(weights)} features)')
        return 0
    write_model(PACKS, weights, bias)
    print(f'train_voice_model: {len(weights)} features, bias {bias}, threshold {THRESHOLD}, '
          f'raise threshold {RAISE}, '
          f'trained on {len(records)} posts')
    return 0


if __name__ == '__main__':
    sys.exit(main())
