#!/usr/bin/env python3
"""Hosting the extension yourself, end to end (docs/it-guide.md "Hosting the extension
yourself"), with what scripts/pack-extension.py makes:

1. The CRX is a CRX3 whose RSA-SHA256 signature verifies with the organisation's key, whose
   signed id is the one extension-id.txt and update.xml name, and whose manifest has no
   development "key"; the XPI carries the Firefox manifest (gecko id, background scripts).
2. Real headless Chromium, told by ExtensionInstallForcelist in
   /etc/chromium/policies/managed to install that id from the update manifest served on
   127.0.0.1, fetches update.xml and the CRX and runs the extension's service worker.

Chromium only runs its extension updater with background networking on, so step 2 starts it
without --disable-background-networking (a checked fact, BROWSER_TESTING.md "Policies in
tests"); every other flag is the usual set, and the only server it can reach is ours on
loopback. Needs root (it writes /etc/chromium), /usr/bin/chromium, node and openssl;
otherwise it exits 77 (skipped). The policy file it adds is removed whatever happens.

usage: self_host_test.py BUILD_DIR SOURCE_DIR      (label `deploy`)
"""

import hashlib
import http.server
import io
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from deploy_support import Tally, skip  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
POLICY_FILE = Path("/etc/chromium/policies/managed/phiguard-self-host-test.json")
INSTALL_TIMEOUT = 120  # seconds for the fetch and install: a cold start on a busy 2-core box


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def varint(data, at):
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, at
        shift += 7


def fields(data):
    """The length-delimited fields of a protobuf message: [(field number, bytes)]."""
    out, at = [], 0
    while at < len(data):
        key, at = varint(data, at)
        number, wire = key >> 3, key & 7
        if wire != 2:
            raise ValueError(f"unexpected wire type {wire} in field {number}")
        length, at = varint(data, at)
        out.append((number, data[at:at + length]))
        at += length
    return out


def letters(raw16):
    return "".join(chr(ord("a") + int(c, 16)) for c in raw16.hex())


def check_crx(tally, crx_path, key_path, expected_id, work):
    data = crx_path.read_bytes()
    magic, version, header_size = struct.unpack("<4sII", data[:12])
    tally.check(magic == b"Cr24" and version == 3, "the CRX is a CRX3 file")
    header = data[12:12 + header_size]
    archive = data[12 + header_size:]
    proofs = [dict(fields(proof)) for number, proof in fields(header) if number == 2]
    signed = dict(fields(header)).get(10000, b"")
    crx_id = dict(fields(signed)).get(1, b"")
    tally.check(letters(crx_id) == expected_id,
                f"the CRX's signed id is the id the key gives ({expected_id})")
    key_der = subprocess.run(["openssl", "pkey", "-in", str(key_path), "-pubout", "-outform",
                              "DER"], capture_output=True, check=True).stdout
    ours = [p for p in proofs if p.get(1) == key_der]
    tally.check(len(ours) == 1, "the CRX carries one RSA proof made with the organisation's key")
    if ours:
        payload = (b"CRX3 SignedData\x00" + struct.pack("<I", len(signed)) + signed + archive)
        (work / "payload").write_bytes(payload)
        (work / "signature").write_bytes(ours[0].get(2, b""))
        (work / "public.der").write_bytes(key_der)
        verified = subprocess.run(
            ["openssl", "dgst", "-sha256", "-keyform", "DER", "-verify", str(work / "public.der"),
             "-signature", str(work / "signature"), str(work / "payload")],
            capture_output=True, text=True)
        tally.check(verified.returncode == 0, "the CRX's RSA-SHA256 signature verifies")
    with zipfile.ZipFile(io.BytesIO(archive)) as zipped:
        names = set(zipped.namelist())
        manifest = json.loads(zipped.read("manifest.json"))
    tally.check("key" not in manifest, "the packed manifest has no development key")
    tally.check("src/background/service-worker.js" in names and "EXTENSION_ID" not in names,
                "the CRX holds the extension's files and nothing from beside them")


def check_xpi(tally, xpi_path):
    with zipfile.ZipFile(xpi_path) as xpi:
        manifest = json.loads(xpi.read("manifest.json"))
        names = set(xpi.namelist())
    gecko = manifest.get("browser_specific_settings", {}).get("gecko", {})
    tally.check(bool(gecko.get("id")) and "scripts" in manifest.get("background", {}),
                "the XPI has the Firefox manifest (gecko id, background scripts)")
    tally.check(not any(n.startswith("firefox/") for n in names), "the XPI ships no build files")


class Server:
    """Serves OUT on 127.0.0.1 and remembers which paths were fetched."""

    def __init__(self, folder, port):
        fetched = self.fetched = []

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=str(folder), **kwargs)

            def do_GET(self):
                fetched.append(self.path.split("?")[0])
                super().do_GET()

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def service_worker_running(debug_port, app_id):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{debug_port}/json/list", timeout=5) as r:
            targets = json.load(r)
    except OSError:
        return False
    return any(t.get("type") == "service_worker" and
               t.get("url", "").startswith(f"chrome-extension://{app_id}/") for t in targets)


def check_force_install(tally, out, app_id, port, work):
    server = Server(out, port)
    debug_port = free_port()
    POLICY_FILE.parent.mkdir(parents=True, exist_ok=True)
    POLICY_FILE.write_text(json.dumps(
        {"ExtensionInstallForcelist": [f"{app_id};http://127.0.0.1:{port}/update.xml"]}))
    browser = None
    try:
        browser = subprocess.Popen(
            [CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={work / 'profile'}", f"--remote-debugging-port={debug_port}",
             "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + INSTALL_TIMEOUT
        running = False
        while time.monotonic() < deadline and not running:
            time.sleep(1)
            running = service_worker_running(debug_port, app_id)
        tally.check("/update.xml" in server.fetched and
                    any(p.endswith(".crx") for p in server.fetched),
                    "Chromium fetched update.xml and the CRX from the loopback server")
        tally.check(running, f"the force-installed extension {app_id} runs its service worker")
    finally:
        POLICY_FILE.unlink(missing_ok=True)
        if browser:
            browser.terminate()
            try:
                browser.wait(timeout=20)
            except subprocess.TimeoutExpired:
                browser.kill()
        server.close()


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    source = Path(sys.argv[2])
    if os.geteuid() != 0:
        skip("needs root to write /etc/chromium/policies/managed")
    for tool in (CHROMIUM, shutil.which("node"), shutil.which("openssl")):
        if not tool or not Path(tool).exists():
            skip("needs /usr/bin/chromium, node and openssl")
    tally = Tally()
    with tempfile.TemporaryDirectory(prefix="phiguard-self-host-") as tmp:
        work = Path(tmp)
        out, key, port = work / "out", work / "org.pem", free_port()
        packed = subprocess.run(
            [sys.executable, str(source / "scripts" / "pack-extension.py"), "--new-key", str(key),
             "--base-url", f"http://127.0.0.1:{port}/", str(out)],
            capture_output=True, text=True, timeout=300)
        tally.check(packed.returncode == 0, "pack-extension.py packs with a new key")
        if packed.returncode != 0:
            print(packed.stderr)
            return tally.finish()
        app_id = (out / "extension-id.txt").read_text().strip()
        update = (out / "update.xml").read_text()
        tally.check(f'appid="{app_id}"' in update and
                    f'codebase="http://127.0.0.1:{port}/phiguard-' in update,
                    "update.xml names the id and where the CRX is served")
        check_crx(tally, next(out.glob("*.crx")), key, app_id, work)
        check_xpi(tally, next(out.glob("*.xpi")))
        again = subprocess.run(
            [sys.executable, str(source / "scripts" / "pack-extension.py"), "--key", str(key),
             "--base-url", f"http://127.0.0.1:{port}/", "--no-xpi", str(work / "again")],
            capture_output=True, text=True, timeout=300)
        tally.check(again.returncode == 0 and
                    (work / "again" / "extension-id.txt").read_text().strip() == app_id,
                    "packing again with the same key keeps the extension id")
        check_force_install(tally, out, app_id, port, work)
    return tally.finish()


if __name__ == "__main__":
    sys.exit(main())
