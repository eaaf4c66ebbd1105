#!/usr/bin/env python3
"""`phiguard doctor` end to end on a staged install (a scratch root laid out as the package
lays it out: both programs in usr/bin, the packs in usr/share/phiguard/rules/packs, the
system manifests written by `phiguard install --system --root`).

Healthy: exit 0, every host started and blocking the canary, rules and sources reported,
`--json` says ok. Broken (a manifest naming /bin/cat, a list file missing from the rules
folder, a configuration file with a misspelt and a mistyped field): exit 1, and one PROBLEM
line each naming the cause and a fix. Doctor's output never holds the canary's text.

usage: doctor_e2e.py PHIGUARD PHIGUARD_HOST SOURCE_DIR      (label `e2e`)
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from host_session import seed_rule_cache

CLI, HOST, SOURCE = sys.argv[1], sys.argv[2], Path(sys.argv[3])
PACKS = "usr/share/phiguard/rules/packs"
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print(f"FAIL: {what}", flush=True)


def stage(root):
    (root / "usr/bin").mkdir(parents=True)
    shutil.copy2(CLI, root / "usr/bin/phiguard")
    shutil.copy2(HOST, root / "usr/bin/phiguard-host")
    shutil.copytree(SOURCE / "rules/packs", root / PACKS)
    subprocess.run([str(root / "usr/bin/phiguard"), "install", "--system", "--root", str(root),
                    "--browser", "chrome,chromium,edge,brave,vivaldi,firefox",
                    "--host-path", "/usr/bin/phiguard-host"], check=True, capture_output=True)


def doctor(root, env, *extra):
    # No timeout here: a loaded machine compiling the rules cold may take long; doctor's own
    # --timeout (120 s by default) ends a host that hangs.
    return subprocess.run([str(root / "usr/bin/phiguard"), "doctor", "--system", "--root", str(root),
                           *extra], capture_output=True, text=True, env=env)


def main():
    with tempfile.TemporaryDirectory(prefix="phiguard-doctor-") as work:
        work = Path(work)
        # The staged host reads its own packs; nothing points it elsewhere.
        env = {k: v for k, v in os.environ.items() if not k.startswith("PHIGUARD_")}
        env.update(HOME=str(work / "home"), XDG_CACHE_HOME=str(work / "cache"),
                   XDG_STATE_HOME=str(work / "state"))
        # The staged packs are the shipped ones, so the hosts doctor starts read the set the
        # rule_cache fixture compiled: doctor's checks are under test here, not the compile.
        seed_rule_cache(env["XDG_CACHE_HOME"])
        root = work / "root"
        stage(root)

        healthy = doctor(root, env)
        print(healthy.stdout, end="")
        check(healthy.returncode == 0, f"healthy install: exit {healthy.returncode}, want 0")
        check("OK: no problems" in healthy.stdout, "healthy install: 'OK: no problems'")
        check("canary post: block" in healthy.stdout, "healthy install: the host blocks the canary")
        check(f"built-in packs: /{PACKS} (" in healthy.stdout, "healthy install: built-in packs reported")
        check("protection floor: enforced" in healthy.stdout,
              "healthy install: the protection floor is reported enforced")
        report = json.loads(doctor(root, env, "--json").stdout)
        check(report["ok"] and report["problems"] == [], "healthy install: --json ok, no problems")
        hosts = report["hosts"]
        check(len(hosts) == 1 and hosts[0]["path"] == "/usr/bin/phiguard-host"
              and hosts[0]["canary_verdict"] == "block" and hosts[0]["rules_version"] != "none"
              and len(hosts[0]["packs"]) == len(list((root / PACKS).glob("*.json"))),
              f"healthy install: --json reports the host, its packs and the verdict: {hosts}")
        check(all(b["valid"] for b in report["browsers"]), "healthy install: every manifest valid")

        # Break it three ways.
        chrome = root / "etc/opt/chrome/native-messaging-hosts/com.phiguard.host.json"
        manifest = json.loads(chrome.read_text())
        manifest["path"] = "/bin/cat"
        chrome.write_text(json.dumps(manifest))
        (root / "bin").mkdir()
        shutil.copy2("/bin/cat", root / "bin/cat")
        (root / PACKS / "lists/care-cues.txt").unlink()
        (root / "etc/phiguard").mkdir(parents=True)
        (root / "etc/phiguard/config.json").write_text(
            json.dumps({"trusted_key": [], "update_interval_seconds": "60", "audit": {"sylog": True},
                        "allow_below_protection_floor": True}))

        broken = doctor(root, env, "--browser", "chrome,chromium,firefox")
        print(broken.stdout, end="")
        lines = broken.stdout.splitlines()
        problems = [line for line in lines if line.startswith("PROBLEM: ")]
        check(broken.returncode == 1, f"broken install: exit {broken.returncode}, want 1")

        def one(*needles):
            found = [p for p in problems if all(n in p for n in needles)]
            check(len(found) == 1 and ("fix:" in found[0] or "reinstall" in found[0]),
                  f"broken install: one PROBLEM line with {needles} and a fix: {problems}")

        one("'/bin/cat' is not the installed phiguard-host", str(chrome))
        one("rules unavailable", "lists/care-cues.txt")
        one("unknown field 'trusted_key'")
        one("unknown field 'audit.sylog'")
        one("'update_interval_seconds' must be")
        check("protection floor: WAIVED" in broken.stdout,
              "broken install: a waived protection floor is reported (the rest of the file is kept)")
        check(any("INVALID" in line and str(chrome) in line for line in lines),
              "broken install: the Chrome manifest is INVALID")
        report = json.loads(doctor(root, env, "--json").stdout)
        check(not report["ok"] and len(report["problems"]) == 5,
              f"broken install: --json not ok, 5 problems: {report['problems']}")
        check(not report["config"]["valid"], "broken install: --json config invalid")
        # Without starting hosts the manifest naming /bin/cat is still invalid.
        unstarted = doctor(root, env, "--no-start", "--browser", "chrome")
        check(unstarted.returncode == 1 and
              "'/bin/cat' is not the installed phiguard-host" in unstarted.stdout,
              f"--no-start: a manifest naming /bin/cat is invalid: {unstarted.stdout}")

        # The updater's last check, as it left it in this user's state folder.
        (root / "etc/phiguard/config.json").write_text(json.dumps({"bundle_path": "/srv/org.bundle"}))
        status = work / "state/phiguard/bundle.status"
        status.parent.mkdir(parents=True, exist_ok=True)
        status.write_text(json.dumps({"outcome": "refused", "version": "2.0",
                                      "reason": "signature does not verify", "in_force": "",
                                      "checked": "2026-12-05T10:00:00Z"}))
        checked = doctor(root, env, "--no-start", "--browser", "chrome")
        check("last bundle check for this user: refused 2.0: signature does not verify "
              "(checked 2026-12-05T10:00:00Z)" in checked.stdout,
              f"the last bundle check is reported: {checked.stdout}")

        for output in (healthy.stdout, broken.stdout):
            check("219-44-7816" not in output and "Carter" not in output,
                  "doctor's output holds none of the canary's text")

    print(f"{len(failures)} failed" if failures else "all passed", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
