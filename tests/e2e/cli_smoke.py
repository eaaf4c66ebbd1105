#!/usr/bin/env python3
"""CLI smoke tests for `phiguard` (after nlohmann/json's cli.has_help, cli.version_matches):
every subcommand has --help, the version matches the project, and exit codes follow
docs/design.md (0 clean, 1 findings at or above --fail-on, 2 usage or input errors).
Usage: cli_smoke.py PHIGUARD VERSION
"""
import json
import os
import subprocess
import sys
import tempfile

from host_session import seed_rule_cache

CLI, VERSION = sys.argv[1], sys.argv[2]
SCRATCH = tempfile.mkdtemp(prefix='phiguard-cli-')
ENV = dict(os.environ, HOME=SCRATCH, XDG_STATE_HOME=SCRATCH, XDG_CACHE_HOME=SCRATCH)
seed_rule_cache(SCRATCH)  # the shipped packs compiled once, by the rule_cache fixture
BLOCKING = 'Patient SSN 219-44-7816, admitted for chest pain.\n'
CLEAN = 'Join our blood drive this Saturday in the main lobby!\n'


def run(*args, stdin=''):
    return subprocess.run([CLI, *args], input=stdin.encode(), capture_output=True, env=ENV,
                          timeout=600)


def write(name, text):
    path = os.path.join(SCRATCH, name)
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)
    return path


def case_help():
    for args in ([], ['scan'], ['rules'], ['rules', 'test'], ['rules', 'compile'], ['rules', 'patterns'],
                 ['rules', 'explain'], ['rules', 'keygen'], ['rules', 'bundle'], ['rules', 'verify'],
                 ['version']):
        r = run(*args, '--help')
        assert r.returncode == 0, (args, r.returncode, r.stderr)
        assert b'Usage' in r.stdout or b'usage' in r.stdout.lower(), (args, r.stdout[:200])


def case_version():
    r = run('version')
    assert r.returncode == 0 and r.stdout.decode().startswith(f'phiguard {VERSION}\n'), r.stdout
    assert run('--version').stdout.decode().strip().endswith(VERSION)


def case_exit_codes():
    assert run('scan', write('clean.txt', CLEAN)).returncode == 0
    r = run('scan', write('phi.txt', BLOCKING))
    assert r.returncode == 1, (r.returncode, r.stdout)
    line = r.stdout.decode().splitlines()[0]
    assert line.startswith(os.path.join(SCRATCH, 'phi.txt') + ':1:13: critical phi.ssn'), line
    assert run('scan', '--fail-on', 'never', os.path.join(SCRATCH, 'phi.txt')).returncode == 0
    missing = run('scan', os.path.join(SCRATCH, 'no-such-file.txt'))
    assert missing.returncode == 2 and missing.stderr.decode().count('\n') == 1, missing.stderr
    assert run('scan', '--fail-on', 'sometimes').returncode == 2
    assert run('nonsense').returncode == 2
    assert run('scan', stdin=BLOCKING).returncode == 1  # stdin when no file is named


def case_json_outputs():
    r = run('scan', '--json', write('phi2.txt', BLOCKING))
    result = json.loads(r.stdout)
    assert result['type'] == 'result' and result['verdict'] == 'block', result
    finding = next(f for f in result['findings'] if f['category'] == 'ssn')
    assert (finding['byte_start'], finding['byte_end']) == (12, 23), finding
    lines = json.dumps({'id': 'a', 'text': CLEAN}) + '\n' + json.dumps({'id': 7, 'text': BLOCKING})
    r = run('scan', '--jsonl', stdin=lines + '\n')
    out = [json.loads(l) for l in r.stdout.decode().splitlines()]
    assert [o['id'] for o in out] == ['a', 7] and r.returncode == 1, out
    assert [o['verdict'] for o in out] == ['allow', 'block'], out
    r = run('scan', '--jsonl', stdin='{"id": 1}\nnot json\n')
    out = [json.loads(l) for l in r.stdout.decode().splitlines()]
    assert r.returncode == 2 and [o['type'] for o in out] == ['error', 'error'], out
    # --count: only the summary line, the exit code as usual (bulk checks of an export).
    r = run('scan', '--jsonl', '--count', stdin=lines + '\n')
    summary = r.stdout.decode().splitlines()
    assert r.returncode == 1 and len(summary) == 1, summary
    assert summary[0].endswith(' in 2 inputs') and '1 block' in summary[0], summary


def case_bad_pack():
    bad = write('bad.json', '{"pack": "x", "version": "1", "description": "d", "rules": '
                            '[{"id": "x.a", "title": "t", "category": "nope"}]}')
    r = run('scan', '--rules', bad, stdin=CLEAN)
    assert r.returncode == 2, r.returncode
    err = r.stderr.decode()
    assert err.count('\n') == 1 and 'bad.json: x.a' in err and 'category' in err, err


def case_explain():
    r = run('rules', 'explain', stdin=BLOCKING)
    out = r.stdout.decode()
    assert r.returncode == 1 and out.startswith('verdict: block'), out
    assert 'phi.ssn' in out and "raised by 'ssn'" in out, out
    assert run('rules', 'explain', stdin=CLEAN).returncode == 0


def readable_pack(pattern):
    return json.dumps({
        'pack': 'readable', 'version': '1', 'description': 'd',
        'fragments': {'label': ['(?x) (?:MRN|chart)  # the labels', r'\ \#?\ ?']},
        'rules': [{'id': 'org.mrn', 'title': 't', 'category': 'mrn', 'kind': 'phi',
                   'severity': 'high', 'action': 'block', 'pattern': pattern, 'span_group': 1,
                   'message': 'm', 'examples': ['chart # 12345678'], 'negatives': ['MRN']}]})


def case_readable_pack():
    # Lines, (?x) comments and a fragment: `rules patterns` shows what the engines compile,
    # and `rules test` runs the examples through both engines on that pattern.
    pack = write('readable.json', readable_pack(['(?x)', '{{label}}  # MRN # or chart #',
                                                   r'(\d{8})   # the number']))
    r = run('rules', 'patterns', pack)
    assert r.returncode == 0, r.stderr
    rows = [json.loads(l) for l in r.stdout.decode().splitlines()]
    assert rows == [{'pack': 'readable', 'id': 'org.mrn',
                     'pattern': r'(?:MRN|chart) #? ?(\d{8})'}], rows
    r = run('rules', 'test', '--strict', pack)
    assert r.returncode == 0, r.stdout
    # A pattern whose width the start-up reader cannot follow (\Q...\E is bounded for
    # Hyperscan) is a warning, so --strict fails until it is written another way.
    quoted = write('quoted.json', readable_pack(r'(?:MRN|chart) #? ?\Q1\E(\d{7})'))
    r = run('rules', 'test', '--strict', quoted)
    out = r.stdout.decode()
    assert r.returncode == 1 and "is not Hyperscan's (16)" in out, out
    bad = write('unknown-fragment.json', readable_pack('{{lable}}(\\d{8})'))
    for args in (['rules', 'patterns', bad], ['scan', '--rules', bad]):
        r = run(*args, stdin=CLEAN)
        err = r.stderr.decode()
        assert r.returncode == 2 and 'unknown-fragment.json: org.mrn' in err, (args, err)
        assert "unknown fragment '{{lable}}' (the pack defines label)" in err, err


CASES = [case_explain, case_help, case_version, case_exit_codes, case_json_outputs, case_bad_pack,
         case_readable_pack]

if __name__ == '__main__':
    failed = 0
    for case in CASES:
        try:
            case()
            print(f'ok    {case.__name__}')
        except AssertionError as e:
            failed += 1
            print(f'FAIL  {case.__name__}: {e}')
    print(f'{len(CASES) - failed} passed, {failed} failed')
    sys.exit(1 if failed else 0)
