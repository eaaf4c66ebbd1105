#!/usr/bin/env python3
"""The files a running host reads and writes, bounded and private (issue #18): a 1 GiB
bundle file, pack and configuration are refused by size before they are read (the host
runs with a 768 MiB address-space limit, so reading one whole would fail); one bad field
in the configuration is named and ignored while the rest (audit) stays in force; audit
files are created 0600; with HOME unset and no password entry the host keeps nothing in a
shared /tmp folder and says so on stderr.
Usage: host_files.py PHIGUARD_HOST
"""
import json
import os
import pathlib
import resource
import shutil
import stat
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from host_session import HostSession, seed_rule_cache  # noqa: E402

HOST = sys.argv[1]
WORK = pathlib.Path(tempfile.mkdtemp(prefix='phiguard-files-'))
ONE_GIB = 1 << 30
SSN_TEXT = 'SSN 524-71-3308'
NOBODY_UID = 54321  # no password entry on a test machine


# AddressSanitizer reserves terabytes of address space for its shadow memory, so a
# sanitized host cannot start under any address-space limit; there the log line that says
# the file was not read is the evidence.
SANITIZED = bool(os.environ.get('ASAN_OPTIONS'))


def limited_memory():
    if not SANITIZED:
        resource.setrlimit(resource.RLIMIT_AS, (768 << 20, 768 << 20))


def sparse(path, size=ONE_GIB):
    """A file of `size` bytes that takes no disk space."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, 'wb') as f:
        f.truncate(size)
    return path


class Host(HostSession):
    def __init__(self, env, preexec=None, command=None):
        # HostSession without its Popen, for a resource limit or another user.
        self.proc = subprocess.Popen(command or [HOST, 'chrome-extension://files/'],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, env=env, preexec_fn=preexec)
        self.next_id = 0


def environment(name, config):
    home = WORK / name
    home.mkdir()
    (home / 'config.json').write_text(config if isinstance(config, str) else json.dumps(config))
    return home, dict(os.environ, HOME=str(home), XDG_STATE_HOME=str(home / 'state'),
                      XDG_CACHE_HOME=str(WORK / 'cache'),
                      PHIGUARD_CONFIG=str(home / 'config.json'))


def log_text(home):
    return ''.join(p.read_text(errors='replace') for p in (home / 'state').rglob('*.log'))


def wait_for(condition, seconds=120):
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

    # The hosts below with a home share one cache, which starts with the shipped packs
    # compiled (the rule_cache fixture): what they test is which files are read and written.
    # The host without a home can keep no cache and still compiles the packs itself.
    seed_rule_cache(WORK / 'cache')

    # A 1 GiB bundle on the share and a 1 GiB pack in the system folder.
    home, env = environment('huge', {})
    bundle = sparse(home / 'share' / 'phiguard.bundle')
    sparse(home / 'rules.d' / 'huge.json')
    (home / 'config.json').write_text(json.dumps({
        'trusted_keys': ['MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE='],
        'bundle_path': str(bundle), 'update_interval_seconds': 1, 'update_jitter_seconds': 0,
        'rules_dir': str(home / 'rules.d')}))
    host = Host(env, preexec=limited_memory)
    try:
        check('with a 1 GiB pack in the system folder the host still blocks an SSN',
              host.ask({'type': 'scan', 'text': SSN_TEXT})['verdict'] == 'block')
        check('the pack is refused by its size, unread',
              'huge.json: larger than 16 MiB (1073741824 bytes); not read' in log_text(home),
              log_text(home))
        refused = wait_for(lambda: 'phiguard.bundle: larger than 16 MiB (1073741824 bytes); not '
                                   'read' in log_text(home))
        check('a 1 GiB bundle file is refused by its size, unread', refused, log_text(home))
        check('and the host keeps answering',
              host.ask({'type': 'scan', 'text': SSN_TEXT})['verdict'] == 'block')
        check('nothing ran out of memory', 'out of memory' not in log_text(home), log_text(home))
    finally:
        host.close()

    home, env = environment('huge-config', '')
    sparse(home / 'config.json')
    host = Host(env, preexec=limited_memory)
    try:
        check('a 1 GiB configuration file: the host still blocks an SSN',
              host.ask({'type': 'scan', 'text': SSN_TEXT})['verdict'] == 'block')
        check('and refuses the file by its size, unread',
              'config.json: larger than 1 MiB (1073741824 bytes); not read' in log_text(home),
              log_text(home))
    finally:
        host.close()

    # One misspelt field: named, ignored, and the rest (audit) stays in force.
    audit_file = WORK / 'audit' / 'audit.jsonl'
    home, env = environment('typo', {'trusted_key': ['AAAA'], 'audit': {
        'enabled': True, 'file': str(audit_file), 'max_files': 'three'}})
    old_umask = os.umask(0o022)  # what a desktop session has: new files 0644 unless asked
    host = Host(env)
    os.umask(old_umask)
    try:
        recorded = host.ask({'type': 'audit', 'event': {
            'site': 'x.com', 'verdict': 'warn', 'outcome': 'edited', 'rules': ['phi.phone'],
            'categories': ['phone']}})
        check('with a misspelt field the rest of the configuration is in force (audit records)',
              recorded.get('recorded') is True, recorded)
        check('the misspelt field is named in the log',
              "unknown field 'trusted_key'; that field is ignored" in log_text(home), log_text(home))
        check('so is the mistyped one',
              "'audit.max_files' must be a whole number" in log_text(home), log_text(home))
        mode = stat.S_IMODE(audit_file.stat().st_mode) if audit_file.exists() else None
        check('the audit file is created 0600', mode == 0o600, oct(mode or 0))
    finally:
        host.close()

    # A FIFO where the audit file goes: opening it for writing would wait for a reader
    # forever; the host refuses it, says why, and keeps answering.
    fifo = WORK / 'fifo-audit' / 'audit.jsonl'
    fifo.parent.mkdir()
    os.mkfifo(fifo)
    home, env = environment('fifo', {'audit': {'enabled': True, 'file': str(fifo)}})
    host = Host(env)
    try:
        check('with a FIFO as the audit file the host still blocks an SSN',
              host.ask({'type': 'scan', 'text': SSN_TEXT})['verdict'] == 'block')
        check('and says the audit file is not a regular file',
              'not a regular file' in log_text(home), log_text(home))
    finally:
        host.close()

    # HOME unset, and a user the password database does not know: no shared /tmp folder.
    if os.geteuid() == 0 and shutil.which('setpriv'):
        before = set(subprocess.run(['find', '/tmp', '-xdev', '-uid', str(NOBODY_UID)],
                                    capture_output=True, text=True).stdout.split())
        bare = {k: v for k, v in os.environ.items()
                if k not in ('HOME', 'XDG_STATE_HOME', 'XDG_CACHE_HOME', 'XDG_RUNTIME_DIR',
                             'PHIGUARD_CONFIG')}
        bare['PHIGUARD_CONFIG'] = str(WORK / 'none.json')
        host = Host(bare, command=['setpriv', f'--reuid={NOBODY_UID}', f'--regid={NOBODY_UID}',
                                   '--clear-groups', HOST, 'chrome-extension://files/'])
        try:
            check('with HOME unset and no password entry the host still blocks an SSN',
                  host.ask({'type': 'scan', 'text': SSN_TEXT})['verdict'] == 'block')
        finally:
            _, stderr = host.close()
        after = set(subprocess.run(['find', '/tmp', '-xdev', '-uid', str(NOBODY_UID)],
                                   capture_output=True, text=True).stdout.split())
        check('it wrote nothing under /tmp', after == before, sorted(after - before))
        check('and says on stderr that it has no per-user folder',
              b'no per-user folder' in stderr, stderr[-400:])
    else:
        print('skip  HOME unset as a user without a password entry (needs root and setpriv)')

    failed = results.count(False)
    print(f'{len(results) - failed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
