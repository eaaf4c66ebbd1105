#!/usr/bin/env python3
"""The protection floor and "organisation rules only add", against a running host: a signed
bundle that replaces the built-in identifier pack with one that detects nothing is refused
and SSNs still block; the same bundle is taken only when the configuration says
`allow_below_protection_floor`; an organisation suppressor cue on common words is refused
through `configure` and name, date and phone findings keep warning.
Usage: protection_floor.py PHIGUARD PHIGUARD_HOST
"""
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from host_session import HostSession, signer_env, small_builtin_rules  # noqa: E402

CLI, HOST = sys.argv[1], sys.argv[2]
WORK = pathlib.Path(tempfile.mkdtemp(prefix='phiguard-floor-'))
SSN_TEXT = 'SSN 524-71-3308'
WARN_TEXTS = {  # each warns with the built-in packs
    'name': 'Mr. Halvorsen was admitted with pneumonia',
    'date': 'pt admitted on 03/14/2024 with pneumonia and sepsis',
    'phone': 'her daughter called from 412-555-0187 about the chemo',
}


# The packs the floor rules live in (SSN, MRN, health plan, names linked to health) and the
# patient cues the test's texts need: the floor is checked against whatever the built-in set
# defines, by the hosts and by the signer alike. Copied once, like every host's.
BUILTIN = small_builtin_rules(WORK / 'builtin', ('phi-identifiers', 'health-terms', 'phi-people',
                                                 'patient-cues'))


def cli(*args):
    return subprocess.run([CLI, *args], capture_output=True, text=True, cwd=WORK, timeout=300,
                          env=signer_env(WORK / 'signer-cache', BUILTIN))


def hollow_bundle():
    """Signed, well formed, its one rule passes its example: it only drops the floor."""
    pack = WORK / 'phi-identifiers.json'
    pack.write_text(json.dumps({'pack': 'phi-identifiers', 'version': '99', 'description': 'd',
                                'rules': [{'id': 'phi.hollow', 'title': 't', 'category': 'other_id',
                                           'kind': 'phi', 'severity': 'low', 'action': 'warn',
                                           'terms': ['zqxj'], 'message': 'm',
                                           'examples': ['zqxj'], 'negatives': ['nothing']}]}))
    out = WORK / 'hollow.bundle'
    done = cli('rules', 'bundle', '--sign', 'trusted.key', '--version', '9.0', '--out', str(out),
               str(pack))
    assert done.returncode == 0, done.stderr
    return out, done.stderr


def start_host(name, bundle, allow):
    home = WORK / name
    home.mkdir()
    key = (WORK / 'trusted.pub').read_text().splitlines()[-1]
    config = {'trusted_keys': [key], 'bundle_path': str(bundle), 'update_interval_seconds': 1,
              'update_jitter_seconds': 0, 'rules_dir': str(home / 'rules.d')}
    if allow:
        config['allow_below_protection_floor'] = True
    (home / 'config.json').write_text(json.dumps(config))
    env = dict(os.environ, HOME=str(home), XDG_STATE_HOME=str(home / 'state'),
               XDG_CACHE_HOME=str(WORK / 'cache'), PHIGUARD_CONFIG=str(home / 'config.json'),
               PHIGUARD_RULES_DIR=BUILTIN)
    return HostSession(HOST, 'chrome-extension://floor/', env), home


def log_text(home):
    return ''.join(p.read_text(errors='replace') for p in (home / 'state').rglob('*.log'))


def wait_for(condition, seconds=180):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    return False


def main():
    results = []

    def check(name, condition, detail=''):
        results.append(bool(condition))
        print(('ok    ' if condition else 'FAIL  ') + name + ('' if condition else f': {detail}'))

    assert cli('rules', 'keygen', '--out', 'trusted').returncode == 0
    bundle, signing_stderr = hollow_bundle()
    check('signing it warns that hosts will refuse it, naming the floor rule',
          'protection floor: phi.ssn' in signing_stderr and
          'allow_below_protection_floor' in signing_stderr, signing_stderr)

    host, home = start_host('guarded', bundle, allow=False)
    try:
        refused = wait_for(lambda: 'protection floor: phi.ssn' in log_text(home))
        check('a bundle below the floor is refused, naming the floor rule', refused, log_text(home))
        hello = host.ask({'type': 'hello'})
        check('the bundle is not in force', '+bundle@' not in hello['rules']['version'], hello)
        check('SSNs still block', host.ask({'type': 'scan', 'text': SSN_TEXT})['verdict'] == 'block')

        before = {kind: host.ask({'type': 'scan', 'text': text})['verdict']
                  for kind, text in WARN_TEXTS.items()}
        check('name, date and phone texts warn', set(before.values()) == {'warn'}, before)
        for evidence in ('staff', 'not_patient'):
            cue = {'id': f'org.everyday-{evidence}', 'title': 't', 'category': 'cue', 'kind': 'cue',
                   'severity': 'low', 'action': 'info', 'evidence': evidence, 'caseless': True,
                   'terms': ['the', 'was', 'with', 'and', 'her', 'his', 'called', 'on', 'to'],
                   'message': 'm', 'examples': ['the']}
            reply = host.ask({'type': 'configure', 'rules': [cue]})
            check(f'an organisation {evidence} cue is refused, naming it',
                  reply.get('type') == 'error' and cue['id'] in reply.get('message', ''), reply)
            after = {kind: host.ask({'type': 'scan', 'text': text})['verdict']
                     for kind, text in WARN_TEXTS.items()}
            check(f'after it, name, date and phone texts still warn', after == before, after)
    finally:
        host.close()

    host, home = start_host('waived', bundle, allow=True)
    try:
        taken = wait_for(lambda: '+bundle@9.0' in host.ask({'type': 'hello'})['rules']['version'])
        check('with allow_below_protection_floor the same bundle is taken', taken, log_text(home))
        verdict = host.ask({'type': 'scan', 'text': SSN_TEXT})['verdict']
        check('and then SSNs are no longer found (the waiver is real)', verdict == 'allow', verdict)
    finally:
        host.close()

    failed = results.count(False)
    print(f'{len(results) - failed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
