// A composer's findings follow the text between replies, moved in place
// (composer-session.js visibleFindings): the same finding objects with new offsets, those an
// edit touched dropped, and all of the reply's back when the text is again the one it was
// for (an undo). A textarea session with a stand-in element: no page needed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ComposerSession } from '../../../extension/src/content/composer-session.js';
import { DEFAULT_POLICY } from '../../../extension/src/shared/policy.js';

const TEXT = 'SSN 536-22-8741 and MRN 44820193';
const FINDINGS = [
  { rule: 'phi.ssn', category: 'ssn', action: 'block', start: 4, end: 15 },
  { rule: 'phi.mrn', category: 'mrn', action: 'warn', start: 24, end: 32 },
];

async function scannedSession() {
  const element = { value: TEXT, isConnected: true };
  const container = { ownerDocument: { createElement: () => ({ setAttribute() {} }) }, append() {} };
  const session = new ComposerSession({ element, kind: 'value', editor: 'textarea' }, {
    scan: async () => ({ ok: true, result: { verdict: 'block', findings: FINDINGS.map((f) => ({ ...f })) } }),
    policy: () => DEFAULT_POLICY, ui: { layer: () => container }, onReply() {},
  });
  await session.scheduler.flush();
  return { element, session };
}

const spans = (findings) => findings.map((f) => [f.rule, f.start, f.end]);

test('typing before the findings moves the same objects', async () => {
  const { element, session } = await scannedSession();
  const [ssn, mrn] = session.visibleFindings();
  const moves = session.findingsMoved;
  element.value = `My ${TEXT}`;
  const now = session.visibleFindings();
  assert.deepEqual(spans(now), [['phi.ssn', 7, 18], ['phi.mrn', 27, 35]]);
  assert.ok(now[0] === ssn && now[1] === mrn, 'the same objects');
  assert.equal(session.findingsMoved, moves + 1, 'the overlay is told they moved');
  assert.equal(session.visibleFindings(), now, 'the same text: nothing moves again');
  assert.equal(session.findingsMoved, moves + 1);
});

test('an edit inside a finding drops it; back to the scanned text, the reply\'s findings return', async () => {
  const { element, session } = await scannedSession();
  const mrn = session.visibleFindings()[1];
  element.value = TEXT.replace('8741', '87X41');
  assert.deepEqual(spans(session.visibleFindings()), [['phi.mrn', 25, 33]]);
  assert.equal(session.visibleFindings()[0], mrn);
  element.value = TEXT; // undo
  assert.deepEqual(spans(session.visibleFindings()), [['phi.ssn', 4, 15], ['phi.mrn', 24, 32]]);
});
