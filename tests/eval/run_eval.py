#!/usr/bin/env python3
"""Detection quality on the labelled sets in ../shared/eval (see its README for the
measures). Runs `phiguard scan --jsonl` once per set and prints:

  posts        post recall (PHI posts whose verdict is warn or block), false alarms
               (posts with no PHI and no policy flag whose verdict is not allow), and
               per-category recall (expected quotes overlapped by a same-category finding)
  identifiers  per-category recall on positives, and the share of negatives that get a
               finding of the category their note is about (any finding of the case's
               categories counts as a false find)
  presidio     agreement on the mapped entities: a finding of the mapped category
               overlapping each expected span, and none where the case expects none

Thresholds (--min-*, --max-*) make it a test: exit 1 when a number is worse. Output names
case ids only, never case text, so CI logs stay clean; --show-misses adds the text.
Usage: run_eval.py [--phiguard PATH] [--eval DIR] [thresholds] [--json] [--show-misses]
"""
import argparse
import collections
import json
import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
PRESIDIO_MAP = {
    'US_SSN': 'ssn', 'PHONE_NUMBER': 'phone', 'EMAIL_ADDRESS': 'email', 'IP_ADDRESS': 'ip',
    'URL': 'url', 'CREDIT_CARD': 'account', 'US_BANK_NUMBER': 'account',
    'ABA_ROUTING_NUMBER': 'account', 'IBAN_CODE': 'account', 'US_DRIVER_LICENSE': 'license',
    'MEDICAL_LICENSE': 'license', 'US_NPI': 'license', 'US_PASSPORT': 'license',
    'US_ITIN': 'other_id', 'MAC_ADDRESS': 'device', 'US_MBI': 'health_plan',
    'UK_NHS': 'health_plan', 'DATE_TIME': 'date', 'PERSON': 'name'}
# Close categories the eval README allows to be grouped for a lenient first pass.
LENIENT = [{'phone', 'fax'}, {'mrn', 'other_id', 'account'}, {'license', 'other_id'}]


def find_phiguard():
    for preset in ('release', 'dev', 'asan'):
        path = ROOT / 'build' / preset / 'host' / 'phiguard'
        if path.exists():
            return str(path)
    sys.exit('run_eval: build phiguard first (cmake --preset release && cmake --build ...)')


def scan_all(phiguard, records):
    lines = ''.join(json.dumps({'id': r['id'], 'text': r['text']}) + '\n' for r in records)
    done = subprocess.run([phiguard, 'scan', '--jsonl', '--fail-on', 'never'], input=lines.encode(),
                          capture_output=True, timeout=600)
    if done.returncode != 0:
        sys.exit(f'run_eval: phiguard scan failed ({done.returncode}): {done.stderr[:300]!r}')
    results = {}
    for line in done.stdout.decode().splitlines():
        result = json.loads(line)
        results[result['id']] = result
    return results


def utf16_len(text):
    return len(text.encode('utf-16-le')) // 2


def quote_spans(text, quote):
    """Every occurrence of quote in text, as UTF-16 [start, end)."""
    spans, pos = [], text.find(quote)
    while pos >= 0:
        start = utf16_len(text[:pos])
        spans.append((start, start + utf16_len(quote)))
        pos = text.find(quote, pos + 1)
    return spans


def overlaps(finding, span):
    return finding['start'] < span[1] and span[0] < finding['end']


def covered(findings, category, span):
    return any(f['category'] == category and overlaps(f, span) for f in findings)


def load(path):
    with open(path, encoding='utf-8') as f:
        return [json.loads(line) for line in f if line.strip()]


def eval_posts(phiguard, path):
    records = load(path)
    results = scan_all(phiguard, records)
    phi = [r for r in records if r['phi']]
    clean = [r for r in records if not r['phi'] and not r['policy']]
    caught = [r['id'] for r in phi if results[r['id']]['verdict'] != 'allow']
    alarms = [r['id'] for r in clean if results[r['id']]['verdict'] != 'allow']
    per_category = collections.defaultdict(lambda: [0, 0])
    missed_quotes = []
    for r in phi:
        for expect in r['expect']:
            spans = quote_spans(r['text'], expect['quote'])
            hit = any(covered(results[r['id']]['findings'], expect['category'], s) for s in spans)
            per_category[expect['category']][1] += 1
            per_category[expect['category']][0] += hit
            if not hit:
                missed_quotes.append((r['id'], expect['category'], expect['quote']))
    policy_posts = [r for r in records if r['policy']]
    policy_caught = [r['id'] for r in policy_posts if results[r['id']]['verdict'] != 'allow']
    return {
        'post_recall': len(caught) / len(phi),
        'false_alarms': len(alarms) / len(clean),
        'policy_recall': len(policy_caught) / max(1, len(policy_posts)),
        'category_recall': {c: v[0] / v[1] for c, v in sorted(per_category.items())},
        'category_counts': {c: v for c, v in sorted(per_category.items())},
        'missed_posts': [r['id'] for r in phi if r['id'] not in caught],
        'false_alarm_posts': alarms,
        'missed_quotes': missed_quotes,
        '_records': {r['id']: r for r in records},
    }


def eval_identifiers(phiguard, path):
    records = load(path)
    results = scan_all(phiguard, records)
    found = collections.defaultdict(lambda: [0, 0])
    misses, wrong = [], []
    for r in (r for r in records if r['phi']):
        findings = results[r['id']]['findings']
        for expect in r['expect']:
            hit = any(covered(findings, expect['category'], s)
                      for s in quote_spans(r['text'], expect['quote']))
            found[expect['category']][1] += 1
            found[expect['category']][0] += hit
            if not hit:
                misses.append((r['id'], expect['category']))
    negatives = [r for r in records if not r['phi']]
    # A negative is about the category its neighbours test; any PHI finding on it is wrong
    # unless it is only health information.
    for r in negatives:
        bad = [f['category'] for f in results[r['id']]['findings'] if f['kind'] == 'phi']
        if bad:
            wrong.append((r['id'], sorted(set(bad))))
    total = sum(v[1] for v in found.values())
    return {
        'recall': sum(v[0] for v in found.values()) / total,
        'category_recall': {c: v[0] / v[1] for c, v in sorted(found.items())},
        'category_counts': {c: v for c, v in sorted(found.items())},
        'negatives_flagged': len(wrong) / len(negatives),
        'negatives_total': len(negatives),
        'misses': misses,
        'wrong': wrong,
        '_records': {r['id']: r for r in records},
    }


def eval_presidio(phiguard, path):
    records = [r for r in load(path)
               if r['entity'] in PRESIDIO_MAP and not r.get('requires_ner')
               and r.get('expected') is not None]
    for i, r in enumerate(records):
        r['id'] = f"p{i:04d}"
    results = scan_all(phiguard, records)
    per_entity = collections.defaultdict(lambda: [0, 0])
    disagreements = []
    for r in records:
        category = PRESIDIO_MAP[r['entity']]
        findings = results[r['id']]['findings']
        text = r['text']
        if r['expected']:
            ok = True
            for start, end in r['expected']:
                span = (utf16_len(text[:start]), utf16_len(text[:end]))
                ok &= covered(findings, category, span)
        else:
            ok = not any(f['category'] == category for f in findings)
        per_entity[r['entity']][1] += 1
        per_entity[r['entity']][0] += ok
        if not ok:
            disagreements.append((r['id'], r['entity'], 'missed' if r['expected'] else 'extra'))
    total = sum(v[1] for v in per_entity.values())
    return {
        'agreement': sum(v[0] for v in per_entity.values()) / total,
        'cases': total,
        'entity_agreement': {e: v[0] / v[1] for e, v in sorted(per_entity.items())},
        'entity_counts': {e: v for e, v in sorted(per_entity.items())},
        'disagreements': disagreements,
        '_records': {r['id']: r for r in records},
    }


def print_report(posts, identifiers, presidio, show_misses):
    def pct(x):
        return f'{100 * x:5.1f} %'
    print('posts.jsonl')
    print(f'  post recall          {pct(posts["post_recall"])}')
    print(f'  false alarms         {pct(posts["false_alarms"])}')
    print(f'  policy-post recall   {pct(posts["policy_recall"])}')
    for c, r in posts['category_recall'].items():
        n = posts['category_counts'][c]
        print(f'    {c:16} {pct(r)}  ({n[0]}/{n[1]})')
    print(f'  missed PHI posts: {" ".join(posts["missed_posts"]) or "none"}')
    print(f'  false alarms on:  {" ".join(posts["false_alarm_posts"]) or "none"}')
    print('identifiers.jsonl')
    print(f'  category recall      {pct(identifiers["recall"])}')
    print(f'  negatives flagged    {pct(identifiers["negatives_flagged"])}'
          f'  (of {identifiers["negatives_total"]})')
    for c, r in identifiers['category_recall'].items():
        n = identifiers['category_counts'][c]
        print(f'    {c:16} {pct(r)}  ({n[0]}/{n[1]})')
    print(f'  missed: {" ".join(f"{i}:{c}" for i, c in identifiers["misses"]) or "none"}')
    wrong = ' '.join(f'{i}:' + '/'.join(c) for i, c in identifiers['wrong'])
    print(f'  wrongly found: {wrong or "none"}')
    print(f'presidio/cases.jsonl ({presidio["cases"]} mapped cases without NER)')
    print(f'  agreement            {pct(presidio["agreement"])}')
    for e, r in presidio['entity_agreement'].items():
        n = presidio['entity_counts'][e]
        print(f'    {e:20} {pct(r)}  ({n[0]}/{n[1]})')
    if show_misses:
        print('\nmisses (local use only: prints eval text)')
        for i, c, q in posts['missed_quotes']:
            print(f'  post {i} {c}: {q!r}')
        for i in posts['false_alarm_posts']:
            print(f'  alarm {i}: {posts["_records"][i]["text"][:160]!r}')
        for i, c in identifiers['misses']:
            print(f'  identifier {i} {c}: {identifiers["_records"][i]["text"]!r}')
        for i, c in identifiers['wrong']:
            print(f'  negative {i} {c}: {identifiers["_records"][i]["text"]!r}')
        for i, e, how in presidio['disagreements']:
            print(f'  presidio {i} {e} {how}: {presidio["_records"][i]["text"][:120]!r}')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--phiguard')
    parser.add_argument('--eval', default=str(ROOT.parent / 'shared' / 'eval'))
    parser.add_argument('--json', action='store_true')
    parser.add_argument('--show-misses', action='store_true')
    for name in ('min-post-recall', 'max-false-alarms', 'min-identifier-recall',
                 'max-identifier-negatives', 'min-presidio'):
        parser.add_argument('--' + name, type=float)
    args = parser.parse_args()
    phiguard = args.phiguard or find_phiguard()
    eval_dir = pathlib.Path(args.eval)
    posts = eval_posts(phiguard, eval_dir / 'posts' / 'posts.jsonl')
    identifiers = eval_identifiers(phiguard, eval_dir / 'posts' / 'identifiers.jsonl')
    presidio = eval_presidio(phiguard, eval_dir / 'presidio' / 'cases.jsonl')
    if args.json:
        strip = lambda d: {k: v for k, v in d.items() if not k.startswith('_')}  # noqa: E731
        print(json.dumps({'posts': strip(posts), 'identifiers': strip(identifiers),
                          'presidio': strip(presidio)}, indent=1))
    else:
        print_report(posts, identifiers, presidio, args.show_misses)
    checks = [
        ('post recall', posts['post_recall'], args.min_post_recall, 1),
        ('false alarms', posts['false_alarms'], args.max_false_alarms, -1),
        ('identifier recall', identifiers['recall'], args.min_identifier_recall, 1),
        ('identifier negatives flagged', identifiers['negatives_flagged'],
         args.max_identifier_negatives, -1),
        ('presidio agreement', presidio['agreement'], args.min_presidio, 1),
    ]
    failed = [f'{name} {value:.3f} vs {limit}' for name, value, limit, sign in checks
              if limit is not None and (value - limit) * sign < 0]
    for f in failed:
        print(f'BELOW THRESHOLD: {f}')
    print(f'{len([c for c in checks if c[2] is not None]) - len(failed)} passed, '
          f'{len(failed)} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
