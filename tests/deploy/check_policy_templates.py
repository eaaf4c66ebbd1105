#!/usr/bin/env python3
"""Checks the rendered deployment templates (BUILD_DIR/deploy/): every file parses in its own
format, no @PLACEHOLDER@ is left, every policy sets the hardening the IT guide promises for the
built extension id, and the extension settings in every format (JSON, .reg, mobileconfig,
Firefox) equal manifests/policy/managed-config.example.json and fit the extension's managed
schema. The example, the mobileconfig's settings payloads and the ADMX (per browser) must each
cover exactly the schema's keys, so a managed option added to the schema without its templates
fails here; the .reg files are read back the way Chrome reads the registry against the schema,
and every ADMX element must write a value of its option's type. The ADMX and ADML must agree
with each other.

usage: check_policy_templates.py BUILD_DIR SOURCE_DIR      (label `deploy`)
"""

import json
import plistlib
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from deploy_support import HOST_NAME, Tally, extension_ids, manifest_problems  # noqa: E402

PIN = {"chrome": ("toolbar_pin", "force_pinned"), "edge": ("toolbar_state", "force_shown")}


def check_browser_policy(t, policy, ext_id, config, flavour, where):
    settings = policy.get("ExtensionSettings", {}).get(ext_id, {})
    t.check(settings.get("installation_mode") == "force_installed", f"{where}: force-installed")
    t.check(str(settings.get("update_url", "")).startswith("https://"), f"{where}: update_url")
    key, value = PIN[flavour]
    t.check(settings.get(key) == value, f"{where}: {key}={value}")
    t.check(policy.get("NativeMessagingUserLevelHosts") is False, f"{where}: user-level hosts off")
    t.check(policy.get("NativeMessagingBlocklist") == ["*"], f"{where}: blocklist *")
    t.check(policy.get("NativeMessagingAllowlist") == [HOST_NAME], f"{where}: allowlist")
    t.check(policy.get("ExtensionInstallTypeBlocklist") == ["command_line"], f"{where}: command_line")
    if "3rdparty" in policy:
        t.check(policy["3rdparty"]["extensions"].get(ext_id) == config, f"{where}: 3rdparty settings")


def check_firefox_policy(t, policies, gecko_id, config, where):
    settings = policies.get("ExtensionSettings", {}).get(gecko_id, {})
    t.check(settings.get("installation_mode") == "force_installed", f"{where}: force-installed")
    t.check(str(settings.get("install_url", "")).startswith("https://"), f"{where}: install_url")
    t.check(policies.get("3rdparty", {}).get("Extensions", {}).get(gecko_id) == config,
            f"{where}: 3rdparty settings")


def parse_reg(text):
    """A .reg file as {key: {value name: value}}, applying [-key] deletions in order."""
    keys, current = {}, None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(";") or line.startswith("Windows Registry"):
            continue
        if line.startswith("[-"):
            doomed = line[2:-1]
            for key in [k for k in keys if k == doomed or k.startswith(doomed + "\\")]:
                del keys[key]
            current = None
        elif line.startswith("["):
            current = keys.setdefault(line[1:-1], {})
        else:
            match = re.match(r'^"((?:[^"\\]|\\.)*)"=(?:"((?:[^"\\]|\\.)*)"|dword:([0-9a-f]{8}))$', line)
            if not match or current is None:
                raise ValueError(f"unparsable .reg line: {line}")
            name, string, dword = match.groups()
            unescape = lambda s: re.sub(r"\\(.)", r"\1", s)  # noqa: E731
            current[unescape(name)] = unescape(string) if string is not None else int(dword, 16)
    return keys


def registry_value(value, schema):
    """A registry value as Chrome converts it for a schema type (components/policy registry_dict
    ConvertRegistryValue): DWORDs become booleans, and a REG_SZ holding JSON is parsed for
    array and object types. None when Chrome would drop it."""
    kind = schema.get("type")
    if kind == "boolean" and isinstance(value, int):
        return bool(value)
    if kind in ("array", "object") and isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError:
            return None
        return parsed if isinstance(parsed, list if kind == "array" else dict) else None
    if kind == "string":
        return value if isinstance(value, str) else None
    return value


def registry_key(keys, path, schema):
    """A registry key (its values and subkeys) as Chrome reads it for a schema: an object's
    values and subkeys are its properties; an array's values are named "1", "2", ..."""
    values = keys.get(path, {})
    subkeys = sorted({k[len(path) + 1:].split("\\")[0] for k in keys if k.startswith(path + "\\")})
    if schema.get("type") == "array":
        items = schema.get("items", {})
        return [registry_value(v, items) for _, v in sorted(values.items(), key=lambda kv: int(kv[0]))]
    result = {}
    for name, value in values.items():
        sub = schema.get("properties", {}).get(name, schema.get("additionalProperties", {}))
        converted = registry_value(value, sub)
        if converted is not None:
            result[name] = converted
    for name in subkeys:
        sub = schema.get("properties", {}).get(name, schema.get("additionalProperties", {}))
        result[name] = registry_key(keys, f"{path}\\{name}", sub)
    return result


def reg_as_policy(keys, root, ext_id, schema):
    """Turns registry keys back into the JSON policy they stand for, the way Chrome reads them."""
    base = keys[f"HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\{root}"]
    as_list = lambda k: [v for _, v in sorted(keys.get(k, {}).items(), key=lambda kv: int(kv[0]))]  # noqa: E731
    prefix = f"HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\{root}"
    pol = f"{prefix}\\3rdparty\\extensions\\{ext_id}\\policy"
    return {
        "ExtensionSettings": json.loads(base["ExtensionSettings"]),
        "NativeMessagingUserLevelHosts": bool(base["NativeMessagingUserLevelHosts"]),
        "NativeMessagingBlocklist": as_list(prefix + "\\NativeMessagingBlocklist"),
        "NativeMessagingAllowlist": as_list(prefix + "\\NativeMessagingAllowlist"),
        "ExtensionInstallTypeBlocklist": as_list(prefix + "\\ExtensionInstallTypeBlocklist"),
        "3rdparty": {"extensions": {ext_id: registry_key(keys, pol, schema)}},
    }


# What each kind of ADMX element writes, and which schema types Chrome can read from it: a
# text element writes one REG_SZ (a string, or JSON for an array or object), an enum a
# string, a boolean element or a policy's own enabled/disabled value a DWORD, a list element
# a subkey of values (numbered: an array of strings; named with explicitValue: an object).
ADMX_TYPES = {"text": {"string", "array", "object"}, "enum": {"string"}, "boolean": {"boolean"},
              "decimal": {"integer", "number"}}


def admx_writes(policy, element, ns, policy_key):
    """(managed option, schema types it can stand for, (property, its types) when the element
    writes one property of an object option) for one ADMX element."""
    tag = element.tag.split("}")[1]
    key = element.get("key") or policy_key
    below = key[len(policy_key):].strip("\\").split("\\") if key.startswith(policy_key) else [""]
    if tag == "list":
        types = {"object"} if element.get("explicitValue") == "true" else {"array"}
        return below[0], types, None
    if below[0]:
        # A value inside an option's own subkey (audit\enabled): a property of an object.
        return below[0], {"object"}, (element.get("valueName"), ADMX_TYPES.get(tag, set()))
    return element.get("valueName"), ADMX_TYPES.get(tag, set()), None


def check_admx(t, deploy, ext_id, schema):
    ns = {"p": "http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions"}
    admx = ET.parse(deploy / "policy/windows/phiguard.admx").getroot()
    adml = ET.parse(deploy / "policy/windows/en-US/phiguard.adml").getroot()
    strings = {s.get("id") for s in adml.iterfind(".//p:string", ns)}
    presentations = {p.get("id") for p in adml.iterfind(".//p:presentation", ns)}
    admx_text = (deploy / "policy/windows/phiguard.admx").read_text()
    for ref in re.findall(r"\$\(string\.([A-Za-z0-9_]+)\)", admx_text):
        t.check(ref in strings, f"ADMX string {ref} is in the ADML")
    for ref in re.findall(r"\$\(presentation\.([A-Za-z0-9_]+)\)", admx_text):
        t.check(ref in presentations, f"ADMX presentation {ref} is in the ADML")
    options = schema["properties"]
    for browser in ("Chrome", "Edge"):
        names = set()
        for policy in admx.iterfind(".//p:policy", ns):
            if not policy.get("name").startswith(browser + "_"):
                continue
            policy_key = policy.get("key")
            t.check(policy_key.endswith(f"\\3rdparty\\extensions\\{ext_id}\\policy"),
                    f"ADMX {policy.get('name')} writes the extension's policy key")
            written = []
            if policy.get("valueName"):
                written.append((policy.get("valueName"), {"boolean"}, None))
            written += [admx_writes(policy, e, ns, policy_key) for e in policy.iterfind("p:elements/*", ns)]
            for name, types, part in written:
                names.add(name)
                kind = options.get(name, {}).get("type")
                t.check(kind in types, f"ADMX {policy.get('name')} writes {name} as {sorted(types)}, "
                                       f"which Chrome cannot read as the schema's {kind}")
                if part:
                    sub = options.get(name, {}).get("properties", {}).get(part[0], {}).get("type")
                    t.check(sub in part[1], f"ADMX {policy.get('name')} writes {name}.{part[0]} as "
                                            f"{sorted(part[1])}, not the schema's {sub}")
        t.check(names == set(options),
                f"ADMX {browser} covers exactly the schema's options: missing {sorted(set(options) - names)}, "
                f"unknown {sorted(names - set(options))}")


def schema_problems(value, schema, where="config"):
    """Chrome's managed-storage schema subset: type, properties, additionalProperties, items, enum."""
    kind = schema.get("type")
    types = {"object": dict, "array": list, "string": str, "boolean": bool, "integer": int}
    if kind in types and not isinstance(value, types[kind]):
        return [f"{where} is not {kind}"]
    problems = []
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{where}={value!r} not in {schema['enum']}")
    if kind == "object":
        for key, item in value.items():
            sub = schema.get("properties", {}).get(key, schema.get("additionalProperties"))
            if sub is None:
                problems.append(f"{where}.{key} is not in the schema")
            else:
                problems += schema_problems(item, sub, f"{where}.{key}")
    if kind == "array":
        for i, item in enumerate(value):
            problems += schema_problems(item, schema.get("items", {}), f"{where}[{i}]")
    return problems


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    build_dir, source = Path(sys.argv[1]), Path(sys.argv[2])
    deploy = build_dir / "deploy"
    ext_id, gecko_id = extension_ids(build_dir, source)
    config = json.loads((source / "manifests/policy/managed-config.example.json").read_text())
    t = Tally()

    for path in sorted(p for p in deploy.rglob("*") if p.is_file()):
        t.check("@PHIGUARD_" not in path.read_text() and "@PROJECT_" not in path.read_text(),
                f"{path}: no placeholder left")

    own_schema = source / "extension/managed_schema.json"
    schema_file = own_schema if own_schema.exists() else Path(__file__).with_name("managed_schema.json")
    schema = json.loads(schema_file.read_text())
    t.check(not schema_problems(config, schema),
            f"example settings fit {schema_file}: {schema_problems(config, schema)}")
    # Every template carries the example, so an option missing from it is missing everywhere.
    t.check(set(config) == set(schema["properties"]),
            f"example settings hold every option of {schema_file}: missing "
            f"{sorted(set(schema['properties']) - set(config))}")

    for name, flavour in [("chrome", "chrome"), ("chromium", "chrome"), ("edge", "edge")]:
        policy = json.loads((deploy / f"policy/linux/{name}.json").read_text())
        check_browser_policy(t, policy, ext_id, config, flavour, f"linux/{name}.json")
    check_firefox_policy(t, json.loads((deploy / "policy/firefox/policies.json").read_text())["policies"],
                         gecko_id, config, "firefox/policies.json")

    for name, root, flavour in [("chrome", "Google\\Chrome", "chrome"), ("edge", "Microsoft\\Edge", "edge")]:
        raw = (deploy / f"policy/windows/{name}.reg").read_bytes()
        t.check(b"\r\n" in raw and raw.isascii(), f"windows/{name}.reg: CRLF and ASCII for regedit")
        keys = parse_reg(raw.decode("ascii"))
        check_browser_policy(t, reg_as_policy(keys, root, ext_id, schema), ext_id, config, flavour,
                             f"windows/{name}.reg")
    check_admx(t, deploy, ext_id, schema)

    profile = plistlib.loads((deploy / "policy/macos/phiguard.mobileconfig").read_bytes())
    payloads = {p["PayloadType"]: p for p in profile["PayloadContent"]}
    t.check(len({p["PayloadUUID"] for p in profile["PayloadContent"]}) == len(payloads),
            "mobileconfig: payload UUIDs are unique")
    strip = lambda p: {k: v for k, v in p.items() if not k.startswith("Payload")}  # noqa: E731
    for domain, flavour in [("com.google.Chrome", "chrome"), ("org.chromium.Chromium", "chrome"),
                            ("com.microsoft.Edge", "edge")]:
        check_browser_policy(t, strip(payloads[domain]), ext_id, config, flavour, f"mobileconfig {domain}")
        settings = strip(payloads.get(f"{domain}.extensions.{ext_id}", {}))
        t.check(settings == config, f"mobileconfig {domain}.extensions.<id> settings")
        t.check(set(settings) == set(schema["properties"]),
                f"mobileconfig {domain}.extensions.<id> covers exactly the schema's options: missing "
                f"{sorted(set(schema['properties']) - set(settings))}, unknown "
                f"{sorted(set(settings) - set(schema['properties']))}")
    check_firefox_policy(t, strip(payloads["org.mozilla.firefox"]), gecko_id, config, "mobileconfig firefox")

    for family in ("chromium", "firefox"):
        path = deploy / f"windows/{HOST_NAME}.{family}.json"
        # Windows finds a manifest through the registry, so neither the relative path nor the
        # family suffix in the file name is a problem there.
        problems = [p for p in manifest_problems(path, ext_id, gecko_id)
                    if "not absolute" not in p and "file name" not in p]
        t.check(not problems, f"{path}: {problems}")
        t.check(json.loads(path.read_text())["path"] == "phiguard-host.exe",
                f"{path}: names the host beside it (Windows-only relative form)")
    for name in ("windows/phiguard.wxs", "policy/windows/phiguard.admx", "policy/windows/en-US/phiguard.adml"):
        ET.parse(deploy / name)  # raises on malformed XML
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
