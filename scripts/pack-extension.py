#!/usr/bin/env python3
"""Pack the extension for hosting it yourself: a CRX3 and its update manifest for Chrome,
Edge, Brave and Chromium, and an XPI for Firefox.

  scripts/pack-extension.py --key ORG.pem --base-url https://intranet.example.org/phiguard/ OUT
  scripts/pack-extension.py --new-key ORG.pem --base-url ... OUT   # makes the key first

OUT receives:
  phiguard-<version>.crx   signed with ORG.pem; its extension id follows from that key
  update.xml               the update manifest Chromium-family browsers poll (gupdate format)
  phiguard-<version>.xpi   the Firefox build, unsigned: Firefox installs only XPIs Mozilla
                           has signed, so submit it for self-distribution signing first
  extension-id.txt         the id, for `phiguard install --extension-id` and the policies

Keep ORG.pem safe and reuse it for every release: a new key is a new extension id, which
every managed browser would treat as a different extension. The project's development
"key" is removed from the packed manifest, since the id of a packed extension is its
signing key's. Packing uses Chromium's own packer (`chromium --pack-extension`), and the
Firefox manifest comes from extension/firefox/make-manifest.mjs, so the packages hold
exactly the files and permissions of extension/.
"""

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import quoteattr

ROOT = Path(__file__).resolve().parents[1]
EXTENSION = ROOT / "extension"
# Files of extension/ that are not part of the extension itself.
NOT_SHIPPED = {"EXTENSION_ID", "firefox"}


class PackError(Exception):
    pass


def run(cmd, **kwargs):
    done = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        raise PackError(f"{cmd[0]} failed ({done.returncode}): {done.stderr.strip()[-400:]}")
    return done


def public_key_der(key: Path) -> bytes:
    done = subprocess.run(["openssl", "pkey", "-in", str(key), "-pubout", "-outform", "DER"],
                          capture_output=True)
    if done.returncode != 0:
        raise PackError(f"{key}: not a readable private key: {done.stderr.decode().strip()}")
    return done.stdout


def extension_id(key: Path) -> str:
    """Chromium's id: the first 128 bits of SHA-256 over the public key, as letters a-p."""
    digest = hashlib.sha256(public_key_der(key)).hexdigest()[:32]
    return "".join(chr(ord("a") + int(c, 16)) for c in digest)


def new_key(path: Path):
    if path.exists():
        raise PackError(f"{path} exists: use --key to pack with it, or choose another path")
    run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
         "-out", str(path)])
    path.chmod(0o600)


def copy_extension(dest: Path):
    shutil.copytree(EXTENSION, dest, ignore=lambda d, names: [
        n for n in names if Path(d) == EXTENSION and n in NOT_SHIPPED])


def pack_crx(chromium: str, key: Path, work: Path) -> Path:
    source = work / "phiguard"
    copy_extension(source)
    manifest = json.loads((source / "manifest.json").read_text())
    manifest.pop("key", None)  # the id is the signing key's, not the development key's
    (source / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    # Chromium packs and exits without opening a window; a throwaway profile keeps it from
    # touching anyone's.
    run([chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={work / 'profile'}", f"--pack-extension={source}",
         f"--pack-extension-key={key}"], timeout=120)
    crx = work / "phiguard.crx"
    if not crx.is_file():
        raise PackError(f"{chromium} wrote no CRX (is it Chromium 64 or later?)")
    return crx


def pack_xpi(work: Path, out: Path):
    firefox = work / "firefox"
    run(["node", str(EXTENSION / "firefox" / "make-manifest.mjs"), str(firefox)])
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as xpi:
        for path in sorted(firefox.rglob("*")):
            relative = path.relative_to(firefox)
            if path.is_file() and relative.parts[0] not in NOT_SHIPPED:
                xpi.write(path, relative.as_posix())


def update_manifest(app_id: str, version: str, crx_url: str) -> str:
    return ("<?xml version='1.0' encoding='UTF-8'?>\n"
            "<gupdate xmlns='http://www.google.com/update2/response' protocol='2.0'>\n"
            f"  <app appid={quoteattr(app_id)}>\n"
            f"    <updatecheck codebase={quoteattr(crx_url)} version={quoteattr(version)} />\n"
            "  </app>\n"
            "</gupdate>\n")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--key", type=Path, help="the organisation's private key (PEM)")
    which.add_argument("--new-key", type=Path, help="create this private key, then pack with it")
    parser.add_argument("--base-url", required=True,
                        help="where OUT will be served from, e.g. https://intranet.example.org/phiguard/")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--no-xpi", action="store_true", help="skip the Firefox package")
    parser.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    try:
        key = args.key
        if args.new_key:
            new_key(args.new_key)
            key = args.new_key
        if not key.is_file():
            raise PackError(f"{key}: no such key file")
        if not args.base_url.startswith(("https://", "http://")):
            raise PackError(f"--base-url must be an http(s) URL, not {args.base_url!r}")
        base = args.base_url if args.base_url.endswith("/") else args.base_url + "/"
        version = json.loads((EXTENSION / "manifest.json").read_text())["version"]
        app_id = extension_id(key)
        args.out.mkdir(parents=True, exist_ok=True)
        crx_name = f"phiguard-{version}.crx"
        with tempfile.TemporaryDirectory(prefix="phiguard-pack-") as tmp:
            work = Path(tmp)
            shutil.copyfile(pack_crx(args.chromium, key.resolve(), work), args.out / crx_name)
            if not args.no_xpi:
                pack_xpi(work, args.out / f"phiguard-{version}.xpi")
        (args.out / "update.xml").write_text(update_manifest(app_id, version, base + crx_name))
        (args.out / "extension-id.txt").write_text(app_id + "\n")
    except (PackError, subprocess.TimeoutExpired, OSError) as error:
        print(f"pack-extension: {error}", file=sys.stderr)
        return 1
    print(f"extension id {app_id}, version {version}")
    print(f"  {args.out / crx_name}")
    print(f"  {args.out / 'update.xml'}  (serve at {base}update.xml)")
    if not args.no_xpi:
        print(f"  {args.out / f'phiguard-{version}.xpi'}  (unsigned: have Mozilla sign it)")
    print("next: build the packages with "
          f"-DPHIGUARD_EXTENSION_ID={app_id} -DPHIGUARD_UPDATE_URL={base}update.xml, or run "
          f"'phiguard install --system --extension-id {app_id}' (docs/it-guide.md)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
