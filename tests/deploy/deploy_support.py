"""Shared pieces of the deploy tests: a pass/fail tally, the build's ids, and the same
manifest rules `phiguard doctor` applies, written again independently in Python so a bug in
the C++ validator cannot hide a bad manifest."""

import json
import os
import re
import sys
from pathlib import Path

HOST_NAME = "com.phiguard.host"
NAME_RE = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")
ORIGIN_RE = re.compile(r"^chrome-extension://[a-p]{32}/$")


class Tally:
    """Collects checks; prints each failure and the closing 'N passed, N failed' line."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL: {what}", flush=True)
        return ok

    def finish(self):
        print(f"{self.passed} passed, {self.failed} failed", flush=True)
        return 1 if self.failed else 0


def cache_value(build_dir, name):
    """A variable from the build's CMakeCache.txt."""
    for line in Path(build_dir, "CMakeCache.txt").read_text().splitlines():
        if line.startswith(name + ":"):
            return line.split("=", 1)[1]
    raise SystemExit(f"{name} not in {build_dir}/CMakeCache.txt")


def extension_ids(build_dir, source_dir):
    """The (Chromium, Firefox) extension ids the build must allow: the real extension's
    (extension/EXTENSION_ID, extension/firefox/gecko.json) unless the build overrides them."""
    chromium = cache_value(build_dir, "PHIGUARD_EXTENSION_ID_OVERRIDE") or \
        Path(source_dir, "extension", "EXTENSION_ID").read_text().strip()
    firefox = cache_value(build_dir, "PHIGUARD_FIREFOX_EXTENSION_ID_OVERRIDE") or \
        json.loads(Path(source_dir, "extension", "firefox", "gecko.json").read_text())["id"]
    return chromium, firefox


def manifest_problems(path, chromium_id, firefox_id):
    """Problems with one host manifest file; empty when it is valid."""
    try:
        manifest = json.loads(Path(path).read_text())
    except (OSError, ValueError) as error:
        return [f"unreadable: {error}"]
    problems = []
    if manifest.get("name") != HOST_NAME or not NAME_RE.match(str(manifest.get("name"))):
        problems.append(f"name {manifest.get('name')!r}")
    if Path(path).stem != manifest.get("name"):
        problems.append("file name does not match the host name")
    if not str(manifest.get("path", "")).startswith("/"):
        problems.append(f"path {manifest.get('path')!r} is not absolute")
    if manifest.get("type") != "stdio":
        problems.append(f"type {manifest.get('type')!r}")
    firefox = "allowed_extensions" in manifest
    allowed = manifest.get("allowed_extensions" if firefox else "allowed_origins")
    if not isinstance(allowed, list) or not allowed:
        problems.append("no allow list")
        return problems
    for entry in allowed:
        if "*" in entry:
            problems.append(f"wildcard {entry!r}")
        elif firefox and entry != firefox_id:
            problems.append(f"allowed_extensions has {entry!r}")
        elif not firefox and (not ORIGIN_RE.match(entry) or entry != f"chrome-extension://{chromium_id}/"):
            problems.append(f"allowed_origins has {entry!r}")
    if firefox and "allowed_origins" in manifest:
        problems.append("both allow lists")
    return problems


def guide_linux_files(source_dir):
    """The absolute paths in docs/it-guide.md's Linux 'What lands where' table."""
    text = Path(source_dir, "docs", "it-guide.md").read_text()
    section = text.split("What lands where", 1)[1].split("\n\n", 2)[1]
    return [m.group(1) for m in re.finditer(r"^\| `(/[^`]+)`", section, re.M)]


def skip(reason):
    """CTest treats exit code 77 as skipped (SKIP_RETURN_CODE). Under CI (.ci/run sets CI)
    the machine is set up for every test, so a skip there is a failure, not a pass."""
    if os.environ.get("CI"):
        print(f"FAIL (CI must run this): {reason}", flush=True)
        sys.exit(1)
    print(f"SKIP: {reason}", flush=True)
    sys.exit(77)
