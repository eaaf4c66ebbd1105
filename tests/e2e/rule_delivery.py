#!/usr/bin/env python3
"""Rule delivery that cannot silently stall (issue 15), over a real HTTPS server on
127.0.0.1: the bundle in force served again is "current", not an error, and an older one
is a warning naming both versions; a bundle refused for want of a key is taken when
`configure` brings the key; the stored bundle is in force at start with the server down,
also when its key comes from policy; `phiguard rules update` checks now and says what
happened in words, with a non-zero exit when it did not take or confirm a bundle.
Usage: rule_delivery.py PHIGUARD PHIGUARD_HOST
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
from https_bundle_server import BundleServer, make_certificate  # noqa: E402

CLI, HOST = sys.argv[1], sys.argv[2]
WORK = pathlib.Path(tempfile.mkdtemp(prefix='phiguard-delivery-'))
BUILTIN = small_builtin_rules(WORK / 'builtin')  # the hosts' built-in packs, and the signer's
STATE = WORK / 'state' / 'phiguard'
WAIT = 120  # generous: CI is a loaded two-core machine and a bundle compiles before it counts


def cli(*args, env=None):
    """`phiguard` as the host's user with `env`, else as the bundles' signer (signer_env)."""
    env = env or signer_env(WORK / 'signer-cache', BUILTIN)
    return subprocess.run([CLI, *args], capture_output=True, text=True, cwd=WORK, timeout=300,
                          env=env)


def signed_bundle(version):
    rule = {'id': 'org.falcon', 'title': 'Project Falcon', 'category': 'confidential',
            'kind': 'policy', 'severity': 'high', 'action': 'warn', 'terms': ['Project Falcon'],
            'caseless': True, 'message': 'Project Falcon is internal.',
            'examples': ['news on Project Falcon today'], 'negatives': ['nothing to see']}
    pack = WORK / f'extra-{version}.json'
    pack.write_text(json.dumps({'pack': 'extra', 'version': version, 'description': 'test pack',
                                'rules': [rule]}))
    out = WORK / f'{version}.bundle'
    done = cli('rules', 'bundle', '--sign', 'trusted.key', '--version', version, '--out', str(out),
               str(pack))
    assert done.returncode == 0, done.stderr
    return out.read_bytes()


def host_log():
    path = STATE / 'phiguard-host.log'
    return path.read_text(errors='replace') if path.exists() else ''


def status():
    path = STATE / 'bundle.status'
    return json.loads(path.read_text()) if path.exists() else {}


def wait_until(condition, seconds=WAIT):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    return condition()


class Host(HostSession):
    def __init__(self, env):
        super().__init__(HOST, 'chrome-extension://delivery/', env)

    def version(self):
        return self.ask({'type': 'hello'})['rules']['version']

    def configure_keys(self, keys):
        return self.ask({'type': 'configure', 'policy': {'bundleKeys': keys}})


def main():
    results = []

    def check(name, condition, detail=''):
        results.append(bool(condition))
        print(('ok    ' if condition else 'FAIL  ') + name + ('' if condition else f': {detail}'))

    assert cli('rules', 'keygen', '--out', 'trusted').returncode == 0
    key = (WORK / 'trusted.pub').read_text().splitlines()[-1]
    cert, cert_key = make_certificate(str(WORK))
    served = WORK / 'served'
    served.mkdir()
    (served / 'phiguard.bundle').write_bytes(signed_bundle('1.0'))
    server = BundleServer(str(served), cert, cert_key)
    server.start()

    def write_config(keys, source=True):
        config = {'trusted_keys': keys, 'update_interval_seconds': 1, 'update_jitter_seconds': 0,
                  'rules_dir': str(WORK / 'rules.d')}
        if source:
            config.update(bundle_url=server.url, ca_file=cert)
        (WORK / 'config.json').write_text(json.dumps(config))

    env = dict(os.environ, HOME=str(WORK), XDG_STATE_HOME=str(WORK / 'state'),
               XDG_CACHE_HOME=str(WORK / 'cache'), PHIGUARD_CONFIG=str(WORK / 'config.json'),
               PHIGUARD_RULES_DIR=BUILTIN)
    host = None
    try:
        # Keys that arrive late: the configuration has none, policy brings the signer's.
        write_config([])
        host = Host(env)
        check('without a trusted key the bundle is refused',
              wait_until(lambda: 'no trusted keys are configured' in host_log()), host_log()[-500:])
        seen = server.requests
        wait_until(lambda: server.not_modified > 0 and server.requests > seen + 1)
        check('and later checks are answered 304', server.not_modified > 0, server.requests)
        host.configure_keys([key])
        check('a key from configure gets the same bundle taken',
              wait_until(lambda: '+bundle@1.0' in host.version()), host.version())
        host.close()

        # Offline start, key from policy: the stored bundle comes back when the key does.
        server.stop()
        host = Host(env)
        check('offline, with the key only in policy, nothing is restored before configure',
              '+bundle@' not in host.version(), host.version())
        host.configure_keys([key])
        check('offline, configure brings the key and the stored bundle is restored',
              wait_until(lambda: '+bundle@1.0' in host.version()), host.version())
        host.close()

        # Offline start, key in the configuration: in force before any check.
        write_config([key])
        host = Host(env)
        check('offline, the stored bundle is in force at the first hello',
              '+bundle@1.0' in host.version(), host.version())

        # The server back, serving the bundle in force: current, not an error.
        log_start = len(host_log())
        server.start()
        seen = server.requests
        wait_until(lambda: server.requests > seen + 1 and status().get('outcome') == 'current')
        check('the version in force at the source is "current"',
              status().get('outcome') == 'current' and status().get('in_force') == '1.0',
              status())
        errors = [line for line in host_log()[log_start:].splitlines() if '[error]' in line]
        check('and no [error] line is logged for it', not errors, errors)

        # An older bundle: refused, as a warning naming both versions.
        (served / 'phiguard.bundle').write_bytes(signed_bundle('0.9'))
        refusal = 'version 0.9 is older than 1.0 in force'
        check('an older version is refused naming both versions',
              wait_until(lambda: refusal in host_log()), host_log()[-500:])
        lines = [line for line in host_log().splitlines() if refusal in line]
        check('as a warning', lines and all('[warning]' in line for line in lines), lines)
        check('and the bundle in force stays', host.version().endswith('+bundle@1.0'))
        host.close()
        host = None

        # `phiguard rules update`, with the same configuration and state as the host.
        (served / 'phiguard.bundle').write_bytes(signed_bundle('2.0'))
        done = cli('rules', 'update', env=env)
        check('rules update takes a newer bundle', done.returncode == 0 and
              done.stdout.strip() == 'updated to 2.0', (done.returncode, done.stdout, done.stderr))
        done = cli('rules', 'update', env=env)
        check('rules update says when it is already current', done.returncode == 0 and
              done.stdout.strip() == 'already current 2.0', (done.returncode, done.stdout))
        (served / 'phiguard.bundle').write_bytes(signed_bundle('1.5'))
        done = cli('rules', 'update', env=env)
        check('rules update refuses an older one, saying why, and exits 1', done.returncode == 1
              and done.stdout.strip() == 'refused: version 1.5 is older than 2.0 in force',
              (done.returncode, done.stdout))
        write_config([])
        (served / 'phiguard.bundle').write_bytes(signed_bundle('3.0'))
        done = cli('rules', 'update', env=env)
        check('rules update refuses an untrusted signature and exits 1', done.returncode == 1 and
              done.stdout.startswith('refused: ') and 'trusted keys' in done.stdout,
              (done.returncode, done.stdout))
        write_config([key])
        server.stop()
        done = cli('rules', 'update', env=env)
        check('rules update with the server down says the check failed and exits 1',
              done.returncode == 1 and done.stdout.startswith('check failed: '),
              (done.returncode, done.stdout))
        write_config([key], source=False)
        done = cli('rules', 'update', env=env)
        check('rules update without a configured source exits 2',
              done.returncode == 2 and done.stdout.startswith('no bundle source'),
              (done.returncode, done.stdout))
    finally:
        if host:
            host.close()
        server.stop()
    failed = results.count(False)
    print(f'{len(results) - failed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
