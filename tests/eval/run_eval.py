#!/usr/bin/env python3
"""Detection quality of the rule packs on labelled posts, set by set.

The sets (each measured and reported on its own):

  dev          the project's own corpus, tests/eval/posts/*.jsonl (or the files given with
               --posts), measured as one set; ids are qualified by file name only when
               two files share one
  blind split  each tests/eval/blind/*.jsonl as its own set, only with --blind (a posts file
               given with --posts from that folder is measured the same way): a split nobody tunes the
               rules against; its numbers are printed, never its misses, and no threshold
               applies to it
  shared       with --shared DIR, an external eval folder (CI has one): DIR/posts/posts.jsonl,
               DIR/posts/identifiers.jsonl and DIR/presidio/cases.jsonl

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
  presidio     agreement on the entities that the shared set's presidio/README.md maps to our
               categories, skipping requires_ner cases and cases without expected spans:
               every expected span (code points) overlapped by a finding of the mapped
               category, any action; `[]` means no finding of that category at all

Thresholds (--min-*, --max-*) make it a test: exit 1 when a number is worse, 2 when
phiguard or the data cannot be read (77 instead with --skip-if-missing, when a set's data is
absent, for CTest's SKIP_RETURN_CODE). The post thresholds hold for every posts set measured
except the blind split; the identifier and Presidio ones for the shared sets. By default only numbers are printed; --show-misses
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

# The shared set's presidio/README.md, "Presidio entity -> our category".
PRESIDIO_MAP = {
    'US_SSN': 'ssn', 'PHONE_NUMBER': 'phone', 'EMAIL_ADDRESS': 'email', 'IP_ADDRESS': 'ip',
    'URL': 'url', 'CREDIT_CARD': 'account', 'US_BANK_NUMBER': 'account',
    'ABA_ROUTING_NUMBER': 'account', 'IBAN_CODE': 'account', 'US_DRIVER_LICENSE': 'license',
    'MEDICAL_LICENSE': 'license', 'US_NPI': 'license', 'US_PASSPORT': 'license',
    'US_ITIN': 'other_id', 'MAC_ADDRESS': 'device', 'US_MBI': 'health_plan',
    'UK_NHS': 'health_plan', 'DATE_TIME': 'date', 'PERSON': 'name'}

THRESHOLDS = [
    # flag, (kind of set, result key), direction (+1: at least, -1: at most), label
    ('min_post_recall', ('posts', 'post_recall'), 1, 'post recall'),
    ('max_false_alarms', ('posts', 'false_alarms'), -1, 'false alarms'),
    ('min_identifier_recall', ('identifiers', 'recall'), 1, 'identifier recall'),
    ('max_identifier_negatives', ('identifiers', 'negatives_flagged'), -1,
     'identifier negatives flagged'),
    ('min_presidio', ('presidio', 'agreement'), 1, 'presidio agreement'),
]

DEV_POSTS = ROOT / 'tests' / 'eval' / 'posts'
BLIND_DIR = ROOT / 'tests' / 'eval' / 'blind'
BLIND = 'blind'  # set names of blind splits start with this word


def is_blind(set_name):
    return set_name == BLIND or set_name.startswith(BLIND + ' ')


def in_blind_dir(path):
    try:
        pathlib.Path(path).resolve().relative_to(BLIND_DIR.resolve())
        return True
    except ValueError:
        return False
EXIT_SKIPPED = 77


class EvalError(Exception):
    pass


class MissingData(EvalError):
    """A set's files are not there (as opposed to unreadable)."""


# The built-in packs, not whatever this machine's host enforces (system packs, a bundle);
# ['--rules', PATH, ...] when other packs are measured.
RULES_ARGS = ['--builtin-only']


def find_phiguard():
    """The most recently built build/<preset>/host/phiguard: a stale preset's binary may
    not read packs that use newer fields. The `package` preset's is left out: it reads the
    packs from where the package installs them, not from this checkout."""
    built = sorted((p for p in ROOT.glob('build/*/host/phiguard') if p.parts[-3] != 'package'),
                   key=lambda p: p.stat().st_mtime)
    if not built:
        raise EvalError('no phiguard in build/*/host: build it or pass --phiguard PATH')
    return str(built[-1])


def load(path):
    if not pathlib.Path(path).exists():
        raise MissingData(f'{path} not found')
    try:
        with open(path, encoding='utf-8') as f:
            return [json.loads(line) for line in f if line.strip()]
    except (OSError, ValueError) as e:
        raise EvalError(f'cannot read {path}: {e}') from e


def load_posts(paths):
    """The records of one or more posts files. Ids are unique across a corpus; when two
    files do share one, every id becomes FILE-STEM:ID so that neither case is lost."""
    if not paths:
        raise MissingData('no posts files')
    files = [(pathlib.Path(path).stem, load(path)) for path in paths]
    seen = collections.Counter(r['id'] for _, records in files for r in records)
    shared = any(n > 1 for n in seen.values())
    records = []
    for stem, file_records in files:
        for r in file_records:
            if shared and len(files) > 1:
                r['id'] = f'{stem}:{r["id"]}'
            records.append(r)
    ids = collections.Counter(r['id'] for r in records)
    repeated = [i for i, n in ids.items() if n > 1]
    if repeated:
        raise EvalError(f'{len(repeated)} ids appear more than once, first {repeated[0]}')
    return records


def surface_of(record):
    """The surface the extension would name for the post's platform: review sites' reply
    boxes are `review_reply` (extension/src/shared/sites.js), every other composer `compose`."""
    return 'review_reply' if record.get('platform') == 'review_reply' else 'compose'


def scan_all(phiguard, records):
    """{id: result} from one `phiguard scan --jsonl` run over every record."""
    lines = ''.join(json.dumps({'id': r['id'], 'text': r['text'], 'surface': surface_of(r)}) + '\n'
                    for r in records)
    command = [phiguard, 'scan', '--jsonl', '--fail-on', 'never'] + RULES_ARGS
    try:
        done = subprocess.run(command,
                              input=lines.encode(), capture_output=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise EvalError(f'cannot run {phiguard}: {e}') from e
    if done.returncode != 0:
        # stderr never holds scanned text (docs/design.md), so it is safe to show.
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


def eval_posts(phiguard, paths):
    records = load_posts(paths)
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


def print_posts(label, posts):
    print(f'{label} ({posts["posts"]} posts)')
    print(f'  post recall            {pct(posts["post_recall"])}')
    print(f'  false alarms           {pct(posts["false_alarms"])}')
    print(f'  policy-post recall     {pct(posts["policy_recall"])}')
    print(f'  {"category":16} {"recall":>7}  {"found":>7}')
    for c, row in posts['categories'].items():
        print(f'  {c:16} {pct(row["recall"])}  {frac(row["found"], row["total"])}')


def print_identifiers(ids):
    print('shared identifiers.jsonl')
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
    print(f'shared presidio/cases.jsonl ({presidio["cases"]} mapped cases without NER)')
    print(f'  agreement              {pct(presidio["agreement"])}'
          f'  ({presidio["agreed"]}/{presidio["cases"]})')
    print(f'  {"entity":20} {"category":12} {"agreement":>9}  {"agreed":>7}')
    for e, row in presidio['entities'].items():
        print(f'  {e:20} {row["category"]:12} {pct(row["agreement"]):>9}  '
              f'{frac(row["agreed"], row["total"])}')


def print_misses(report, texts):
    """Case ids and categories; with texts (local use only) the eval text as well. Never for
    the blind split: knowing its misses would be tuning against it."""
    texts = texts or {}

    def show(label, case_id, detail, text=None):
        line = f'  {label:10} {case_id:6} {detail}'
        if text is not None:
            line += f'  {text[:140]!r}'
        print(line)

    def text_of(set_name, case_id):
        return texts.get(set_name, {}).get(case_id, {}).get('text')

    print('misses')
    for name, posts in report['posts'].items():
        if is_blind(name):
            continue
        for case_id, category in posts['missed_quotes']:
            show(name, case_id, f'{category} quote missed', text_of(name, case_id))
        for case_id in posts['missed_posts']:
            show(name, case_id, 'PHI post allowed', text_of(name, case_id))
        for case_id in posts['false_alarm_posts']:
            show(name, case_id, 'false alarm', text_of(name, case_id))
    ids = report.get('identifiers')
    if ids:
        for case_id, category in ids['misses']:
            show('identifier', case_id, f'{category} missed', text_of('identifiers', case_id))
        for case_id, category in ids['wrong']:
            show('identifier', case_id, f'{category} on a negative',
                 text_of('identifiers', case_id))
    presidio = report.get('presidio')
    if presidio:
        for case_id, entity, how in presidio['disagreements']:
            show('presidio', case_id, f'{entity} {how}', text_of('presidio', case_id))


def measured(report, kind):
    """(name, numbers) of every set of a kind that thresholds hold: posts sets but the blind
    split, or the one identifiers or presidio set."""
    if kind == 'posts':
        return [(name, posts) for name, posts in report.get('posts', {}).items()
                if not is_blind(name)]
    return [(kind, report[kind])] if report.get(kind) else []


def check_thresholds(args, report):
    failed, checked = [], 0
    for flag, (kind, key), direction, label in THRESHOLDS:
        limit = getattr(args, flag)
        if limit is None:
            continue
        for name, numbers in measured(report, kind):
            checked += 1
            value = numbers[key]
            if (value - limit) * direction < 0:
                word = 'below' if direction > 0 else 'above'
                failed.append(f'{name}: {label} {value:.3f} is {word} {limit}')
    return checked, failed


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--phiguard', help='phiguard binary (default: the newest build/*/host/phiguard)')
    parser.add_argument('--posts', nargs='*', metavar='FILE',
                        help='posts files measured as the dev set (default: tests/eval/posts/'
                             '*.jsonl); --posts with no file measures none (the shared sets alone)')
    parser.add_argument('--blind', action='store_true',
                        help='also report each blind split, tests/eval/blind/*.jsonl (numbers only)')
    parser.add_argument('--shared', metavar='DIR',
                        help='also measure an external eval folder (posts, identifiers, presidio)')
    parser.add_argument('--skip-if-missing', action='store_true',
                        help=f'exit {EXIT_SKIPPED} (skipped) instead of 2 when a set\'s data is absent')
    parser.add_argument('--rules', nargs='+', metavar='PACK',
                        help='measure these pack files or folders instead of the built-in packs')
    parser.add_argument('--json', action='store_true', help='print the numbers as JSON')
    parser.add_argument('--show-misses', action='store_true',
                        help='list missed case ids and categories (no eval text; never the blind split)')
    parser.add_argument('--show-text', action='store_true',
                        help='with the misses, print each case text (local use only)')
    for flag, _, direction, label in THRESHOLDS:
        parser.add_argument('--' + flag.replace('_', '-'), type=float, metavar='X',
                            help=f'exit 1 when {label} is {"below" if direction > 0 else "above"} X')
    return parser.parse_args(argv)


def posts_sets(args):
    """[(set name, [files])] in the order they are reported. A file from the blind folder is
    always its own blind set, even when given with --posts: its misses are never printed."""
    dev = sorted(DEV_POSTS.glob('*.jsonl')) if args.posts is None else args.posts
    blind = [f for f in dev if in_blind_dir(f)]
    dev = [f for f in dev if not in_blind_dir(f)]
    sets = []
    if args.posts is None or dev:
        if not dev:
            raise MissingData(f'no posts in {DEV_POSTS.relative_to(ROOT)}/*.jsonl')
        sets.append(('dev', dev))
    if args.blind:
        blind += [f for f in sorted(BLIND_DIR.glob('*.jsonl')) if f not in blind]
    for f in blind:
        sets.append((f'{BLIND} {pathlib.Path(f).name}', [f]))
    if args.shared:
        sets.append(('shared posts', [pathlib.Path(args.shared) / 'posts' / 'posts.jsonl']))
    return sets


def measure(args, phiguard):
    """The report ({'posts': {set: numbers}, 'identifiers', 'presidio'}) and the case texts."""
    report, texts = {'posts': {}}, {}
    for name, files in posts_sets(args):
        report['posts'][name], texts[name] = eval_posts(phiguard, files)
    if args.shared:
        data = pathlib.Path(args.shared)
        report['identifiers'], texts['identifiers'] = eval_identifiers(
            phiguard, data / 'posts' / 'identifiers.jsonl')
        report['presidio'], texts['presidio'] = eval_presidio(
            phiguard, data / 'presidio' / 'cases.jsonl')
    for name in [n for n in texts if is_blind(n)]:
        texts.pop(name)
    return report, texts


def print_report(args, report, texts, failed, checked):
    for name, posts in report['posts'].items():
        print_posts(name, posts)
    if report.get('identifiers'):
        print_identifiers(report['identifiers'])
    if report.get('presidio'):
        print_presidio(report['presidio'])
    if args.show_misses or args.show_text:
        print_misses(report, texts if args.show_text else None)
    for line in failed:
        print(f'FAILED: {line}')
    if checked:
        print(f'thresholds: {checked - len(failed)} met, {len(failed)} not met')


def main(argv=None):
    args = parse_args(argv)
    if args.rules:
        RULES_ARGS[:] = ['--rules', *args.rules]
    try:
        phiguard = args.phiguard or find_phiguard()
        report, texts = measure(args, phiguard)
    except MissingData as e:
        if args.skip_if_missing:
            print(f'run_eval: skipped: {e}')
            return EXIT_SKIPPED
        print(f'run_eval: {e}', file=sys.stderr)
        return 2
    except EvalError as e:
        print(f'run_eval: {e}', file=sys.stderr)
        return 2
    checked, failed = check_thresholds(args, report)
    if args.json:
        for name, numbers in report['posts'].items():
            if is_blind(name):  # numbers only
                for key in ('missed_posts', 'false_alarm_posts', 'missed_quotes'):
                    numbers.pop(key, None)
        report['thresholds'] = {'checked': checked, 'failed': failed}
        print(json.dumps(report, indent=1))
    else:
        print_report(args, report, texts, failed, checked)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
