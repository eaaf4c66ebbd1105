// When scans happen: debounce after input, nothing during IME composition, one request in
// flight, stale replies dropped, and flush() for the pre-post guard. Timers are fake, so the
// tests say exactly which milliseconds matter.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SCAN_DELAY_MS, ScanScheduler } from '../../../extension/src/content/scan-scheduler.js';

function fakeTimers() {
  let now = 0;
  let next = 1;
  const pending = new Map();
  return {
    setTimeout(fn, ms) { const id = next++; pending.set(id, { at: now + ms, fn }); return id; },
    clearTimeout(id) { pending.delete(id); },
    async advance(ms) {
      const until = now + ms;
      for (;;) {
        const due = [...pending.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        pending.delete(due[0]);
        now = due[1].at;
        due[1].fn();
        await settle();
      }
      now = until;
      await settle();
    },
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

// A composer whose text the test sets, and a host whose replies the test releases.
function harness() {
  const timers = fakeTimers();
  const state = { text: '', sent: [], delivered: [], replies: [] };
  const scheduler = new ScanScheduler({
    read: () => state.text,
    send: (text) => new Promise((resolve) => {
      state.sent.push(text);
      state.replies.push(() => resolve({ ok: true, result: { text } }));
    }),
    deliver: (text) => state.delivered.push(text),
    timers,
  });
  const reply = async () => { state.replies.shift()(); await settle(); };
  return { timers, state, scheduler, reply };
}

test('the delay is inside the 250-400 ms the design asks for', () => {
  assert.ok(SCAN_DELAY_MS >= 250 && SCAN_DELAY_MS <= 400);
});

test('scans once, SCAN_DELAY_MS after the last input', async () => {
  const { timers, state, scheduler, reply } = harness();
  for (const text of ['P', 'Pa', 'Pat']) {
    state.text = text;
    scheduler.inputHappened();
    await timers.advance(100);
  }
  assert.deepEqual(state.sent, []);
  await timers.advance(SCAN_DELAY_MS - 100);
  assert.deepEqual(state.sent, ['Pat']);
  await reply();
  assert.deepEqual(state.delivered, ['Pat']);
  assert.ok(scheduler.isCurrent('Pat'));
});

test('never scans during IME composition; compositionend starts the delay', async () => {
  const { timers, state, scheduler } = harness();
  scheduler.compositionStarted();
  state.text = 'かん';
  scheduler.inputHappened();
  await timers.advance(1000);
  assert.deepEqual(state.sent, []);
  state.text = '漢';
  scheduler.compositionEnded();
  await timers.advance(SCAN_DELAY_MS);
  assert.deepEqual(state.sent, ['漢']);
});

test('keeps one request in flight and drops the stale reply', async () => {
  const { timers, state, scheduler, reply } = harness();
  state.text = 'SSN 536';
  scheduler.inputHappened();
  await timers.advance(SCAN_DELAY_MS);
  state.text = 'SSN 536-22-8741';
  scheduler.inputHappened();
  await timers.advance(SCAN_DELAY_MS);
  assert.deepEqual(state.sent, ['SSN 536'], 'no second request while one is in flight');
  await reply(); // the reply for the old text arrives: dropped, and the new text is sent
  assert.deepEqual(state.delivered, []);
  assert.deepEqual(state.sent, ['SSN 536', 'SSN 536-22-8741']);
  await reply();
  assert.deepEqual(state.delivered, ['SSN 536-22-8741']);
});

test('flush scans now and resolves with the reply for the current text', async () => {
  const { state, scheduler, reply } = harness();
  state.text = 'Post now';
  const flushed = scheduler.flush();
  await settle();
  assert.deepEqual(state.sent, ['Post now']);
  await reply();
  assert.deepEqual(await flushed, { ok: true, result: { text: 'Post now' } });
});

test('flush with a current reply answers from it without a new request', async () => {
  const { state, scheduler, reply } = harness();
  state.text = 'Same text';
  const first = scheduler.flush();
  await settle();
  await reply();
  await first;
  const again = await scheduler.flush();
  assert.equal(state.sent.length, 1);
  assert.deepEqual(again, { ok: true, result: { text: 'Same text' } });
});

test('flush during a stale request waits for a reply to the text as it is now', async () => {
  const { state, scheduler, reply } = harness();
  state.text = 'old';
  scheduler.flush();
  await settle();
  state.text = 'new';
  const flushed = scheduler.flush();
  await reply(); // 'old' is stale: dropped, 'new' is sent
  assert.deepEqual(state.sent, ['old', 'new']);
  await reply();
  assert.deepEqual((await flushed).result, { text: 'new' });
  assert.deepEqual(state.delivered, ['new']);
});

test('a failed send is delivered as an error reply, not thrown', async () => {
  const timers = fakeTimers();
  const delivered = [];
  const scheduler = new ScanScheduler({
    read: () => 'text', send: () => Promise.reject(new Error('worker gone')),
    deliver: (_text, reply) => delivered.push(reply), timers,
  });
  const reply = await scheduler.flush();
  assert.equal(reply.ok, false);
  assert.equal(delivered.length, 1);
});

test('a reply is delivered in the microtask after it arrives, and a send that throws is an error reply', async () => {
  const { state, scheduler } = harness();
  state.text = 'x';
  scheduler.flush();
  assert.deepEqual(state.sent, ['x'], 'sent at once');
  state.replies.shift()();
  let ticks = 0;
  while (!state.delivered.length && ticks < 10) {
    await Promise.resolve();
    ticks += 1;
  }
  assert.equal(ticks, 1, 'the one reaction on the reply');

  const timers = fakeTimers();
  const delivered = [];
  const throwing = new ScanScheduler({
    read: () => 'text', send: () => { throw new Error('no port'); },
    deliver: (_text, reply) => delivered.push(reply), timers,
  });
  const reply = await throwing.flush();
  assert.equal(reply.ok, false);
  assert.equal(delivered.length, 1);
});
