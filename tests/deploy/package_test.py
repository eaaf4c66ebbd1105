#!/usr/bin/env python3
"""Builds the .deb (and the .rpm when rpmbuild is there), installs each into a scratch root,
and checks that every file lands where docs/it-guide.md says, that every host manifest is
valid, that an upgrade removes a manifest the old version had and the new one does not, and
that removal leaves the root exactly as it was. Nothing outside temporary folders is touched.

What the user gets is run, not just listed: the installed `phiguard scan` and the installed
`phiguard-host` (one native-messaging session: hello, then a scan) must block a canary post
with the installed rules alone, and every list file an installed pack names must be in the
package. The .deb is also unpacked with `dpkg -x` (the .rpm with rpm2cpio | cpio) into a
bare folder and run from there, so nothing dpkg or rpm does at install time is relied on.
Neither package may carry a folder the system or a browser owns (/etc/opt, /usr/lib64, ...).

The maintainer scripts run: dpkg installs with --force-script-chrootless (the scratch root
has no shell or libraries to chroot into, and chroot needs root), so postinst runs with
$DPKG_ROOT set to the scratch root. As root it must compile the rules into
<root>/var/cache/phiguard (folder 0755, one set 0644, found current by the installed CLI and
used in place, and the installed packs' compiled form beside it, 0644, found current and read
by hosts); as
another user it must say each host compiles its own, and the install must succeed anyway.
Removal must delete that folder. rpm runs scriptlets only inside a chroot of its --root, which
the scratch root cannot host, so the .rpm is installed with --noscripts and its scriptlets are
checked by content (`rpm -qp --scripts`).

Packages are made from BUILD_DIR, the build the other tests use: the programs it installs are
linked a second time with the test-override gate off (host/CMakeLists.txt), so nothing is
compiled again for them, and the installed host is checked to ignore PHIGUARD_RULES_DIR and
PHIGUARD_CONFIG.

usage: package_test.py BUILD_DIR SOURCE_DIR      (label `deploy`; needs dpkg, optional rpm)
"""

import glob
import json
import os
import struct
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from deploy_support import Tally, cache_value, extension_ids, guide_linux_files, manifest_problems, skip  # noqa: E402

MANIFEST_GLOBS = ["etc/**/native-messaging-hosts/*.json", "usr/lib*/mozilla/native-messaging-hosts/*.json"]
# Folders an rpm leaves because the distribution's filesystem package owns them (CPack does not
# claim them); a real machine has them already.
# A post that must be blocked: a labelled SSN, and a named patient with a diagnosis. Never
# printed by this test.
CANARY = ("Patient SSN: 219-44-7816\n"
          "Our patient John Carter was admitted last night with pneumonia.\n")
# Where the programs look for their packs, relative to bin/ (util::BuiltinRulesDir()).
PACKS = "usr/share/phiguard/rules/packs"
# Pack fields that name other files, relative to the pack's folder (rules/README.md).
WORD_FILE_FIELDS = ("accept_files", "reject_files", "never_files", "skip_files")
# Folders the package's files live in, which it owns so removal deletes them when empty.
OWN_DIRS = ("etc/opt/chrome/native-messaging-hosts", "etc/chromium/native-messaging-hosts",
            "etc/opt/edge/native-messaging-hosts", "etc/opt/brave/native-messaging-hosts",
            "etc/opt/vivaldi/native-messaging-hosts", "usr/lib/mozilla/native-messaging-hosts",
            "usr/lib64/mozilla/native-messaging-hosts", "usr/share/phiguard", "usr/share/doc/phiguard")
# Folders the distribution's filesystem package owns: the .rpm must not claim them (rpm then
# reports a conflict with filesystem), so removal leaves them; a real machine has them already.
SHARED_DIRS = {"etc", "etc/opt", "usr", "usr/bin", "usr/lib", "usr/lib64", "usr/share", "usr/share/doc"}


def run(*args, **kwargs):
    return subprocess.run(args, check=True, text=True, capture_output=True, **kwargs)


def tree(root, ignore=()):
    """Every path under root, relative, minus package-database folders."""
    paths = set()
    for dirpath, dirnames, filenames in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        dirnames[:] = [d for d in dirnames if os.path.join(rel, d).lstrip("./") not in ignore]
        for name in dirnames + filenames:
            paths.add(os.path.normpath(os.path.join(rel, name)))
    return paths


def installed_programs_built(build_dir):
    """Links the programs install() takes (the release build has already compiled them)."""
    installed = cache_value(build_dir, "PHIGUARD_TEST_OVERRIDES") in ("ON", "1", "TRUE")
    targets = ["phiguard-installed", "phiguard-host-installed"] if installed else ["phiguard", "phiguard-host"]
    run("cmake", "--build", build_dir, "--target", *targets)


def check_ignores_overrides(t, root, label):
    """The installed CLI scans with its own packs whatever PHIGUARD_RULES_DIR says."""
    env = dict(clean_env(root), PHIGUARD_RULES_DIR=str(Path(root, "no-such-rules")),
               PHIGUARD_CONFIG=str(Path(root, "no-such-config.json")))
    cli = Path(root, "usr/bin/phiguard")
    scan = subprocess.run([str(cli), "scan", "--fail-on", "block", "-"], input="SSN 219-44-7816\n",
                          text=True, capture_output=True, env=env)
    t.check(scan.returncode == 1, f"{label}: installed phiguard ignores PHIGUARD_RULES_DIR "
                                  f"(exit {scan.returncode}, 1 = blocking finding)")


def clean_env(root):
    """An environment for the installed programs: caches and logs inside the scratch root,
    and none of the test-build variables (the package build ignores them anyway)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PHIGUARD_")}
    home = Path(f"{root}-home")  # beside the root: removal must leave the root as it was
    env.update(HOME=str(home), XDG_CACHE_HOME=str(home / "cache"), XDG_STATE_HOME=str(home / "state"))
    return env


def referenced_files(packs_dir):
    """(pack file, referenced relative path) for every file an installed pack names."""
    refs = []
    for pack_file in sorted(Path(packs_dir).glob("*.json")):
        pack = json.loads(pack_file.read_text())
        for rule in pack.get("rules", []):
            if rule.get("terms_file"):
                refs.append((pack_file, rule["terms_file"]))
            for field in WORD_FILE_FIELDS:
                refs.extend((pack_file, name) for name in (rule.get("words") or {}).get(field, []))
    return refs


def check_pack_files(t, root, label):
    """Every terms_file and word list an installed pack names is installed beside it."""
    packs_dir = Path(root, PACKS)
    packs = sorted(packs_dir.glob("*.json"))
    t.check(packs, f"{label}: rule packs installed in /{PACKS}")
    refs = referenced_files(packs_dir)
    t.check(len(refs) > 10, f"{label}: installed packs name their list files ({len(refs)} found)")
    for pack_file, name in refs:
        t.check((pack_file.parent / name).is_file(),
                f"{label}: {pack_file.name} names {name}, which the package does not install")


def frame(message):
    body = json.dumps(message).encode()
    return struct.pack("=I", len(body)) + body


def read_frames(data):
    frames = []
    while len(data) >= 4:
        size = struct.unpack("=I", data[:4])[0]
        frames.append(json.loads(data[4:4 + size]))
        data = data[4 + size:]
    return frames


def check_installed_programs(t, root, label):
    """The installed CLI and host block the canary with the installed rules only."""
    env = clean_env(root)
    cli, host = Path(root, "usr/bin/phiguard"), Path(root, "usr/bin/phiguard-host")
    version = subprocess.run([str(cli), "version"], text=True, capture_output=True, env=env)
    t.check(version.returncode == 0 and "unavailable" not in version.stdout and "\nrules " in version.stdout,
            f"{label}: installed 'phiguard version' reports rules: {version.stdout}{version.stderr}")
    scan = subprocess.run([str(cli), "scan", "--json", "-"], input=CANARY, text=True,
                          capture_output=True, env=env)
    try:
        result = json.loads(scan.stdout)
    except ValueError:
        result = {}
    t.check(result.get("verdict") == "block",
            f"{label}: installed 'phiguard scan' blocks the canary (verdict {result.get('verdict')!r}, "
            f"exit {scan.returncode}, stderr {scan.stderr.strip()!r})")
    categories = {f.get("category") for f in result.get("findings", [])}
    t.check({"ssn", "name"} <= categories,
            f"{label}: installed 'phiguard scan' finds the SSN and the patient's name ({sorted(categories)})")

    # As a browser starts it: the origin as the argument, one session on stdin.
    request = frame({"type": "hello", "id": 1, "client": {"name": "package-test", "version": "0"}}) + \
        frame({"type": "scan", "id": 2, "text": CANARY, "site": "x.com", "surface": "compose"})
    session = subprocess.run([str(host), "chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/"],
                             input=request, capture_output=True, env=env)
    try:
        replies = {r.get("id"): r for r in read_frames(session.stdout)}
    except ValueError:
        replies = {}
    hello, scanned = replies.get(1, {}), replies.get(2, {})
    rules = hello.get("rules", {})
    t.check(hello.get("type") == "hello" and rules.get("version") not in (None, "none")
            and "error" not in rules,
            f"{label}: installed phiguard-host says hello with its rules (rules {rules.get('version')!r}, "
            f"error {rules.get('error')!r}, exit {session.returncode})")
    installed = {json.loads(p.read_text())["pack"] for p in Path(root, PACKS).glob("*.json")}
    t.check({p.get("id") for p in rules.get("packs", [])} == installed,
            f"{label}: installed phiguard-host runs exactly the installed packs")
    t.check(scanned.get("type") == "result" and scanned.get("verdict") == "block",
            f"{label}: installed phiguard-host blocks the canary (reply type {scanned.get('type')!r}, "
            f"verdict {scanned.get('verdict')!r})")


def check_system_cache(t, root, installed, label):
    """What postinst did with the system cache (see the module docstring)."""
    cache = Path(root, "var/cache/phiguard")
    output = installed.stdout + installed.stderr
    sets = sorted(cache.glob("rules-*.hsdb"))
    if os.geteuid() != 0:
        t.check("rules not compiled into" in output and "each user's host compiles its own" in output
                and not sets, f"{label}: postinst, not root, says hosts compile their own: {output}")
        return
    t.check("system cache: wrote rules" in output or "system cache: already holds rules" in output,
            f"{label}: postinst compiled the rules into the system cache: {output}")
    t.check(len(sets) == 1, f"{label}: one compiled set in /var/cache/phiguard: {[p.name for p in sets]}")
    if not sets:
        return
    folder, file = os.stat(cache), os.stat(sets[0])
    t.check(stat.S_IMODE(folder.st_mode) == 0o755 and folder.st_uid == 0,
            f"{label}: /var/cache/phiguard is root's, 0755 ({oct(folder.st_mode)}, uid {folder.st_uid})")
    t.check(stat.S_IMODE(file.st_mode) == 0o644 and file.st_uid == 0,
            f"{label}: {sets[0].name} is root's, 0644 ({oct(file.st_mode)}, uid {file.st_uid})")
    current = subprocess.run([str(Path(root, "usr/bin/phiguard")), "rules", "compile", "--system-cache",
                              str(cache), "--check"], text=True, capture_output=True, env=clean_env(root))
    t.check(current.returncode == 0 and "system cache current" in current.stdout,
            f"{label}: the installed CLI finds the system cache current: {current.stdout}{current.stderr}")
    # What the installed host would do with it: map its databases in place (the scratch root
    # is a private temporary folder under /tmp, so every folder above is root's or sticky).
    # The installed host itself reads only /var/cache/phiguard, never the scratch root's.
    t.check("used in place" in current.stdout,
            f"{label}: hosts use the installed system cache in place: {current.stdout}")
    # The installed packs compiled beside it (cache/compiled_packs.h), which hosts read at
    # start instead of the JSON while the installed packs are unchanged.
    forms = sorted(cache.glob("packs-*.pkc"))
    t.check(len(forms) == 1, f"{label}: one compiled pack form in /var/cache/phiguard: {[p.name for p in forms]}")
    for form in forms:
        info = os.stat(form)
        t.check(stat.S_IMODE(info.st_mode) == 0o644 and info.st_uid == 0,
                f"{label}: {form.name} is root's, 0644 ({oct(info.st_mode)}, uid {info.st_uid})")
    packs = Path(root, PACKS)
    t.check(f"compiled packs of {packs}: current" in current.stdout and "read by hosts at start" in current.stdout,
            f"{label}: hosts read the installed packs' compiled form: {current.stdout}")


def check_rpm_scripts(t, rpm):
    """The .rpm's scriptlets are the shared maintainer scripts (not run here: see above)."""
    scripts = run("rpm", "-qp", "--scripts", rpm).stdout
    post = scripts.split("postinstall scriptlet", 1)[-1].split("scriptlet", 1)[0]
    postun = scripts.split("postuninstall scriptlet", 1)[-1].split("scriptlet", 1)[0]
    t.check("postinstall scriptlet" in scripts and "rules compile --system-cache" in post
            and "exit 0" in post, f"rpm: %post compiles the system cache and cannot fail: {scripts}")
    t.check("postuninstall scriptlet" in scripts and "rm -rf" in postun and "/var/cache/phiguard" in postun,
            f"rpm: %postun deletes the system cache: {scripts}")


def check_rpm_dirs(t, rpm):
    """The .rpm owns only its own folders: owning /etc/opt or /usr/lib64 conflicts with the
    distribution's filesystem package, and removal would try to delete them."""
    claimed = sorted(p for p in rpm_listing(rpm) if p in SHARED_DIRS)
    t.check(not claimed, f"rpm: the package owns system or browser folders {claimed}")
    for folder in OWN_DIRS:
        t.check(folder in rpm_listing(rpm), f"rpm: the package owns its folder /{folder}")


def check_deb_dirs(t, deb):
    """A .deb lists every parent folder of its files (dpkg needs them; it counts how many
    packages list a folder and removes it only when the last one goes and it is empty). What
    it must not do is bring a folder with other modes or owners than the system's, which
    dpkg would apply when it creates the folder: every folder is root:root 0755."""
    listing = run("dpkg", "-c", deb).stdout.splitlines()
    folders = [line.split(None, 5) for line in listing if line.startswith("d")]
    odd = [f"{f[5]} {f[0]} {f[1]}" for f in folders if f[0] != "drwxr-xr-x" or f[1] != "root/root"]
    t.check(folders and not odd, f"deb: folders with other modes or owners than 0755 root:root: {odd}")


def rpm_listing(rpm):
    """Paths the .rpm owns, files and folders (`rpm -qlp`), relative."""
    return {p.lstrip("/") for p in run("rpm", "-qlp", rpm).stdout.splitlines() if p.startswith("/")}


def test_unpacked(t, package, work, label):
    """The package's files unpacked into a bare folder (no package manager), then run."""
    root = Path(work, f"{label}-unpacked")
    root.mkdir()
    if package.endswith(".deb"):
        run("dpkg", "-x", package, str(root))
    else:
        subprocess.run(f"rpm2cpio '{package}' | cpio -idm --quiet", shell=True, cwd=root, check=True)
    check_pack_files(t, root, label)
    check_installed_programs(t, root, label)


def build_packages(build_dir, out_dir):
    generators = "DEB;RPM" if shutil.which("rpmbuild") else "DEB"
    run("cpack", "-G", generators, "-B", out_dir, cwd=build_dir)
    debs = glob.glob(os.path.join(out_dir, "*.deb"))
    rpms = glob.glob(os.path.join(out_dir, "*.rpm"))
    return debs[0], (rpms[0] if rpms else None)


def check_installed_root(t, root, build_dir, source_dir, label):
    """Guide's files present, manifests valid, doctor happy."""
    chromium_id, firefox_id = extension_ids(build_dir, source_dir)
    for path in guide_linux_files(source_dir):
        matches = glob.glob(str(root) + path)
        t.check(matches, f"{label}: {path} (from the IT guide) is installed")
    manifests = [m for g in MANIFEST_GLOBS for m in glob.glob(str(root / g), recursive=True)]
    t.check(len(manifests) == 7, f"{label}: 7 host manifests, found {len(manifests)}")
    for manifest in manifests:
        problems = manifest_problems(manifest, chromium_id, firefox_id)
        t.check(not problems, f"{label}: {manifest}: {problems}")
        t.check(oct(os.stat(manifest).st_mode & 0o777) == "0o644", f"{label}: {manifest} is 0644")
    host = root / "usr/bin/phiguard-host"
    t.check(os.access(host, os.X_OK), f"{label}: {host} is executable")
    doctor = subprocess.run([str(root / "usr/bin/phiguard"), "doctor", "--system", "--root", str(root),
                             "--extension-id", chromium_id, "--firefox-extension-id", firefox_id],
                            text=True, capture_output=True, env=clean_env(root))
    t.check(doctor.returncode == 0, f"{label}: phiguard doctor --system: {doctor.stdout}{doctor.stderr}")


def fake_old_deb(work):
    """Version 0.0.1 of the package, with a manifest at a location later versions dropped."""
    pkg = Path(work, "old")
    (pkg / "DEBIAN").mkdir(parents=True)
    (pkg / "DEBIAN/control").write_text(
        "Package: phiguard\nVersion: 0.0.1\nArchitecture: amd64\n"
        "Maintainer: test <test@example.org>\nDescription: old PHI Guard for the upgrade test\n")
    for folder in ["etc/opt/chrome/native-messaging-hosts", "etc/phiguard-legacy/native-messaging-hosts"]:
        (pkg / folder).mkdir(parents=True)
        (pkg / folder / "com.phiguard.host.json").write_text('{"name": "com.phiguard.host"}\n')
    run("dpkg-deb", "--root-owner-group", "--build", str(pkg), str(Path(work, "old.deb")))
    return str(Path(work, "old.deb"))


def test_deb(t, deb, build_dir, source_dir, work):
    root = Path(work, "deb-root")
    (root / "var/lib/dpkg/info").mkdir(parents=True)
    (root / "var/lib/dpkg/updates").mkdir(parents=True)
    (root / "var/lib/dpkg/status").touch()
    dpkg = ["dpkg", f"--root={root}", "--force-not-root", "--force-depends", "--force-script-chrootless"]
    env = clean_env(root)  # postinst's log and stored state in the scratch home, not root's
    before = tree(root, ignore={"var"})
    check_deb_dirs(t, deb)
    test_unpacked(t, deb, work, "deb (dpkg -x)")

    run(*dpkg, "-i", fake_old_deb(work), env=env)
    upgrade = run(*dpkg, "-i", deb, env=env)  # the upgrade
    check_system_cache(t, root, upgrade, "deb upgrade")
    t.check(not (root / "etc/phiguard-legacy").exists(),
            "deb upgrade: the old version's dropped manifest location is gone")
    check_installed_root(t, root, build_dir, source_dir, "deb")
    check_pack_files(t, root, "deb")
    check_installed_programs(t, root, "deb")
    check_ignores_overrides(t, root, "deb")
    status = run(*dpkg, "-s", "phiguard").stdout
    version = cache_value(build_dir, "CMAKE_PROJECT_VERSION")
    t.check("Status: install ok installed" in status and f"Version: {version}" in status,
            f"deb: version {version} installed over 0.0.1")
    t.check("Conffiles:" not in status,
            "deb: manifests are not conffiles (a conffile would survive 'apt remove')")

    reinstall = run(*dpkg, "-i", deb, env=env)  # reinstalling the same version changes nothing
    check_installed_root(t, root, build_dir, source_dir, "deb reinstall")
    check_system_cache(t, root, reinstall, "deb reinstall")

    run(*dpkg, "-r", "phiguard", env=env)
    left = tree(root, ignore={"var"}) - before
    t.check(not left, f"deb removal leaves nothing behind: {sorted(left)}")
    t.check(not (root / "var/cache/phiguard").exists(), "deb removal deletes /var/cache/phiguard")


def test_rpm(t, rpm, build_dir, source_dir, work):
    root = Path(work, "rpm-root")
    root.mkdir()
    before = tree(root)
    rpm_cmd = ["rpm", "--root", str(root), "--dbpath", "/var/lib/rpm"]
    check_rpm_dirs(t, rpm)
    check_rpm_scripts(t, rpm)
    if shutil.which("rpm2cpio") and shutil.which("cpio"):
        test_unpacked(t, rpm, work, "rpm (rpm2cpio)")
    run(*rpm_cmd, "--initdb")
    run(*rpm_cmd, "-i", "--nodeps", "--noscripts", rpm)
    check_installed_root(t, root, build_dir, source_dir, "rpm")
    check_pack_files(t, root, "rpm")
    check_installed_programs(t, root, "rpm")
    run(*rpm_cmd, "-U", "--replacepkgs", "--nodeps", "--noscripts", rpm)
    check_installed_root(t, root, build_dir, source_dir, "rpm reinstall")
    run(*rpm_cmd, "-e", "--nodeps", "--noscripts", "phiguard")
    left = {p for p in tree(root, ignore={"var"}) - before if p not in SHARED_DIRS and p != "var"}
    t.check(not left, f"rpm removal leaves nothing behind: {sorted(left)}")


def test_scratch_prefix_install(t, build_dir, work):
    """`cmake --install --prefix <scratch>` without DESTDIR installs the programs and registers
    nothing with the machine's browsers: a trial copy in /etc would answer every browser."""
    prefix = Path(work, "scratch-prefix")
    chromium_manifest = Path("/etc/chromium/native-messaging-hosts/com.phiguard.host.json")
    before = chromium_manifest.read_bytes() if chromium_manifest.exists() else None
    env = {k: v for k, v in os.environ.items() if k != "DESTDIR"}
    done = subprocess.run(["cmake", "--install", build_dir, "--prefix", str(prefix)],
                          text=True, capture_output=True, env=env)
    t.check(done.returncode == 0 and (prefix / "bin/phiguard-host").exists(),
            f"scratch prefix: cmake --install succeeds (exit {done.returncode}): {done.stderr[-300:]}")
    t.check("Host manifests not written" in done.stdout and "phiguard install --user" in done.stdout,
            "scratch prefix: the install says the manifests were not written and how to register")
    after = chromium_manifest.read_bytes() if chromium_manifest.exists() else None
    t.check(after == before and str(prefix).encode() not in (after or b""),
            "scratch prefix: no system manifest written or changed")
    t.check(not list(prefix.glob("**/native-messaging-hosts/*.json")),
            "scratch prefix: no manifests under the prefix either")


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    build_dir, source_dir = sys.argv[1], sys.argv[2]
    for tool in ("cpack", "dpkg", "dpkg-deb"):
        if not shutil.which(tool):
            skip(f"{tool} not installed")
    t = Tally()
    installed_programs_built(build_dir)
    with tempfile.TemporaryDirectory(prefix="phiguard-package-test-") as work:
        test_scratch_prefix_install(t, build_dir, work)
        deb, rpm = build_packages(build_dir, work)
        test_deb(t, deb, build_dir, source_dir, work)
        if rpm and shutil.which("rpm"):
            test_rpm(t, rpm, build_dir, source_dir, work)
        else:
            print("note: rpmbuild/rpm not installed; .rpm not tested (apt-get install rpm)")
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
