// Trust tiers: content scripts may only scan, report and read the page's part of the policy;
// extension pages may also read status and reconnect; other senders get nothing. Audit events
// carry identifiers only.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { auditEvent, contentHandlers, firedRules } from '../../../extension/src/background/content-handlers.js';
import { falseAlarmHandler } from '../../../extension/src/background/false-alarm.js';
import { CONTENT_PORT, createRouter, portListener, trustTier } from '../../../extension/src/background/router.js';

const ID = 'nmpjncpkdhhkhjpmbdpklbdiojdalbab';
before(() => {
  globalThis.chrome = { runtime: { id: ID, getURL: (p) => `chrome-extension://${ID}/${p}` } };
});
after(() => { delete globalThis.chrome; });

const contentSender = { id: ID, tab: { id: 3 }, url: 'https://x.com/compose/post', origin: 'https://x.com', frameId: 0 };
const popupSender = { id: ID, url: `chrome-extension://${ID}/popup/popup.html`, origin: `chrome-extension://${ID}` };
const optionsTabSender = { ...popupSender, tab: { id: 9 }, url: `chrome-extension://${ID}/options/options.html` };
const foreignSender = { id: 'otherextensionid', tab: { id: 3 }, url: 'https://x.com/' };

test('trust tiers', () => {
  assert.equal(trustTier(contentSender), 'content');
  assert.equal(trustTier(popupSender), 'extension');
  assert.equal(trustTier(optionsTabSender), 'extension', 'an extension page in a tab is still ours');
  assert.equal(trustTier(foreignSender), 'none');
  assert.equal(trustTier({ id: ID, url: 'https://x.com/' }), 'none', 'no tab and not our page');
});

describe('router', () => {
  const calls = [];
  const dispatch = createRouter({
    content: {
      scan: () => { calls.push('scan'); return { ok: true }; }, report: () => ({ ok: true }), policy: () => ({ ok: true }),
    },
    extension: { status: () => ({ ok: true, status: 1 }), reconnect: () => ({ ok: true }) },
  });
  const send = (message, sender) => dispatch(message, sender);

  const rows = [
    // [sender, type, allowed]
    [contentSender, 'scan', true],
    [contentSender, 'report', true],
    [contentSender, 'policy', true],
    [contentSender, 'status', false],
    [contentSender, 'reconnect', false],
    [contentSender, 'toString', false],
    [contentSender, '__proto__', false],
    [popupSender, 'status', true],
    [popupSender, 'scan', true],
    [foreignSender, 'scan', false],
  ];
  for (const [sender, type, allowed] of rows) {
    test(`${trustTier(sender)} ${allowed ? 'may' : 'may not'} send ${type}`, async () => {
      const reply = await send({ type }, sender);
      assert.equal(reply.ok, allowed, JSON.stringify(reply));
      if (!allowed) assert.equal(reply.error, 'not_allowed');
    });
  }
});

describe('content ports', () => {
  function fakePort(name, sender) {
    const listeners = [];
    return {
      name, sender, posted: [], disconnected: false,
      onMessage: { addListener: (fn) => listeners.push(fn) },
      postMessage(m) { this.posted.push(m); },
      disconnect() { this.disconnected = true; },
      send(m) { for (const fn of listeners) fn(m); },
    };
  }
  const dispatch = createRouter({ content: { scan: async () => ({ ok: true, verdict: 'allow' }) }, extension: { status: () => ({ ok: true }) } });

  test('answer each request with its rid, under the sender\'s tier', async () => {
    const port = fakePort(CONTENT_PORT, contentSender);
    portListener(dispatch)(port);
    port.send({ type: 'scan', text: 'x', rid: 7 });
    port.send({ type: 'status', rid: 8 });
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(port.posted.sort((a, b) => a.rid - b.rid), [
      { rid: 7, reply: { ok: true, verdict: 'allow' } },
      { rid: 8, reply: { ok: false, error: 'not_allowed', message: 'content may not send "status"' } },
    ]);
  });

  test('ports with another name are closed', () => {
    const port = fakePort('something-else', contentSender);
    portListener(dispatch)(port);
    assert.equal(port.disconnected, true);
  });
});

describe('scan handler', () => {
  const status = { recordCheck() {}, brief: () => ({ state: 'ready' }) };
  test('sends the text with the site from the sender, not the message', async () => {
    const sent = [];
    const port = { request: async (m) => { sent.push(m); return { type: 'result', verdict: 'allow', findings: [], rules_version: 'v', scan_us: 3 }; } };
    const { scan } = contentHandlers({ port, status });
    const reply = await scan({ type: 'scan', text: 'hello', site: 'evil.example' }, { ...contentSender, origin: 'https://www.facebook.com' });
    assert.deepEqual(sent, [{ type: 'scan', text: 'hello', site: 'facebook.com', surface: 'compose', rule_details: 'once' }]);
    assert.equal(reply.ok, true);
    assert.equal(reply.result.verdict, 'allow');
  });

  test('review reply surfaces are labelled', async () => {
    const sent = [];
    const port = { request: async (m) => { sent.push(m); return { findings: [] }; } };
    await contentHandlers({ port, status }).scan({ text: 'Thanks!' }, { ...contentSender, origin: 'https://biz.yelp.com' });
    assert.equal(sent[0].surface, 'review_reply');
  });

  test('host failures come back as unavailable or timeout with the reason', async () => {
    const { scan } = contentHandlers({
      port: { request: async () => { const e = new Error('The PHI Guard host is not installed.'); e.code = 'disconnected'; e.detail = { reason: 'not_found' }; throw e; } },
      status,
    });
    const reply = await scan({ text: 'x' }, contentSender);
    assert.deepEqual([reply.ok, reply.error, reply.reason], [false, 'unavailable', 'not_found']);
  });

  test('refuses text that is not a string or too long', async () => {
    const { scan } = contentHandlers({ port: { request: () => assert.fail('must not reach the host') }, status });
    assert.equal((await scan({ text: 7 }, contentSender)).error, 'bad_request');
    assert.equal((await scan({ text: 'x'.repeat(1_000_001) }, contentSender)).error, 'bad_request');
  });
});

describe('policy handler', () => {
  const status = { recordCheck() {}, brief: () => ({ state: 'ready' }) };
  const port = { request: () => assert.fail('the policy does not involve the host') };
  const managed = {
    policy: {
      enforcement: { health: 'warn' }, failMode: 'closed', extraSites: ['forum.example.org'],
      helpUrl: 'https://intranet.example.org/policy', contactText: 'Call 4242.', requireJustification: true,
      audit: { enabled: true, syslog: false }, bundleKeys: ['a2V5'], rules: [{ id: 'org.project-falcon', terms: ['Project Falcon'] }],
    },
    problems: ['something the options page shows'],
    managed: true,
  };

  test('answers once the worker\'s read of managed storage has finished', async () => {
    let finishRead;
    const read = new Promise((resolve) => { finishRead = resolve; });
    const { policy } = contentHandlers({ port, status, policyState: () => read });
    let answered = null;
    const pending = policy({ type: 'policy' }, contentSender).then((reply) => { answered = reply; });
    await new Promise((r) => setImmediate(r));
    assert.equal(answered, null, 'no answer before the read finished');
    finishRead(managed);
    await pending;
    assert.equal(answered.ok, true);
  });

  test('gives the page only what decides how findings show and posts are guarded', async () => {
    const { policy } = contentHandlers({ port, status, policyState: async () => managed });
    assert.deepEqual(await policy({ type: 'policy' }, contentSender), {
      ok: true,
      policy: {
        enforcement: { health: 'warn' }, failMode: 'closed', helpUrl: 'https://intranet.example.org/policy',
        contactText: 'Call 4242.', requireJustification: true,
      },
    });
  });

  test('answers from the worker\'s current read: a changed policy, or a restarted worker\'s new read', async () => {
    let state = Promise.resolve(managed);
    const { policy } = contentHandlers({ port, status, policyState: () => state });
    assert.equal((await policy({}, contentSender)).policy.failMode, 'closed');
    state = Promise.resolve({ ...managed, policy: { ...managed.policy, failMode: 'open' } });
    assert.equal((await policy({}, contentSender)).policy.failMode, 'open');
  });
});

describe('audit events', () => {
  test('keep identifiers from closed lists only', () => {
    const event = auditEvent({
      outcome: 'posted_anyway', verdict: 'warn', justification: 'consent_on_file',
      rules: ['phi.name_given', 'Patient John Smith'], categories: ['name', 'made_up'],
      rules_version: 'phi-identifiers@0.4.0+phi-people@0.1.0', text: 'Patient John Smith',
    }, 'x.com');
    assert.deepEqual(event, {
      site: 'x.com', verdict: 'warn', outcome: 'posted_anyway', justification: 'consent_on_file',
      rules: ['phi.name_given'], categories: ['name'], rules_version: 'phi-identifiers@0.4.0+phi-people@0.1.0',
    });
  });

  test('reject unknown outcomes and verdicts, drop free-text justifications', () => {
    assert.equal(auditEvent({ outcome: 'shared', verdict: 'warn' }, 'x.com'), null);
    assert.equal(auditEvent({ outcome: 'false_alarm', verdict: 'warn' }, 'x.com'), null, 'a content script cannot report a false alarm');
    assert.equal(auditEvent({ outcome: 'edited', verdict: 'maybe' }, 'x.com'), null);
    assert.equal(auditEvent({ outcome: 'edited', verdict: 'warn', justification: 'my patient said ok' }, 'x.com').justification, undefined);
  });
});

describe('false-alarm reports', () => {
  // A reply with rule details once: categories come from the details, audit-mode findings
  // (never shown) are left out.
  const findings = [
    { rule: 'phi.ssn', action: 'block', start: 4, end: 15 },
    { rule: 'phi.name_given', action: 'warn', start: 20, end: 30 },
    { rule: 'phi.phone', action: 'warn', start: 40, end: 52, audited: true },
  ];
  const details = {
    'phi.ssn': { category: 'ssn' }, 'phi.name_given': { category: 'name' }, 'phi.phone': { category: 'phone' },
  };

  test('the last check keeps the ids and categories of the rules it showed', () => {
    assert.deepEqual(firedRules(findings, details), { rules: ['phi.ssn', 'phi.name_given'], categories: ['ssn', 'name'] });
  });

  function setup(lastCheck, reply) {
    const sent = [];
    const marked = [];
    const port = { request: async (message) => { sent.push(message); if (reply instanceof Error) throw reply; return reply; } };
    const status = { snapshot: () => ({ lastCheck }), markReported: (at) => marked.push(at) };
    return { sent, marked, report: falseAlarmHandler({ port, status }) };
  }
  const check = {
    at: 1765000000000, verdict: 'block', findings: 2, site: 'x.com', rulesVersion: 'phi-identifiers@1.0.0',
    ...firedRules(findings, details),
  };

  test('send one content-free audit event of the last check, and say it was recorded', async () => {
    const { sent, marked, report } = setup(check, { type: 'audited', recorded: true });
    assert.deepEqual(await report(), { ok: true, recorded: true });
    assert.deepEqual(sent, [{
      type: 'audit',
      event: {
        site: 'x.com', verdict: 'block', outcome: 'false_alarm', rules: ['phi.ssn', 'phi.name_given'],
        categories: ['ssn', 'name'], rules_version: 'phi-identifiers@1.0.0',
      },
    }]);
    assert.deepEqual(marked, [check.at]);
  });

  test('with audit records off the host keeps nothing, and the check is not marked reported', async () => {
    const { marked, report } = setup(check, { type: 'audited', recorded: false });
    assert.deepEqual(await report(), { ok: true, recorded: false });
    assert.deepEqual(marked, []);
  });

  test('a newer check than the one the popup shows is not reported', async () => {
    const { sent, report } = setup(check, { type: 'audited', recorded: true });
    assert.deepEqual(await report({ type: 'reportFalseAlarm', at: check.at - 5000 }), { ok: false, error: 'changed' });
    assert.deepEqual(sent, []);
    assert.deepEqual(await report({ type: 'reportFalseAlarm', at: check.at }), { ok: true, recorded: true });
  });

  test('nothing to report after a clean or failed check', async () => {
    for (const last of [null, { ...check, rules: [], categories: [] }, { at: 1, error: 'timeout', site: 'x.com' }]) {
      const { sent, report } = setup(last, { type: 'audited', recorded: true });
      assert.deepEqual(await report(), { ok: false, error: 'nothing_to_report' });
      assert.deepEqual(sent, []);
    }
  });
});
