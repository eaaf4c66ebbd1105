#!/usr/bin/env python3
"""Builds the .deb (and the .rpm when rpmbuild is there), installs each into a scratch root,
and checks that every file lands where docs/it-guide.md says, that every host manifest is
valid, that an upgrade removes a manifest the old version had and the new one does not, and
that removal leaves the root exactly as it was. Nothing outside temporary folders is touched.

Packages are made from the `package` preset (build/package), never from BUILD_DIR: a build
for tests honours PHIGUARD_RULES_DIR/PHIGUARD_CONFIG and CPack refuses it. The installed host
is checked to ignore those variables.

usage: package_test.py BUILD_DIR SOURCE_DIR      (label `deploy`; needs dpkg, optional rpm)
"""

import glob
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from deploy_support import Tally, cache_value, extension_ids, guide_linux_files, manifest_problems, skip  # noqa: E402

MANIFEST_GLOBS = ["etc/**/native-messaging-hosts/*.json", "usr/lib*/mozilla/native-messaging-hosts/*.json"]
# Folders an rpm leaves because the distribution's filesystem package owns them (CPack does not
# claim them); a real machine has them already.
RPM_SYSTEM_DIRS = {"etc", "usr", "usr/bin", "usr/lib", "usr/lib64", "usr/share", "usr/share/doc"}


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


def package_build(source_dir):
    """Configures and builds the `package` preset (the programs only); its build folder."""
    run("cmake", "--preset", "package", cwd=source_dir)
    run("cmake", "--build", "--preset", "package", cwd=source_dir)
    return str(Path(source_dir, "build", "package"))


def check_ignores_overrides(t, root, label):
    """The installed CLI scans with its own packs whatever PHIGUARD_RULES_DIR says."""
    # The user's cache and state go beside the install root, not in it: they are the user's
    # files, and the removal check counts what is left in the root.
    home = Path(root).parent / f"{label}-user"
    env = dict(os.environ, PHIGUARD_RULES_DIR=str(Path(root, "no-such-rules")),
               PHIGUARD_CONFIG=str(Path(root, "no-such-config.json")),
               XDG_CACHE_HOME=str(home / "cache"), XDG_STATE_HOME=str(home / "state"))
    cli = Path(root, "usr/bin/phiguard")
    scan = subprocess.run([str(cli), "scan", "--fail-on", "block", "-"], input="SSN 219-44-7816\n",
                          text=True, capture_output=True, env=env)
    t.check(scan.returncode == 1, f"{label}: installed phiguard ignores PHIGUARD_RULES_DIR "
                                  f"(exit {scan.returncode}, 1 = blocking finding)")


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
                            text=True, capture_output=True)
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
    dpkg = ["dpkg", f"--root={root}", "--force-not-root", "--force-depends"]
    before = tree(root, ignore={"var"})

    run(*dpkg, "-i", fake_old_deb(work))
    run(*dpkg, "-i", deb)  # the upgrade
    t.check(not (root / "etc/phiguard-legacy").exists(),
            "deb upgrade: the old version's dropped manifest location is gone")
    check_installed_root(t, root, build_dir, source_dir, "deb")
    check_ignores_overrides(t, root, "deb")
    status = run(*dpkg, "-s", "phiguard").stdout
    version = cache_value(build_dir, "CMAKE_PROJECT_VERSION")
    t.check("Status: install ok installed" in status and f"Version: {version}" in status,
            f"deb: version {version} installed over 0.0.1")
    t.check("Conffiles:" not in status,
            "deb: manifests are not conffiles (a conffile would survive 'apt remove')")

    run(*dpkg, "-i", deb)  # reinstalling the same version changes nothing
    check_installed_root(t, root, build_dir, source_dir, "deb reinstall")

    run(*dpkg, "-r", "phiguard")
    left = tree(root, ignore={"var"}) - before
    t.check(not left, f"deb removal leaves nothing behind: {sorted(left)}")


def test_rpm(t, rpm, build_dir, source_dir, work):
    root = Path(work, "rpm-root")
    root.mkdir()
    before = tree(root)
    rpm_cmd = ["rpm", "--root", str(root), "--dbpath", "/var/lib/rpm"]
    run(*rpm_cmd, "--initdb")
    run(*rpm_cmd, "-i", "--nodeps", "--noscripts", rpm)
    check_installed_root(t, root, build_dir, source_dir, "rpm")
    run(*rpm_cmd, "-U", "--replacepkgs", "--nodeps", "--noscripts", rpm)
    check_installed_root(t, root, build_dir, source_dir, "rpm reinstall")
    run(*rpm_cmd, "-e", "--nodeps", "--noscripts", "phiguard")
    left = {p for p in tree(root, ignore={"var"}) - before if p not in RPM_SYSTEM_DIRS and p != "var"}
    t.check(not left, f"rpm removal leaves nothing behind: {sorted(left)}")


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    build_dir, source_dir = sys.argv[1], sys.argv[2]
    for tool in ("cpack", "dpkg", "dpkg-deb"):
        if not shutil.which(tool):
            skip(f"{tool} not installed")
    t = Tally()
    build_dir = package_build(source_dir)
    with tempfile.TemporaryDirectory(prefix="phiguard-package-test-") as work:
        deb, rpm = build_packages(build_dir, work)
        test_deb(t, deb, build_dir, source_dir, work)
        if rpm and shutil.which("rpm"):
            test_rpm(t, rpm, build_dir, source_dir, work)
        else:
            print("note: rpmbuild/rpm not installed; .rpm not tested (apt-get install rpm)")
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
