// The native port against a fake browser port: ids, timeouts, error replies, the exact
// disconnect reasons the browser gives, and reconnection with backoff.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { classifyDisconnect } from '../../../extension/src/background/disconnect-reasons.js';
import { HostError, NativePort } from '../../../extension/src/background/native-port.js';

// A Port as chrome.runtime.connectNative returns it; the test plays the host.
function fakePort() {
  const messageListeners = [];
  const disconnectListeners = [];
  return {
    sent: [],
    disconnected: false,
    onMessage: { addListener: (fn) => messageListeners.push(fn) },
    onDisconnect: { addListener: (fn) => disconnectListeners.push(fn) },
    postMessage(message) { this.sent.push(message); },
    disconnect() { this.disconnected = true; },
    reply(message) { for (const fn of messageListeners) fn(message); },
    // Chromium reports why in runtime.lastError while onDisconnect runs.
    drop(browserMessage) {
      globalThis.chrome = { runtime: { lastError: browserMessage ? { message: browserMessage } : undefined } };
      for (const fn of disconnectListeners) fn(this);
      delete globalThis.chrome;
    },
  };
}

let ports;
let connects;
const connect = () => { connects += 1; const p = fakePort(); ports.push(p); return p; };
const last = () => ports[ports.length - 1];

beforeEach(() => { ports = []; connects = 0; });
afterEach(() => { delete globalThis.chrome; });

test('numbers requests and resolves each with the reply carrying its id', async () => {
  const port = new NativePort('com.phiguard.host', { connect });
  const a = port.request({ type: 'ping' });
  const b = port.request({ type: 'scan', text: 'x' });
  const [first, second] = last().sent;
  assert.notEqual(first.id, second.id);
  last().reply({ type: 'result', id: second.id, verdict: 'allow' });
  last().reply({ type: 'pong', id: first.id });
  assert.equal((await a).type, 'pong');
  assert.equal((await b).verdict, 'allow');
  assert.equal(connects, 1, 'one long-lived port for every request');
});

test('a host error reply rejects with its code', async () => {
  const port = new NativePort('h', { connect });
  const pending = port.request({ type: 'scan', text: 42 });
  last().reply({ type: 'error', id: last().sent[0].id, code: 'bad_request', message: "'text' must be a string" });
  await assert.rejects(pending, (e) => e instanceof HostError && e.code === 'bad_request');
});

test('a request without a reply times out, and a late reply is ignored', async () => {
  const port = new NativePort('h', { connect, requestTimeoutMs: 20 });
  const pending = port.request({ type: 'ping' });
  await assert.rejects(pending, (e) => e.code === 'timeout');
  last().reply({ type: 'pong', id: last().sent[0].id }); // nothing to settle; must not throw
});

test('a disconnect rejects what is pending, records the reason, and reconnects with backoff', async () => {
  const states = [];
  const port = new NativePort('h', { connect, backoffMs: [10, 40] });
  port.onStateChange((s) => states.push(s.state));
  const pending = port.request({ type: 'ping' });
  last().drop('Specified native messaging host not found.');
  await assert.rejects(pending, (e) => e.code === 'disconnected' && e.detail.reason === 'not_found');
  assert.equal(port.state.state, 'unavailable');
  assert.equal(port.state.reason, 'not_found');
  assert.equal(port.state.browserMessage, 'Specified native messaging host not found.');
  // While waiting to retry, requests fail at once instead of queueing.
  await assert.rejects(port.request({ type: 'ping' }), (e) => e.code === 'unavailable');
  assert.equal(connects, 1);
  await new Promise((r) => setTimeout(r, 25));
  assert.equal(connects, 2, 'retried after the first delay');
  last().drop('Native host has exited.');
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(connects, 2, 'the second delay is longer');
  await new Promise((r) => setTimeout(r, 40));
  assert.equal(connects, 3);
  assert.deepEqual(states.slice(0, 3), ['connecting', 'unavailable', 'connecting']);
});

test('markHealthy resets the backoff; reconnectNow skips the wait', async () => {
  const port = new NativePort('h', { connect, backoffMs: [10_000] });
  port.ensureConnected();
  port.markHealthy();
  assert.equal(port.state.state, 'ready');
  last().drop('Native host has exited.');
  assert.equal(port.state.reason, 'exited');
  port.reconnectNow();
  assert.equal(connects, 2);
});

test('fail() gives up on a silent host and schedules a retry', () => {
  const port = new NativePort('h', { connect, backoffMs: [10_000] });
  port.ensureConnected();
  const opened = last();
  port.fail('hello timed out: no reply within 15000 ms');
  assert.equal(opened.disconnected, true);
  assert.equal(port.state.reason, 'timeout');
  port.reconnectNow();
});

test('onConnected runs for every new connection (hello is sent there)', () => {
  const seen = [];
  const port = new NativePort('h', { connect, backoffMs: [0], onConnected: (p) => seen.push(p) });
  port.ensureConnected();
  assert.equal(seen.length, 1);
  assert.equal(seen[0], port);
});

// The browser's own words (docs/browser-testing.md), and Firefox's.
const REASONS = [
  ['Specified native messaging host not found.', 'not_found'],
  ['Access to the specified native messaging host is forbidden.', 'forbidden'],
  ['Native host has exited.', 'exited'],
  ['Error when communicating with the native messaging host.', 'protocol_error'],
  ['Access to the native messaging host was disabled by the system administrator.', 'blocked_by_policy'],
  ['No such native application com.phiguard.host', 'not_found'],
  ['', 'exited'],
  ['Something new', 'error'],
];
for (const [message, reason] of REASONS) {
  test(`disconnect "${message}" is ${reason}`, () => {
    const why = classifyDisconnect(message);
    assert.equal(why.reason, reason);
    assert.equal(why.browserMessage, message);
    assert.ok(why.summary.length > 0);
  });
}
