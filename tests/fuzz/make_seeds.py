#!/usr/bin/env python3
"""Writes the committed seed corpora of the fuzz targets (tests/fuzz/corpus/<target>/).

Seeds come from what the project already holds, all synthetic: the shipped packs' own
examples and negatives, the golden protocol exchanges, plus the bad inputs of issue #8
(oversized, empty and truncated frames, invalid UTF-8, lone surrogates, deep nesting,
huge ids, emoji, combining marks, digit and separator runs). Rerun after changing packs:
    tests/fuzz/make_seeds.py
"""
import json
import pathlib
import shutil
import struct

ROOT = pathlib.Path(__file__).resolve().parents[2]
PACKS = ROOT / 'rules' / 'packs'
GOLDEN = ROOT / 'tests' / 'e2e' / 'golden'
CORPUS = pathlib.Path(__file__).resolve().parent / 'corpus'

# Text seeds shared by the scanner and normalisation targets.
TEXT_SEEDS = {
    'emoji_only': '😀🧑‍⚕️👩🏽‍⚕️🏥💉' * 20,
    'combining_marks_only': '\u0301\u0308\u0327\u20dd' * 50,
    'digits_run': '7' * 2000,
    'digits_spaced': '12 ' * 600,
    'separators_run': '-' * 1000 + ' ' * 500 + '.' * 500,
    'dashes_unicode': '\u2010\u2011\u2012\u2013\u2014\u2212' * 100,
    'folded_digits': 'SSN \uff15\uff12\uff14-\uff17\uff11-\uff13\uff13\uff10\uff18 and \u0665\u0666',
    'zero_width_inside': 'MRN 4\u200b4\u200b8\u200b2\u200b0\u200b1\u200b9\u200b3 DOB 01/02/1950',
    'surrogate_pairs_then_ssn': '𝟓𝟐𝟒-𝟕𝟏-𝟑𝟑𝟎𝟖 SSN',
    'mixed_scripts': 'Pt Jos\u00e9 Garc\u00eda, \u60a3\u8005, \u043f\u0430\u0446\u0438\u0435\u043d\u0442 ssn 283-40-6617',
}


def frame(payload: bytes) -> bytes:
    return struct.pack('=I', len(payload)) + payload


def request(obj) -> bytes:
    return json.dumps(obj, ensure_ascii=False).encode()


def write(target: str, name: str, data) -> None:
    if isinstance(data, str):
        data = data.encode('utf-8', 'surrogatepass')
    (CORPUS / target / name).write_bytes(data)


def shipped_packs():
    for path in sorted(PACKS.glob('*.json')):
        yield path.stem, json.loads(path.read_text())


def text_seeds() -> None:
    for target in ('scanner', 'normalize'):
        for name, text in TEXT_SEEDS.items():
            write(target, name, text)
    for stem, pack in shipped_packs():
        for rule in pack['rules']:
            texts = rule.get('examples', []) + rule.get('negatives', [])
            write('scanner', rule['id'], '\n'.join(texts))
    write('normalize', 'invalid_bytes', b'ok \xff\xfe \xc0\xaf \xed\xa0\x80 \xf4\x90\x80\x80 \xe2\x82')
    write('normalize', 'truncated_sequence_at_end', b'SSN 524-71-3308 \xf0\x9f\x98')


def protocol_seeds() -> None:
    requests = []
    for path in sorted(GOLDEN.glob('*.request.jsonl')):
        for i, line in enumerate(path.read_text().splitlines()):
            entry = json.loads(line)
            data = bytes.fromhex(entry['raw_hex']) if 'raw_hex' in entry else frame(line.encode())
            write('protocol', f'{path.name.split(".")[0]}_{i}', data)
            requests.append(data)
    write('protocol', 'golden_stream', b''.join(requests))
    ping = frame(b'{"type":"ping","id":1}')
    bad = {
        'zero_length_frame': frame(b'') + ping,
        'over_cap_then_ping': struct.pack('=I', 5000) + b'x' * 5000 + ping,
        'absurd_length': struct.pack('=I', 0xFFFFFFF0) + b'{"type":"ping"}',
        'truncated_header': b'\x05\x00',
        'truncated_body': struct.pack('=I', 100) + b'{"type":"scan","text":"SSN',
        'invalid_utf8': frame(b'{"type":"scan","id":1,"text":"\xff\xfe SSN 524-71-3308"}'),
        'lone_surrogate': frame(b'{"type":"scan","id":2,"text":"\\ud800 x"}'),
        'surrogate_pair_escapes': frame(b'{"type":"scan","id":3,"text":"\\ud83d\\ude00 SSN 524-71-3308"}'),
        'deep_nesting': frame(b'[' * 200 + b']' * 200),
        'huge_id': frame(b'{"type":"ping","id":123456789012345678901234567890}'),
        'huge_float_id': frame(b'{"type":"ping","id":1e999}'),
        'negative_id': frame(b'{"type":"ping","id":-9223372036854775809}'),
        'configure': frame(request({'type': 'configure', 'id': 4, 'policy': {
            'enforcement': {'phone': 'block', 'name': 'audit'}, 'bundleKeys': ['a']}})),
        'audit': frame(request({'type': 'audit', 'id': 5, 'event': {
            'site': 'x.com', 'verdict': 'warn', 'rules': ['phi.ssn'], 'categories': ['ssn'], 'outcome': 'posted_anyway'}})),
        'emoji_scan': frame(request({'type': 'scan', 'id': 6, 'text': TEXT_SEEDS['emoji_only']})),
        'combining_scan': frame(request({'type': 'scan', 'id': 7,
                                         'text': TEXT_SEEDS['combining_marks_only']})),
        'digits_scan': frame(request({'type': 'scan', 'id': 8, 'text': '7' * 1500})),
    }
    for name, data in bad.items():
        write('protocol', name, data)


def pack_seeds() -> None:
    header = {'pack': 'seed', 'version': '1.0.0', 'description': 'fuzz seed'}
    for stem, pack in shipped_packs():
        for rule in pack['rules']:
            rule = dict(rule)
            if 'terms_file' in rule:  # the fuzz target loads no files; a few terms stand in
                del rule['terms_file']
                rule['terms'] = rule.get('terms', []) + ['alpha', 'beta gamma']
            write('pack_loader', rule['id'], json.dumps(dict(header, rules=[rule]), indent=1))


def bundle_config_seeds() -> None:
    """First byte picks the parser (fuzz_bundle_config.cc): 0 config, 1 bundle payload,
    2 bundle envelope, 3 payload signed with the target's own trusted key."""
    config = {'rules_dir': '/etc/phiguard/rules.d', 'trusted_keys': ['AAAA'],
              'bundle_url': 'https://rules.example.org/phiguard.bundle', 'bundle_path': '/mnt/b',
              'update_interval_seconds': 3600, 'update_jitter_seconds': 300, 'ca_file': '/etc/ca.pem',
              'audit': {'enabled': True, 'file': '/var/log/a.jsonl', 'syslog': True,
                        'syslog_socket': '/dev/log', 'max_bytes': 8192, 'max_files': 2}}
    write('bundle_config', 'config_every_field', b'\x00' + json.dumps(config).encode())
    write('bundle_config', 'config_wrong_types',
          b'\x00' + json.dumps({'rules_dir': 5, 'audit': {'max_files': 'x'}}).encode())
    stem, pack = next(shipped_packs())
    for rule in pack['rules']:
        rule.pop('terms_file', None)
    payload = {'version': '2026.11.22', 'created': '2026-11-22T12:00:00Z',
               'packs': [{'name': stem + '.json', 'content': json.dumps(pack)}]}
    for name, body in {'payload_shipped_pack': payload,
                       'payload_created_number': dict(payload, created=5),
                       'payload_packs_object': dict(payload, packs={}),
                       'payload_version_number': dict(payload, version=1)}.items():
        data = json.dumps(body).encode()
        write('bundle_config', name, b'\x01' + data)
        write('bundle_config', 'signed_' + name, b'\x03' + data)
    write('bundle_config', 'envelope_unsigned', b'\x02' + json.dumps(
        {'format': 'phiguard-bundle/1', 'payload': 'e30=', 'signature': 'AAAA', 'key': 5}).encode())


def main() -> None:
    for target in ('protocol', 'pack_loader', 'scanner', 'normalize', 'bundle_config'):
        shutil.rmtree(CORPUS / target, ignore_errors=True)
        (CORPUS / target).mkdir(parents=True)
    text_seeds()
    protocol_seeds()
    pack_seeds()
    bundle_config_seeds()


if __name__ == '__main__':
    main()
