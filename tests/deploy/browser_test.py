#!/usr/bin/env python3
"""Real headless Chromium against manifests written by `phiguard install`.

1. User install: `phiguard install --user --browser chromium --user-data-dir UDD` into a
   temporary home; a minimal extension connects to the host and a scan round-trips.
2. Precedence without policy: a decoy user-level host (answers "clean") beats the system
   manifest, which is the attack the policy closes.
3. With the policy from manifests/policy/linux/chrome.json.in in /etc/chromium/policies/managed:
   the extension reads the managed settings, Chromium ignores the user-level decoy, and the
   system manifest (`phiguard install --system --browser chromium`) reaches the real host.
4. Side-loading: ExtensionSettings {"*": blocked} (the guide's Linux advice) stops a
   --load-extension copy; whether ExtensionInstallTypeBlocklist does is printed, not asserted
   (Chrome documents it for Windows and macOS only, and Linux Chromium ignores it).

Needs root (it writes /etc/chromium) and /usr/bin/chromium; otherwise it exits 77 (skipped).
Whatever it adds under /etc it removes, and a manifest or folder that was there before is put
back as it was, also when a step fails or the test is interrupted.

usage: browser_test.py BUILD_DIR SOURCE_DIR      (label `deploy`)
"""

import base64
import hashlib
import http.server
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from deploy_support import HOST_NAME, Tally, skip  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))
from host_session import seed_rule_cache  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
POLICY_DIR = Path("/etc/chromium/policies/managed")
SYSTEM_MANIFEST_DIR = Path("/etc/chromium/native-messaging-hosts")
REPORT_TIMEOUT = 40  # seconds for the extension to report; cold starts on a busy 2-core box
NO_REPORT_WAIT = 12  # how long "the extension never ran" is given

SERVICE_WORKER = """
// Test extension: report managed storage and one scan through the native host, then stop.
const REPORT = 'http://127.0.0.1:%(port)d/report';
function scan(text) {
  return new Promise((resolve) => {
    const port = chrome.runtime.connectNative('%(host)s');
    port.onMessage.addListener((m) => { resolve(m); port.disconnect(); });
    port.onDisconnect.addListener(() =>
      resolve({disconnected: chrome.runtime.lastError ? chrome.runtime.lastError.message : ''}));
    port.postMessage({type: 'scan', id: 1, text, site: 'x.com', surface: 'compose'});
  });
}
(async () => {
  const out = {};
  try { out.managed = await chrome.storage.managed.get(null); }
  catch (e) { out.managedError = String(e); }
  out.reply = await scan(%(text)s);
  await fetch(REPORT, {method: 'POST', body: JSON.stringify(out)});
})();
"""

# A stand-in for a host someone put in their own profile: it answers every scan "allow".
DECOY_HOST = """#!/usr/bin/env python3
import json, struct, sys
while True:
    head = sys.stdin.buffer.read(4)
    if len(head) < 4:
        break
    request = json.loads(sys.stdin.buffer.read(struct.unpack('=I', head)[0]))
    reply = json.dumps({"type": "result", "id": request.get("id"), "verdict": "allow",
                        "findings": [], "decoy": True}).encode()
    sys.stdout.buffer.write(struct.pack('=I', len(reply)) + reply)
    sys.stdout.buffer.flush()
"""


class Reports:
    """A loopback HTTP server the test extension posts its findings to."""

    def __init__(self):
        self.event = threading.Event()
        self.body = None
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                outer.body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                self.send_response(204)
                self.end_headers()
                outer.event.set()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.port = self.server.server_address[1]


def managed_schema(source_dir):
    """The extension's own managed-storage schema once it exists, else this folder's copy of
    the agreed keys, so the policy is checked against what the extension will accept."""
    own = Path(source_dir, "extension", "managed_schema.json")
    return json.loads((own if own.exists() else Path(__file__).with_name("managed_schema.json")).read_text())


def make_extension(work, port, text, schema):
    """An unpacked MV3 extension with a fresh key; returns (folder, id)."""
    ext = Path(work, "extension")
    ext.mkdir()
    private = Path(work, "key.pem")
    subprocess.run(["openssl", "genrsa", "-out", str(private), "2048"], check=True, capture_output=True)
    der = subprocess.run(["openssl", "rsa", "-in", str(private), "-pubout", "-outform", "DER"],
                         check=True, capture_output=True).stdout
    # Chrome's id: the first 128 bits of SHA-256 of the public key, hex digits mapped 0-f to a-p.
    ext_id = "".join(chr(ord("a") + int(c, 16)) for c in hashlib.sha256(der).hexdigest()[:32])
    (ext / "schema.json").write_text(json.dumps(schema))
    (ext / "manifest.json").write_text(json.dumps({
        "manifest_version": 3, "name": "PHI Guard deploy test", "version": "1.0",
        "key": base64.b64encode(der).decode(),
        "permissions": ["nativeMessaging", "storage"],
        "host_permissions": ["http://127.0.0.1/*"],
        "background": {"service_worker": "sw.js"},
        "storage": {"managed_schema": "schema.json"},
    }))
    (ext / "sw.js").write_text(SERVICE_WORKER % {"port": port, "host": HOST_NAME, "text": json.dumps(text)})
    return ext, ext_id


def run_chromium(ext, user_data_dir, reports, seconds, env):
    """Starts Chromium with the extension, waits for its report, and stops it."""
    args = [CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", f"--user-data-dir={user_data_dir}",
            f"--disable-extensions-except={ext}", f"--load-extension={ext}", "about:blank"]
    reports.event.clear()
    browser = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        got = reports.event.wait(seconds)
        return reports.body if got else None
    finally:
        os.killpg(browser.pid, signal.SIGTERM)
        try:
            browser.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(browser.pid, signal.SIGKILL)
            browser.wait()


class EtcGuard:
    """Remembers what /etc held and puts it back: files restored byte for byte, files and
    folders the test created removed."""

    def __init__(self, paths):
        self.saved = {}
        self.missing_dirs = []
        for path in paths:
            self.saved[path] = path.read_bytes() if path.exists() else None
            for parent in [path.parent, *path.parent.parents]:
                if not parent.exists() and parent not in self.missing_dirs:
                    self.missing_dirs.append(parent)

    def restore(self):
        for path, content in self.saved.items():
            if content is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(content)
        for folder in sorted(self.missing_dirs, key=lambda p: len(p.parts), reverse=True):
            if folder.exists() and not any(folder.iterdir()):
                folder.rmdir()


def is_real_scan(report):
    reply = (report or {}).get("reply", {})
    return reply.get("type") == "result" and not reply.get("decoy") and bool(reply.get("findings"))


def policy_for(build_dir, ext_id, extra=None):
    """The shipped Chromium policy, aimed at the test extension. ExtensionSettings is left out
    (the test extension is not in a store) and so is the command-line blocklist, unless asked."""
    policy = json.loads(Path(build_dir, "deploy/policy/linux/chromium.json").read_text())
    config = next(iter(policy["3rdparty"]["extensions"].values()))
    policy["3rdparty"]["extensions"] = {ext_id: config}
    del policy["ExtensionSettings"]
    blocklist = policy.pop("ExtensionInstallTypeBlocklist")
    if extra == "blocklist":
        policy["ExtensionInstallTypeBlocklist"] = blocklist
    if extra == "block-all":
        policy["ExtensionSettings"] = {"*": {"installation_mode": "blocked"}}
    return policy, config


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    build_dir, source_dir = Path(sys.argv[1]), Path(sys.argv[2])
    if not os.access(CHROMIUM, os.X_OK):
        skip(f"{CHROMIUM} not installed")
    if os.geteuid() != 0:
        skip("needs root to write /etc/chromium")
    phiguard = str(build_dir / "host/phiguard")
    host = str(build_dir / "host/phiguard-host")
    pack = json.loads(Path(source_dir, "rules/packs/phi-identifiers.json").read_text())
    text = next(r for r in pack["rules"] if r["action"] == "block")["examples"][0]

    t = Tally()
    reports = Reports()
    policy_file = POLICY_DIR / f"phiguard-deploy-test-{os.getpid()}.json"
    system_manifest = SYSTEM_MANIFEST_DIR / f"{HOST_NAME}.json"
    guard = EtcGuard([policy_file, system_manifest])
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # so `finally` restores /etc
    with tempfile.TemporaryDirectory(prefix="phiguard-browser-test-") as work:
        ext, ext_id = make_extension(work, reports.port, text, managed_schema(source_dir))
        env = dict(os.environ, HOME=str(Path(work, "home")))
        Path(env["HOME"]).mkdir()
        env.pop("XDG_CONFIG_HOME", None)
        # The hosts Chromium starts read the compiled rules the rule_cache fixture made:
        # manifests and policy are under test here, not the compile.
        seed_rule_cache(env.get("XDG_CACHE_HOME") or Path(env["HOME"], ".cache"))
        udd = Path(work, "profile")
        try:
            # 1. user-level install, real host.
            install = subprocess.run([phiguard, "install", "--user", "--browser", "chromium",
                                      "--user-data-dir", str(udd), "--extension-id", ext_id,
                                      "--host-path", host], env=env, text=True, capture_output=True)
            t.check(install.returncode == 0, f"phiguard install --user: {install.stderr}")
            report = run_chromium(ext, udd, reports, REPORT_TIMEOUT, env)
            t.check(is_real_scan(report), f"user install: scan round-trips through the host: {report}")

            # 2. decoy user-level host next to a real system one, no policy: the decoy wins.
            decoy = Path(work, "decoy-host")
            decoy.write_text(DECOY_HOST)
            decoy.chmod(0o755)
            subprocess.run([phiguard, "install", "--user", "--browser", "chromium", "--user-data-dir",
                            str(udd), "--extension-id", ext_id, "--host-path", str(decoy)],
                           env=env, check=True, capture_output=True)
            system = subprocess.run([phiguard, "install", "--system", "--browser", "chromium",
                                     "--extension-id", ext_id, "--host-path", host],
                                    text=True, capture_output=True)
            t.check(system.returncode == 0, f"phiguard install --system: {system.stderr}")
            doctor = subprocess.run([phiguard, "doctor", "--browser", "chromium", "--user-data-dir",
                                     str(udd), "--extension-id", ext_id], env=env, text=True,
                                    capture_output=True)
            t.check(doctor.returncode == 1 and "shadows the system one" in doctor.stdout,
                    f"doctor reports the shadowing user manifest: {doctor.stdout}")
            report = run_chromium(ext, udd, reports, REPORT_TIMEOUT, env)
            t.check((report or {}).get("reply", {}).get("decoy") is True,
                    f"without policy the user-level decoy answers (user-level is read first): {report}")

            # 3. the shipped policy: managed settings arrive, user-level hosts are ignored.
            policy, config = policy_for(build_dir, ext_id)
            POLICY_DIR.mkdir(parents=True, exist_ok=True)
            policy_file.write_text(json.dumps(policy))
            report = run_chromium(ext, udd, reports, REPORT_TIMEOUT, env)
            t.check(report is not None and report.get("managed") == config,
                    f"managed storage holds the policy's 3rdparty settings: {report}")
            t.check(is_real_scan(report),
                    f"with NativeMessagingUserLevelHosts=false the system host answers: {report}")

            # 4. side-loading. ExtensionInstallTypeBlocklist ["command_line"] is a Windows and macOS
            # policy (Chrome and Edge 123+): Linux Chromium ignores it, so this only reports. On
            # Linux, the guide's "*": blocked default is what stops a --load-extension copy.
            policy, _ = policy_for(build_dir, ext_id, extra="blocklist")
            policy_file.write_text(json.dumps(policy))
            report = run_chromium(ext, Path(work, "fresh-1"), reports, NO_REPORT_WAIT, env)
            print(f"note: ExtensionInstallTypeBlocklist on Linux Chromium: side-loaded extension "
                  f"{'ran' if report else 'was blocked'}", flush=True)
            policy, _ = policy_for(build_dir, ext_id, extra="block-all")
            policy_file.write_text(json.dumps(policy))
            report = run_chromium(ext, Path(work, "fresh-2"), reports, NO_REPORT_WAIT, env)
            t.check(report is None, f'ExtensionSettings "*" blocked stops --load-extension: {report}')
        finally:
            guard.restore()
            subprocess.run([phiguard, "uninstall", "--user", "--browser", "chromium",
                            "--user-data-dir", str(udd)], env=env, capture_output=True)
    t.check(not policy_file.exists(), "the test's policy file is gone")
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
