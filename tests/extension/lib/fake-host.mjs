// A stand-in native host, for replies the real one gives only on inputs too large to type
// (a scan cut short by the raw-match cap, docs/protocol.md). It speaks the framing and
// answers hello, scan and everything else; every scan reply is the one given here, with the
// capped finding on the text's last character. It never logs or keeps the text.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCRIPT = `
const FINDING = {
  rule: 'scan.capped', category: 'other_id', kind: 'phi', severity: 'medium', action: 'warn',
  confidence: 1, title: 'Text not fully checked',
  message: 'This text is too long or too dense to check in full; the rest of it was not checked.',
  advice: 'Post it in shorter parts.',
};
let buffer = Buffer.alloc(0);
function send(message) {
  const body = Buffer.from(JSON.stringify(message));
  const head = Buffer.alloc(4);
  head.writeUInt32LE(body.length);
  process.stdout.write(Buffer.concat([head, body]));
}
function answer(request) {
  const id = request.id;
  if (request.type === 'hello') {
    return send({ type: 'hello', id, host_version: '0.0.0-fake', protocol: 1,
      rules: { version: 'fake@1', packs: [] } });
  }
  if (request.type === 'scan') {
    const end = request.text.length;
    return send({ type: 'result', id, verdict: 'warn', capped: true, rules_version: 'fake@1',
      scan_us: 1, findings: [{ ...FINDING, start: Math.max(0, end - 1), end }] });
  }
  return send({ type: request.type, id, ok: true });
}
process.stdin.on('data', (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  while (buffer.length >= 4) {
    const size = buffer.readUInt32LE(0);
    if (buffer.length < 4 + size) break;
    const request = JSON.parse(buffer.subarray(4, 4 + size).toString('utf8'));
    buffer = buffer.subarray(4 + size);
    answer(request);
  }
});
`;

// Writes the fake host to a new folder and returns its path (an executable script run by
// this Node).
export function cappedFakeHost() {
  const path = join(mkdtempSync(join(tmpdir(), 'phiguard-fake-host-')), 'fake-host.js');
  writeFileSync(path, `#!${process.execPath}\n${SCRIPT}`);
  chmodSync(path, 0o755);
  return path;
}
