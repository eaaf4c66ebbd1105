#!/usr/bin/env python3
"""Detection quality of the rule packs on the labelled sets in ../shared/eval.

Runs `phiguard scan --jsonl` once per set (python3 standard library only) and prints:

  posts        post recall (PHI posts whose verdict is warn or block); false alarms (posts
               with phi:false and no policy flag whose verdict is not allow); per-category
               recall (expected quotes overlapped by a finding of the same category, any
               action, compared in UTF-16 code units like the host's offsets)
  identifiers  per category: positives found (a same-category finding overlaps the quote)
               and negatives wrongly found (any finding, any action, of the category the
               negative belongs to: identifiers.jsonl groups each category's near-miss
               negatives right after its positives, so a negative takes the category of
               the positive before it)
  presidio     agreement on the entities that ../shared/eval/presidio/README.md maps to our
               categories, skipping requires_ner cases and cases without expected spans:
               every expected span (code points) overlapped by a finding of the mapped
               category, any action; `[]` means no finding of that category at all

Thresholds (--min-*, --max-*) make it a test: exit 1 when a number is worse, 2 when
phiguard or the data cannot be read. By default only numbers are printed; --show-misses
lists the case ids and categories that missed (safe for CI logs: no eval text), and
--show-text adds each case's text for local work.
"""
import argparse
import collections
import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]

# ../shared/eval/presidio/README.md, "Presidio entity -> our category".
PRESIDIO_MAP = {
    'US_SSN': 'ssn', 'PHONE_NUMBER': 'phone', 'EMAIL_ADDRESS': 'email', 'IP_ADDRESS': 'ip',
    'URL': 'url', 'CREDIT_CARD': 'account', 'US_BANK_NUMBER': 'account',
    'ABA_ROUTING_NUMBER': 'account', 'IBAN_CODE': 'account', 'US_DRIVER_LICENSE': 'license',
    'MEDICAL_LICENSE': 'license', 'US_NPI': 'license', 'US_PASSPORT': 'license',
    'US_ITIN': 'other_id', 'MAC_ADDRESS': 'device', 'US_MBI': 'health_plan',
    'UK_NHS': 'health_plan', 'DATE_TIME': 'date', 'PERSON': 'name'}

THRESHOLDS = [
    # flag, result key, direction (+1: at least, -1: at most), label
    ('min_post_recall', ('posts', 'post_recall'), 1, 'post recall'),
    ('max_false_alarms', ('posts', 'false_alarms'), -1, 'false alarms'),
    ('min_identifier_recall', ('identifiers', 'recall'), 1, 'identifier recall'),
    ('max_identifier_negatives', ('identifiers', 'negatives_flagged'), -1,
     'identifier negatives flagged'),
    ('min_presidio', ('presidio', 'agreement'), 1, 'presidio agreement'),
]


class EvalError(Exception):
    pass


RULES_ARGS = []  # ['--rules', PATH, ...] when packs other than the built-in ones are measured


def find_phiguard():
    """The most recently built build/<preset>/host/phiguard: a stale preset's binary may
    not read packs that use newer fields."""
    built = sorted(ROOT.glob('build/*/host/phiguard'), key=lambda p: p.stat().st_mtime)
    if not built:
        raise EvalError('no phiguard in build/*/host: build it or pass --phiguard PATH')
    return str(built[-1])


def load(path):
    try:
        with open(path, encoding='utf-8') as f:
            return [json.loads(line) for line in f if line.strip()]
    except (OSError, ValueError) as e:
        raise EvalError(f'cannot read {path}: {e}') from e


def scan_all(phiguard, records):
    """{id: result} from one `phiguard scan --jsonl` run over every record."""
    lines = ''.join(json.dumps({'id': r['id'], 'text': r['text']}) + '\n' for r in records)
    command = [phiguard, 'scan', '--jsonl', '--fail-on', 'never'] + RULES_ARGS
    try:
        done = subprocess.run(command,
                              input=lines.encode(), capture_output=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise EvalError(f'cannot run {phiguard}: {e}') from e
    if done.returncode != 0:
        # stderr never holds scanned text (DESIGN.md), so it is safe to show.
        raise EvalError(f'phiguard scan exited {done.returncode}: {done.stderr[:300]!r}')
    results = {}
    for line in done.stdout.decode().splitlines():
        result = json.loads(line)
        results[result['id']] = result
    missing = [r['id'] for r in records if r['id'] not in results]
    if missing:
        raise EvalError(f'no result for {len(missing)} cases, first {missing[0]}')
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


def covered(findings, category, span):
    return any(f['category'] == category and f['start'] < span[1] and span[0] < f['end']
               for f in findings)


def quote_found(findings, text, expect):
    return any(covered(findings, expect['category'], s)
               for s in quote_spans(text, expect['quote']))


def ratio(counts):
    return counts[0] / counts[1] if counts[1] else 0.0


def eval_posts(phiguard, path):
    records = load(path)
    results = scan_all(phiguard, records)
    phi = [r for r in records if r['phi']]
    clean = [r for r in records if not r['phi'] and not r['policy']]
    policy = [r for r in records if r['policy']]
    flagged = {r['id'] for r in records if results[r['id']]['verdict'] != 'allow'}
    per_category = collections.defaultdict(lambda: [0, 0])
    missed_quotes = []
    for r in phi:
        for expect in r['expect']:
            hit = quote_found(results[r['id']]['findings'], r['text'], expect)
            per_category[expect['category']][0] += hit
            per_category[expect['category']][1] += 1
            if not hit:
                missed_quotes.append([r['id'], expect['category']])
    return {
        'posts': len(records),
        'post_recall': ratio([sum(r['id'] in flagged for r in phi), len(phi)]),
        'false_alarms': ratio([sum(r['id'] in flagged for r in clean), len(clean)]),
        'policy_recall': ratio([sum(r['id'] in flagged for r in policy), len(policy)]),
        'categories': {c: {'found': v[0], 'total': v[1], 'recall': ratio(v)}
                       for c, v in sorted(per_category.items())},
        'missed_posts': [r['id'] for r in phi if r['id'] not in flagged],
        'false_alarm_posts': [r['id'] for r in clean if r['id'] in flagged],
        'missed_quotes': missed_quotes,
    }, {r['id']: r for r in records}


def negative_categories(records):
    """{negative id: category}: each negative takes the category of the positive before it."""
    owner, current = {}, None
    for r in records:
        if r['phi']:
            current = r['expect'][0]['category']
        elif current is not None:
            owner[r['id']] = current
    return owner


def eval_identifiers(phiguard, path):
    records = load(path)
    results = scan_all(phiguard, records)
    owner = negative_categories(records)
    table = collections.defaultdict(lambda: {'found': 0, 'total': 0, 'wrong': 0, 'negatives': 0})
    misses, wrong = [], []
    for r in records:
        findings = results[r['id']]['findings']
        for expect in r['expect']:
            row = table[expect['category']]
            hit = quote_found(findings, r['text'], expect)
            row['found'] += hit
            row['total'] += 1
            if not hit:
                misses.append([r['id'], expect['category']])
        if not r['phi'] and r['id'] in owner:
            category = owner[r['id']]
            row = table[category]
            row['negatives'] += 1
            if any(f['category'] == category for f in findings):
                row['wrong'] += 1
                wrong.append([r['id'], category])
    for row in table.values():
        row['recall'] = ratio([row['found'], row['total']])
        row['wrong_rate'] = ratio([row['wrong'], row['negatives']])
    found = sum(row['found'] for row in table.values())
    total = sum(row['total'] for row in table.values())
    negatives = sum(row['negatives'] for row in table.values())
    return {
        'recall': ratio([found, total]),
        'found': found,
        'total': total,
        'negatives_flagged': ratio([len(wrong), negatives]),
        'negatives_wrong': len(wrong),
        'negatives_total': negatives,
        'categories': dict(sorted(table.items())),
        'misses': misses,
        'wrong': wrong,
    }, {r['id']: r for r in records}


def presidio_cases(path):
    records = [r for r in load(path)
               if r['entity'] in PRESIDIO_MAP and not r.get('requires_ner')
               and r.get('expected') is not None]
    for i, r in enumerate(records):
        r['id'] = f'p{i + 1:04d}'  # the file has no ids: number the kept cases in order
    return records


def presidio_agrees(r, findings):
    category, text = PRESIDIO_MAP[r['entity']], r['text']
    if not r['expected']:
        return not any(f['category'] == category for f in findings)
    return all(covered(findings, category, (utf16_len(text[:start]), utf16_len(text[:end])))
               for start, end in r['expected'])


def eval_presidio(phiguard, path):
    records = presidio_cases(path)
    results = scan_all(phiguard, records)
    per_entity = collections.defaultdict(lambda: [0, 0])
    disagreements = []
    for r in records:
        ok = presidio_agrees(r, results[r['id']]['findings'])
        per_entity[r['entity']][0] += ok
        per_entity[r['entity']][1] += 1
        if not ok:
            disagreements.append([r['id'], r['entity'], 'missed' if r['expected'] else 'extra'])
    agreed = sum(v[0] for v in per_entity.values())
    return {
        'agreement': ratio([agreed, len(records)]),
        'agreed': agreed,
        'cases': len(records),
        'entities': {e: {'category': PRESIDIO_MAP[e], 'agreed': v[0], 'total': v[1],
                         'agreement': ratio(v)} for e, v in sorted(per_entity.items())},
        'disagreements': disagreements,
    }, {r['id']: r for r in records}


def pct(x):
    return f'{100 * x:5.1f} %'


def frac(a, b):
    return f'{a:>3}/{b:<3}'


def print_posts(posts):
    print(f'posts.jsonl ({posts["posts"]} posts)')
    print(f'  post recall            {pct(posts["post_recall"])}')
    print(f'  false alarms           {pct(posts["false_alarms"])}')
    print(f'  policy-post recall     {pct(posts["policy_recall"])}')
    print(f'  {"category":16} {"recall":>7}  {"found":>7}')
    for c, row in posts['categories'].items():
        print(f'  {c:16} {pct(row["recall"])}  {frac(row["found"], row["total"])}')


def print_identifiers(ids):
    print('identifiers.jsonl')
    print(f'  category recall        {pct(ids["recall"])}  ({ids["found"]}/{ids["total"]})')
    print(f'  negatives flagged      {pct(ids["negatives_flagged"])}'
          f'  ({ids["negatives_wrong"]}/{ids["negatives_total"]})')
    print(f'  {"category":16} {"recall":>7}  {"found":>7}   {"negatives":>9}  {"flagged":>7}')
    for c, row in ids['categories'].items():
        negatives = (f'{pct(row["wrong_rate"])}  {frac(row["wrong"], row["negatives"])}'
                     if row['negatives'] else f'{"-":>7}')
        print(f'  {c:16} {pct(row["recall"])}  {frac(row["found"], row["total"])}   '
              f'{negatives}')


def print_presidio(presidio):
    print(f'presidio/cases.jsonl ({presidio["cases"]} mapped cases without NER)')
    print(f'  agreement              {pct(presidio["agreement"])}'
          f'  ({presidio["agreed"]}/{presidio["cases"]})')
    print(f'  {"entity":20} {"category":12} {"agreement":>9}  {"agreed":>7}')
    for e, row in presidio['entities'].items():
        print(f'  {e:20} {row["category"]:12} {pct(row["agreement"]):>9}  '
              f'{frac(row["agreed"], row["total"])}')


def print_misses(posts, ids, presidio, texts):
    """Case ids and categories; with texts (local use only) the eval text as well."""
    def show(label, case_id, detail, text=None):
        line = f'  {label:10} {case_id:6} {detail}'
        if texts and text is not None:
            line += f'  {text[:140]!r}'
        print(line)
    print('misses')
    post_texts, id_texts, presidio_texts = texts or ({}, {}, {})
    for case_id, category in posts['missed_quotes']:
        show('post', case_id, f'{category} quote missed', post_texts.get(case_id, {}).get('text'))
    for case_id in posts['missed_posts']:
        show('post', case_id, 'PHI post allowed', post_texts.get(case_id, {}).get('text'))
    for case_id in posts['false_alarm_posts']:
        show('post', case_id, 'false alarm', post_texts.get(case_id, {}).get('text'))
    for case_id, category in ids['misses']:
        show('identifier', case_id, f'{category} missed', id_texts.get(case_id, {}).get('text'))
    for case_id, category in ids['wrong']:
        show('identifier', case_id, f'{category} on a negative',
             id_texts.get(case_id, {}).get('text'))
    for case_id, entity, how in presidio['disagreements']:
        show('presidio', case_id, f'{entity} {how}', presidio_texts.get(case_id, {}).get('text'))


def check_thresholds(args, report):
    failed, checked = [], 0
    for flag, (section, key), direction, label in THRESHOLDS:
        limit = getattr(args, flag)
        if limit is None:
            continue
        checked += 1
        value = report[section][key]
        if (value - limit) * direction < 0:
            word = 'below' if direction > 0 else 'above'
            failed.append(f'{label} {value:.3f} is {word} {limit}')
    return checked, failed


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--phiguard', help='phiguard binary (default: the newest build/*/host/phiguard)')
    parser.add_argument('--eval', default=str(ROOT.parent / 'shared' / 'eval'),
                        help='eval data folder (default: ../shared/eval)')
    parser.add_argument('--rules', nargs='+', metavar='PACK',
                        help='measure these pack files or folders instead of the built-in packs')
    parser.add_argument('--json', action='store_true', help='print the numbers as JSON')
    parser.add_argument('--show-misses', action='store_true',
                        help='list missed case ids and categories (no eval text)')
    parser.add_argument('--show-text', action='store_true',
                        help='with the misses, print each case text (local use only)')
    for flag, _, direction, label in THRESHOLDS:
        parser.add_argument('--' + flag.replace('_', '-'), type=float, metavar='X',
                            help=f'exit 1 when {label} is {"below" if direction > 0 else "above"} X')
    return parser.parse_args()


def main():
    args = parse_args()
    if args.rules:
        RULES_ARGS.extend(['--rules', *args.rules])
    try:
        phiguard = args.phiguard or find_phiguard()
        data = pathlib.Path(args.eval)
        posts, post_texts = eval_posts(phiguard, data / 'posts' / 'posts.jsonl')
        ids, id_texts = eval_identifiers(phiguard, data / 'posts' / 'identifiers.jsonl')
        presidio, presidio_texts = eval_presidio(phiguard, data / 'presidio' / 'cases.jsonl')
    except EvalError as e:
        print(f'run_eval: {e}', file=sys.stderr)
        return 2
    report = {'posts': posts, 'identifiers': ids, 'presidio': presidio}
    checked, failed = check_thresholds(args, report)
    if args.json:
        report['thresholds'] = {'checked': checked, 'failed': failed}
        print(json.dumps(report, indent=1))
    else:
        print_posts(posts)
        print_identifiers(ids)
        print_presidio(presidio)
        if args.show_misses or args.show_text:
            texts = (post_texts, id_texts, presidio_texts) if args.show_text else None
            print_misses(posts, ids, presidio, texts)
        for line in failed:
            print(f'FAILED: {line}')
        if checked:
            print(f'thresholds: {checked - len(failed)} met, {len(failed)} not met')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
