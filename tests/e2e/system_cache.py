#!/usr/bin/env python3
"""The system cache of compiled rules end to end (issue #15, #18): `phiguard rules compile
--system-cache DIR` writes the set this machine's hosts start with (folder 0755, file 0644,
pruned to the current and previous set) and says what it wrote; `--check` and `phiguard
doctor` say current or stale; a host started with an empty user cache loads that set, used
in place (mapped, not copied, no digest), and writes nothing of its own, and says so in its
log; with a folder above it that others can write, it copies the set and checks its digest
instead (issue #18, fourth start-up round); a folder others can write is refused and
the host compiles its own; a writer who is not the trusted owner is refused with a clear
error. Prints the host's start time with and without the system cache.

The trusted owner is the test's own uid through PHIGUARD_SYSTEM_CACHE_OWNER, honoured only
in builds for tests (util/test_overrides.h); installed hosts trust root alone.

usage: system_cache.py PHIGUARD PHIGUARD_HOST      (label `e2e`)
"""

import json
import os
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from host_session import HostSession, small_builtin_rules  # noqa: E402

CLI, HOST = sys.argv[1], sys.argv[2]
failures = []
# A system pack, to change the set in force after the cache was written. Synthetic text.
SYSTEM_PACK = {
    "pack": "org-extra", "version": "1.0.0", "description": "e2e system pack",
    "rules": [{"id": "org.ticket", "title": "Ticket number", "category": "other_id", "kind": "phi",
               "severity": "high", "action": "warn", "message": "A ticket number",
               "pattern": "TKT-\\d{7}", "examples": ["see TKT-1234567"], "negatives": ["TKT-12"]}],
}


def check(ok, what, detail=""):
    if not ok:
        failures.append(what)
        print(f"FAIL: {what} {detail}".rstrip(), flush=True)


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def cache_files(folder):
    return sorted(p.name for p in Path(folder).glob("rules-*.hsdb")) if Path(folder).is_dir() else []


def environment(work, name, system_dir, owner=None):
    """A user of the machine: own home, cache and log; the machine's configuration."""
    home = work / name
    env = {k: v for k, v in os.environ.items() if not k.startswith("PHIGUARD_")}
    env.update(HOME=str(home), XDG_CACHE_HOME=str(home / "cache"), XDG_STATE_HOME=str(home / "state"),
               PHIGUARD_CONFIG=str(work / "config.json"), PHIGUARD_SYSTEM_CACHE_DIR=str(system_dir),
               PHIGUARD_SYSTEM_CACHE_OWNER=str(os.getuid() if owner is None else owner),
               # Where the compiled set comes from is under test, not what it detects: a
               # few shipped packs compile in a second where the whole set takes five
               # (over twenty under ASan), and the cold user below compiles on purpose.
               PHIGUARD_RULES_DIR=small_builtin_rules(work / "builtin"))
    return home, env


def log_text(home):
    return "".join(p.read_text(errors="replace") for p in (home / "state").rglob("*.log"))


def compile_system(env, *extra):
    return subprocess.run([CLI, "rules", "compile", "--system-cache", *extra], capture_output=True,
                          text=True, env=env)


def start_host(env):
    """Seconds from start to the hello reply, and the reply."""
    started = time.monotonic()
    host = HostSession(HOST, "chrome-extension://system-cache/", env)
    hello = host.ask({"type": "hello", "client": {"name": "system-cache-test", "version": "0"}})
    seconds = time.monotonic() - started
    scan = host.ask({"type": "scan", "text": "Patient SSN: 219-44-7816", "site": "x.com",
                     "surface": "compose"})
    host.close()
    return seconds, hello, scan


def main():
    with tempfile.TemporaryDirectory(prefix="phiguard-system-cache-") as tmp:
        work = Path(tmp)
        (work / "rules.d").mkdir()
        (work / "config.json").write_text(json.dumps({"rules_dir": str(work / "rules.d")}))
        system = work / "var-cache-phiguard"
        root_home, root_env = environment(work, "root", system)

        # Leftovers of earlier updates, oldest first: pruning keeps the newest one beside
        # the set it writes.
        system.mkdir(mode=0o700)
        for age, name in enumerate(["rules-old3.hsdb", "rules-old2.hsdb", "rules-old1.hsdb"]):
            (system / name).write_bytes(b"x")
            then = time.time() - 3600 * (3 - age)
            os.utime(system / name, (then, then))

        written = compile_system(root_env, str(system))
        check(written.returncode == 0, "compile --system-cache succeeds",
              written.stdout + written.stderr)
        out = written.stdout
        check("system cache: wrote rules " in out and "file: " in out and " bytes)" in out
              and "compiled in " in out, "it says which rules, file, size and time it wrote", out)
        # The folders above (a private temporary folder, /tmp) are root's or sticky.
        check("hosts use it in place" in out, "and that hosts map it in place", out)
        files = [f for f in cache_files(system) if not f.startswith("rules-old")]
        check(len(files) == 1, "one set written", cache_files(system))
        check(mode(system) == 0o755, f"the folder is 0755 (was 0700), got {oct(mode(system))}")
        if files:
            check(mode(system / files[0]) == 0o644, f"the set is 0644, got {oct(mode(system / files[0]))}")
            check(files[0] in out, "the file it names is the one written", out)
        check(cache_files(system) == sorted(files + ["rules-old1.hsdb"]),
              "pruned to the current and previous set", cache_files(system))
        check(not cache_files(root_home / "cache" / "phiguard"), "the writer's own cache is untouched")

        again = compile_system(root_env, str(system))
        check(again.returncode == 0 and "already holds rules" in again.stdout,
              "a second run finds the set current", again.stdout + again.stderr)
        current = compile_system(root_env, str(system), "--check")
        check(current.returncode == 0 and "system cache current (rules " in current.stdout
              and ", used in place)" in current.stdout, "--check: current, used in place",
              current.stdout + current.stderr)
        # The pack folders compiled beside it (cache/compiled_packs.h): the built-in packs
        # and the system rules folder, each read by hosts instead of its JSON.
        check(current.stdout.count("compiled packs of ") == 2
              and current.stdout.count(": current (") == 2
              and "read by hosts at start" in current.stdout,
              "--check: both pack folders compiled, current", current.stdout)
        forms = sorted(system.glob("packs-*.pkc"))
        check(len(forms) == 2 and all(mode(p) == 0o644 for p in forms),
              "one compiled pack form per folder, 0644", sorted(p.name for p in system.iterdir()))
        doctor = subprocess.run([CLI, "doctor", "--system", "--no-start"], capture_output=True,
                                text=True, env=root_env)
        check("compiled rules: system cache current (rules " in doctor.stdout,
              "doctor --system reports the system cache current", doctor.stdout)

        # A user's host with an empty cache: starts from the system set, compiles nothing,
        # writes nothing of its own.
        user_home, user_env = environment(work, "user", system)
        warm, hello, scan = start_host(user_env)
        check(hello.get("type") == "hello" and hello.get("rules", {}).get("version") not in (None, "none"),
              "the host has its rules", hello)
        check(scan.get("verdict") == "block", "and blocks an SSN", scan.get("verdict"))
        check(not cache_files(user_home / "cache" / "phiguard"), "the user's cache stays empty",
              cache_files(user_home / "cache" / "phiguard"))
        log = log_text(user_home)
        check("found in the system cache" in log and "(used in place)" in log and "cache hit" in log,
              "the host's log says it started from the system cache, used in place", log[-600:])

        # The same user without a system cache: compiles (the cost every user paid before).
        cold_home, cold_env = environment(work, "cold", work / "no-system-cache")
        cold, hello, _ = start_host(cold_env)
        check(len(cache_files(cold_home / "cache" / "phiguard")) == 1,
              "without it the host compiles into its own cache")
        print(f"host start to hello: {warm * 1000:.0f} ms from the system cache, "
              f"{cold * 1000:.0f} ms compiling (empty user cache both times)")

        # A folder above it others could write: they could swap the folder, so the host
        # copies the set and checks its digest, as it does a user's own file.
        os.chmod(work, 0o777)
        above_home, above_env = environment(work, "above", system)
        _, hello, _ = start_host(above_env)
        log = log_text(above_home)
        check("(copied, digest checked)" in log and not cache_files(above_home / "cache" / "phiguard"),
              "a folder above others can write: copied from the system cache, digest checked",
              log[-600:])
        os.chmod(work, 0o700)

        # A folder others could write: refused (logged), the host compiles its own.
        os.chmod(system, 0o775)
        open_home, open_env = environment(work, "open", system)
        start_host(open_env)
        check(len(cache_files(open_home / "cache" / "phiguard")) == 1,
              "a group-writable system cache is not used")
        check("writable by group or others" in log_text(open_home), "and the log says why")
        os.chmod(system, 0o755)

        # Owned by someone other than the trusted owner: the host does not use it, and that
        # owner's writer refuses to write it.
        other_home, other_env = environment(work, "other", system, owner=os.getuid() + 1)
        start_host(other_env)
        check(len(cache_files(other_home / "cache" / "phiguard")) == 1,
              "a system cache of another owner is not used")
        refused = compile_system(other_env, str(system))
        check(refused.returncode != 0 and "run this as uid" in refused.stderr,
              "a writer that is not the trusted owner gets a clear error",
              refused.stdout + refused.stderr)

        # A system pack changes the set in force: stale until root compiles again.
        (work / "rules.d" / "org-extra.json").write_text(json.dumps(SYSTEM_PACK))
        stale = compile_system(root_env, str(system), "--check")
        check(stale.returncode == 1 and "system cache stale" in stale.stdout,
              "--check: stale after a system pack change", stale.stdout + stale.stderr)
        recompiled = compile_system(root_env, str(system))
        check(recompiled.returncode == 0 and "wrote rules" in recompiled.stdout,
              "recompiled", recompiled.stdout + recompiled.stderr)
        check(len(cache_files(system)) == 2, "current and previous set kept", cache_files(system))
        after_home, after_env = environment(work, "after", system)
        _, hello, _ = start_host(after_env)
        packs = {p.get("id") for p in hello.get("rules", {}).get("packs", [])}
        check("org-extra" in packs and not cache_files(after_home / "cache" / "phiguard"),
              "a host then starts with the system pack, from the system cache", packs)

        usage = compile_system(root_env, str(system), "--builtin-only")
        check(usage.returncode == 2, "--system-cache refuses --builtin-only", usage.stderr)

    if failures:
        print(f"{len(failures)} failures")
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
