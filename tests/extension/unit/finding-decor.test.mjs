// A reply's findings are decorated (rule details, the policy's `effective`) keeping the
// objects of the last reply's findings that are the same (content/finding-decor.js): what
// comes out must always equal a fresh decoration, and the objects kept must be exactly
// those whose rule, span, host fields and rule details did not change under the same policy.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ComposerSession } from '../../../extension/src/content/composer-session.js';
import { decorateFresh, FindingDecor } from '../../../extension/src/content/finding-decor.js';
import { shiftFindingsInPlace } from '../../../extension/src/content/findings-shift.js';
import { DEFAULT_POLICY } from '../../../extension/src/shared/policy.js';

const DETAILS = {
  'phi.ssn': { title: 'SSN', message: 'm', advice: 'a', category: 'ssn', kind: 'phi', severity: 'critical' },
  'phi.phone': { title: 'Phone', message: 'p', advice: 'b', category: 'phone', kind: 'phi', severity: 'high' },
  'name.patient': { title: 'Name', message: 'n', advice: 'c', category: 'name', kind: 'phi', severity: 'high' },
};
const RULES = Object.keys(DETAILS);
const ACTIONS = { 'phi.ssn': 'block', 'phi.phone': 'warn', 'name.patient': 'warn' };

// A reply's result as the host sends it with "rule_details":"once": new objects every time.
function result(spans) {
  const findings = spans.map(([rule, start, end, action = ACTIONS[rule]]) => ({ rule, action, start, end, confidence: 0.9 }));
  const details = {};
  for (const f of findings) details[f.rule] = { ...DETAILS[f.rule] };
  return { verdict: 'warn', findings, rule_details: details };
}

// A deterministic pseudo-random sequence (no Math.random: a failure must repeat).
function lcg(seed) {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

test('after edits that add, remove and shift findings the decoration equals a fresh one, and keeps what did not change', () => {
  const rand = lcg(7);
  const decor = new FindingDecor();
  let spans = [];
  for (let at = 0; at < 2000; at += 10) spans.push([RULES[Math.floor(rand() * 3)], at, at + 5]);
  let text = 'x'.repeat(2100);
  let shown = decor.apply(result(spans), DEFAULT_POLICY).findings;
  assert.deepEqual(shown, decorateFresh(result(spans), DEFAULT_POLICY).findings);
  for (let step = 0; step < 60; step += 1) {
    // An edit at a random place: insert or delete a few characters; findings it touches
    // are gone, later ones move; sometimes the host finds a new one at the edit, or changes
    // one finding's action (a linkage score) with the span kept.
    const at = Math.floor(rand() * text.length);
    const insert = rand() < 0.6;
    const size = 1 + Math.floor(rand() * 4);
    const next = insert ? text.slice(0, at) + 'y'.repeat(size) + text.slice(at) : text.slice(0, at) + text.slice(at + size);
    const delta = next.length - text.length;
    const oldEnd = insert ? at : at + size;
    spans = spans.filter(([, s, e]) => e <= at || s >= oldEnd).map(([r, s, e, a]) => (s >= oldEnd ? [r, s + delta, e + delta, a] : [r, s, e, a]));
    if (rand() < 0.4 && !spans.some(([, s, e]) => s < at + size && at < e)) {
      spans.push([RULES[Math.floor(rand() * 3)], at, at + size]);
      spans.sort((a, b) => a[1] - b[1] || a[2] - b[2]);
    }
    let changed = -1;
    if (rand() < 0.3 && spans.length) {
      changed = Math.floor(rand() * spans.length);
      spans[changed] = [spans[changed][0], spans[changed][1], spans[changed][2], 'info'];
    }
    // The session moves its findings in place to the new text before the reply is applied.
    const previous = shiftFindingsInPlace(shown, text, next);
    text = next;
    const before = new Map(previous.map((f) => [`${f.start}|${f.end}|${f.rule}|${f.action}`, f]));
    const now = decor.apply(result(spans), DEFAULT_POLICY, previous);
    const fresh = decorateFresh(result(spans), DEFAULT_POLICY);
    assert.deepEqual(now, fresh, `step ${step}: equal to a fresh decoration`);
    now.findings.forEach((f, i) => {
      const was = before.get(`${f.start}|${f.end}|${f.rule}|${f.action}`);
      if (was && i !== changed) assert.equal(f, was, `step ${step}: an unchanged finding keeps its object`);
      if (i === changed) assert.ok(!previous.includes(f) || f.action === 'info', `step ${step}: a changed action is a new object`);
    });
    assert.equal(new Set(now.findings).size, now.findings.length, 'no object is two findings');
    shown = now.findings;
  }
});

test('changed rule details, host fields or policy make new objects', () => {
  const decor = new FindingDecor();
  const spans = [['phi.ssn', 0, 11], ['phi.phone', 20, 34]];
  const first = decor.apply(result(spans), DEFAULT_POLICY).findings;
  const same = decor.apply(result(spans), DEFAULT_POLICY, first).findings;
  assert.ok(same[0] === first[0] && same[1] === first[1], 'the same reply again: the same objects');

  const retitled = result(spans);
  retitled.rule_details['phi.ssn'] = { ...retitled.rule_details['phi.ssn'], title: 'Social security number' };
  const afterDetails = decor.apply(retitled, DEFAULT_POLICY, same).findings;
  assert.notEqual(afterDetails[0], same[0]);
  assert.equal(afterDetails[0].title, 'Social security number');
  assert.equal(afterDetails[1], same[1]);

  const extraField = result(spans);
  extraField.findings[1].linked = true;
  const afterField = decor.apply(extraField, DEFAULT_POLICY, afterDetails).findings;
  assert.notEqual(afterField[1], afterDetails[1]);
  assert.equal(afterField[1].linked, true);

  const stricter = { ...DEFAULT_POLICY, enforcement: { phone: 'block' } };
  const afterPolicy = decor.apply(result(spans), stricter, afterField);
  assert.ok(afterPolicy.findings.every((f) => !afterField.includes(f)), 'a new policy: every finding new');
  assert.equal(afterPolicy.findings[1].effective, 'block');
  assert.deepEqual(afterPolicy, decorateFresh(result(spans), stricter));

  const audit = { ...DEFAULT_POLICY, enforcement: { phone: 'audit' } };
  const audited = decor.apply(result(spans), audit, afterPolicy.findings);
  assert.deepEqual(audited, decorateFresh(result(spans), audit));
  assert.equal(audited.audited.length, 1);
});

test('a reply without rule details (an older host) is decorated as it is', () => {
  const decor = new FindingDecor();
  const plain = { findings: [{ rule: 'phi.ssn', title: 'SSN', category: 'ssn', action: 'block', start: 0, end: 11 }] };
  const first = decor.apply(plain, DEFAULT_POLICY);
  assert.deepEqual(first, decorateFresh(plain, DEFAULT_POLICY));
  const again = decor.apply({ findings: [{ ...plain.findings[0] }] }, DEFAULT_POLICY, first.findings);
  assert.equal(again.findings[0], first.findings[0]);
});

// The session: a reply after an edit keeps the objects of the findings it finds again.
test('a session\'s reply after an edit keeps the findings that are the same', async () => {
  const TEXT = 'SSN 536-22-8741 and call (617) 555-0142';
  let spans = [['phi.ssn', 4, 15], ['phi.phone', 25, 39]];
  const element = { value: TEXT, isConnected: true };
  const container = { ownerDocument: { createElement: () => ({ setAttribute() {} }) }, append() {} };
  const session = new ComposerSession({ element, kind: 'value', editor: 'textarea' }, {
    scan: async () => ({ ok: true, result: result(spans) }),
    policy: () => DEFAULT_POLICY, ui: { layer: () => container }, onReply() {},
  });
  await session.scheduler.flush();
  const [ssn, phone] = session.visibleFindings();
  assert.equal(ssn.title, 'SSN', 'the details are merged');
  // A key before both: they move; the reply finds the same findings at the moved spans.
  element.value = `My ${TEXT}`;
  spans = [['phi.ssn', 7, 18], ['phi.phone', 28, 42], ['name.patient', 0, 2]];
  await session.scheduler.flush();
  const now = session.visibleFindings();
  assert.ok(now[0] === ssn && now[1] === phone, 'the same objects');
  assert.deepEqual(now, decorateFresh(result(spans), DEFAULT_POLICY).findings);
  // "Not PHI" on the phone: reapplied with the same objects, the phone out.
  assert.ok(session.dismiss(phone));
  assert.deepEqual(session.visibleFindings().map((f) => f.rule), ['phi.ssn', 'name.patient']);
  assert.equal(session.visibleFindings()[0], ssn);
  assert.deepEqual(session.dismissed.map((f) => f.rule), ['phi.phone']);
});
