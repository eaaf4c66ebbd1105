"""A phiguard-host started the way a browser starts it, spoken to in framed JSON.

Shared by the end-to-end scripts that hold one conversation with a host (the bad-input
matrix keeps its own non-blocking reader: it needs a deadline on every byte).
"""
import json
import os
import pathlib
import shutil
import struct
import subprocess
import tempfile

SHIPPED_PACKS = pathlib.Path(__file__).resolve().parents[2] / 'rules' / 'packs'


def small_builtin_rules(dest, packs=('phi-identifiers', 'health-terms')):
    """A built-in rules folder with a few of the shipped packs (and the term lists they read),
    for tests of how rules are delivered rather than of what they detect: every bundle or
    organisation change recompiles the whole set, and the shipped set takes seconds to
    compile (over 20 s under ASan), these two under one. Pass it as PHIGUARD_RULES_DIR
    (honoured by builds for tests only)."""
    dest = pathlib.Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    for pack in packs:
        shutil.copy(SHIPPED_PACKS / f'{pack}.json', dest / f'{pack}.json')
    shutil.copytree(SHIPPED_PACKS / 'lists', dest / 'lists', dirs_exist_ok=True)
    return str(dest)


def signer_env(cache_home, rules_dir):
    """The environment of whoever signs a test's bundles. `phiguard rules bundle` composes the
    packs over the built-in ones and compiles the result, to warn of a bundle below the
    protection floor: over the shipped packs (the default) that is 14 CPU-seconds a bundle,
    and the sets went into the cache of the account running the tests, which keeps three
    (kCachedSetsKept) and so pushed out the set the rule_cache fixture compiled for the other
    tests. Over the built-in set the test's hosts run with (`rules_dir`, small_builtin_rules)
    it takes a second, and `cache_home` keeps it apart from the hosts' cache: the hosts still
    compile every new bundle themselves."""
    return dict(os.environ, XDG_CACHE_HOME=str(cache_home), PHIGUARD_RULES_DIR=str(rules_dir))


def seed_rule_cache(cache_home):
    """Copy the compiled rules of the account running the tests (the rule_cache fixture's
    `phiguard rules compile`) into a scratch cache home, so a host or CLI started there reads
    them instead of compiling the shipped packs: about 14 CPU-seconds a start in a release
    build and over a minute under ASan, repeated by every script that starts cold, where the
    scripts test requests, scans and files rather than the compile. The compile and the
    cache are tested where they are the subject: e2e.rule_cache_warm, e2e.system_cache, the
    bundle updates (new sets compile), host_files' host without a home (it can keep no cache),
    the unit tests and fuzz.pack_loader. Tests that seed require the rule_cache fixture
    (tests/e2e/CMakeLists.txt); without a compiled set to copy the host compiles as before."""
    own = pathlib.Path(os.environ.get('XDG_CACHE_HOME') or pathlib.Path.home() / '.cache')
    dest = pathlib.Path(cache_home) / 'phiguard'
    if dest.resolve() == (own / 'phiguard').resolve():  # the runner's own cache: read already
        return
    dest.mkdir(parents=True, exist_ok=True)
    for database in (own / 'phiguard').glob('rules-*.hsdb'):
        shutil.copy(database, dest / database.name)


class IsolatedUser:
    """A scratch home for one test: the host's state, cache and system configuration all live
    in it, so a test never reads or changes the user's own. `config` is written as the
    system configuration (PHIGUARD_CONFIG, honoured by builds for tests only), with a
    `rules_dir` inside the scratch folder unless the test names one. Its cache starts with
    the compiled shipped packs (seed_rule_cache)."""

    def __init__(self, prefix, config=None):
        self.work = pathlib.Path(tempfile.mkdtemp(prefix=prefix))
        self.config = self.work / 'config.json'
        self.write_config(config or {})
        self.env = dict(os.environ, HOME=str(self.work), XDG_STATE_HOME=str(self.work / 'state'),
                        XDG_CACHE_HOME=str(self.work / 'cache'), PHIGUARD_CONFIG=str(self.config))
        seed_rule_cache(self.env['XDG_CACHE_HOME'])

    def write_config(self, config):
        self.config.write_text(json.dumps(dict({'rules_dir': str(self.work / 'rules.d')}, **config)))

    def host_log(self):
        return ''.join(p.read_text(errors='replace') for p in (self.work / 'state').rglob('*.log'))

    def remove(self):
        shutil.rmtree(self.work, ignore_errors=True)


class Checks:
    """Named checks that print as they run and count what failed, for scripts whose exit
    code is the test result."""

    def __init__(self):
        self.problems = []

    def __call__(self, name, ok, detail=''):
        print(f"{'ok  ' if ok else 'FAIL'} {name}")
        if not ok:
            self.problems.append(f'{name}: {detail}')

    def nothing_leaked(self, fragments, places, what='scanned text'):
        """No fragment of the test's text in any of `places` ({where: text})."""
        for where, text in places.items():
            found = [f for f in fragments if f in text]
            self(f'no {what} in {where}', not found, found)

    def exit_code(self):
        print(f'{len(self.problems)} problem(s)')
        return 1 if self.problems else 0


class HostSession:
    def __init__(self, host, origin, env):
        # Browsers pass the calling extension's origin as the first argument.
        self.proc = subprocess.Popen([host, origin], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, env=env)
        self.next_id = 0

    def ask(self, message):
        """Sends `message` with the next request id; returns the reply, which must carry it."""
        self.next_id += 1
        body = json.dumps(dict(message, id=self.next_id)).encode()
        self.proc.stdin.write(struct.pack('=I', len(body)) + body)
        self.proc.stdin.flush()
        header = self.proc.stdout.read(4)
        if len(header) != 4:
            raise RuntimeError(f'host closed its output (exit {self.proc.poll()})')
        (length,) = struct.unpack('=I', header)
        reply = json.loads(self.proc.stdout.read(length))
        assert reply.get('id') == self.next_id, reply
        return reply

    def close(self, timeout=30):
        """Closes the host's input as a browser does; returns (exit code, stderr)."""
        self.proc.stdin.close()
        stderr = self.proc.stderr.read()
        return self.proc.wait(timeout=timeout), stderr
