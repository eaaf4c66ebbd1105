#!/usr/bin/env python3
"""Host and CLI give the same answers: with a system pack and a signed bundle in force,
`phiguard scan` (by default) returns byte-identical findings to what phiguard-host answers
for the same text, site and surface, because both go through service::ScanService with
the rule sources of service/rule_sources.h. `--builtin-only` leaves the machine's extra
sources out, and the review-reply pack applies only where the request says review_reply.
Usage: host_cli_parity.py PHIGUARD PHIGUARD_HOST
"""
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from host_session import HostSession, small_builtin_rules  # noqa: E402

CLI, HOST = sys.argv[1], sys.argv[2]
WORK = pathlib.Path(tempfile.mkdtemp(prefix='phiguard-parity-'))
HOME = WORK / 'home'
# Host and CLI must agree whatever the packs are; the shipped packs these cases need stand
# in for the whole set, which would be compiled again for each of the three rule sources.
ENV = dict(os.environ, HOME=str(HOME), XDG_STATE_HOME=str(HOME / 'state'),
           XDG_CACHE_HOME=str(WORK / 'cache'), PHIGUARD_CONFIG=str(WORK / 'config.json'),
           PHIGUARD_RULES_DIR=small_builtin_rules(WORK / 'builtin', (
               'phi-identifiers', 'health-terms', 'phi-people', 'patient-cues',
               'policy-review-response')))

# (text, site, surface): the system pack's term, the bundle's term, built-in PHI, and a
# review reply that is a disclosure on a review site and nothing on a post composer.
CASES = [
    ('The Project Heron budget is final.', 'x.com', 'compose'),
    ('Kickoff for Project Falcon is on Monday.', 'linkedin.com', 'compose'),
    ('Mr. Halvorsen in room 412 was admitted with pneumonia, MRN 00482913.', 'facebook.com', 'compose'),
    ("We're sorry your root canal was painful, per our records you were seen twice.",
     'business.google.com', 'review_reply'),
    ("We're sorry your root canal was painful, per our records you were seen twice.",
     'x.com', 'compose'),
    ('Join us at the 5K fun run on Saturday!', 'threads.net', 'compose'),
]


def cli(*args, stdin=None):
    return subprocess.run([CLI, *args], capture_output=True, text=True, cwd=WORK, env=ENV,
                          input=stdin, timeout=300)


def term_pack(path, pack_id, rule_id, term):
    path.write_text(json.dumps({
        'pack': pack_id, 'version': '1', 'description': 'parity test',
        'rules': [{'id': rule_id, 'title': 'Internal project', 'category': 'confidential',
                   'kind': 'policy', 'severity': 'medium', 'action': 'warn', 'terms': [term],
                   'caseless': True, 'message': 'Internal project name.',
                   'examples': [f'about {term}'], 'negatives': ['nothing here']}]}))


def setup():
    HOME.mkdir()
    assert cli('rules', 'keygen', '--out', 'trusted').returncode == 0
    (WORK / 'rules.d').mkdir()
    term_pack(WORK / 'rules.d' / 'org-system.json', 'org-system', 'org.heron', 'Project Heron')
    term_pack(WORK / 'extra.json', 'extra', 'org.falcon', 'Project Falcon')
    done = cli('rules', 'bundle', '--sign', 'trusted.key', '--version', '1.0', '--out',
               str(WORK / 'org.bundle'), str(WORK / 'extra.json'))
    assert done.returncode == 0, done.stderr
    key = (WORK / 'trusted.pub').read_text().splitlines()[-1]
    (WORK / 'config.json').write_text(json.dumps({
        'trusted_keys': [key], 'bundle_path': str(WORK / 'org.bundle'),
        'update_interval_seconds': 1, 'update_jitter_seconds': 0,
        'rules_dir': str(WORK / 'rules.d')}))


def canonical(findings):
    """Findings as the host sends them: the CLI's --jsonl adds byte offsets on top."""
    return json.dumps([{k: v for k, v in f.items() if k not in ('byte_start', 'byte_end')}
                       for f in findings], sort_keys=True)


def cli_results(*extra):
    lines = ''.join(json.dumps({'id': i, 'text': t, 'site': s, 'surface': u}) + '\n'
                    for i, (t, s, u) in enumerate(CASES))
    done = cli('scan', '--jsonl', '--fail-on', 'never', *extra, stdin=lines)
    assert done.returncode == 0, done.stderr
    return {r['id']: r for r in map(json.loads, done.stdout.splitlines())}


def main():
    results = []

    def check(name, condition, detail=''):
        results.append(bool(condition))
        print(('ok    ' if condition else 'FAIL  ') + name + ('' if condition else f': {detail}'))

    setup()
    host = HostSession(HOST, 'chrome-extension://parity/', ENV)
    try:
        deadline = time.time() + 180
        while '+bundle@1.0' not in host.ask({'type': 'hello'})['rules']['version']:
            assert time.time() < deadline, 'the bundle was never taken'
            time.sleep(0.3)
        answers = [host.ask({'type': 'scan', 'text': t, 'site': s, 'surface': u})
                   for t, s, u in CASES]
    finally:
        host.close()

    by_cli = cli_results()
    for i, (answer, (text, site, surface)) in enumerate(zip(answers, CASES)):
        mine = by_cli[i]
        check(f'case {i} ({site}/{surface}): same findings, verdict and rules version',
              canonical(answer['findings']) == canonical(mine['findings']) and
              answer['verdict'] == mine['verdict'] and
              answer['rules_version'] == mine['rules_version'],
              f"host {answer['verdict']} {answer['rules_version']}, "
              f"cli {mine['verdict']} {mine['rules_version']}")

    rule_ids = [{f['rule'] for f in a['findings']} for a in answers]
    check('the system pack is in force', 'org.heron' in rule_ids[0], rule_ids[0])
    check('the bundle is in force', 'org.falcon' in rule_ids[1], rule_ids[1])
    check('review-reply rules fire on a review reply',
          any(r.startswith('policy.review') for r in rule_ids[3]), rule_ids[3])
    check('and not on a post composer',
          not any(r.startswith('policy.review') for r in rule_ids[4]), rule_ids[4])

    builtin = cli_results('--builtin-only')
    check('--builtin-only leaves the system pack and the bundle out',
          not any(f['rule'] in ('org.heron', 'org.falcon')
                  for r in builtin.values() for f in r['findings']) and
          '+bundle' not in builtin[0]['rules_version'], builtin[0]['rules_version'])
    check('--builtin-only keeps the built-in findings',
          canonical(builtin[2]['findings']) == canonical(by_cli[2]['findings']))

    print(f'{sum(results)}/{len(results)} checks passed')
    return 0 if all(results) else 1


if __name__ == '__main__':
    sys.exit(main())
