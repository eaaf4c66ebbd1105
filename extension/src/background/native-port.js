// One long-lived connectNative port to the host (docs/design.md "The parts and how text moves"): request ids, a
// timeout per request, and reconnection with exponential backoff after onDisconnect.
// sendNativeMessage would start a new host process per call (~26 ms here against ~0.3 ms on
// an open port, docs/browser-testing.md), so it is never used while the user types.

import { classifyDisconnect } from './disconnect-reasons.js';

export class HostError extends Error {
  // code: 'unavailable' | 'timeout' | 'disconnected' | a protocol error code (bad_request, ...)
  constructor(code, message, detail = {}) {
    super(message);
    this.code = code;
    this.detail = detail;
  }
}

const DEFAULTS = {
  requestTimeoutMs: 4000,
  backoffMs: [500, 1000, 2000, 4000, 8000, 15000, 30000],
};

export class NativePort {
  #name; #connect; #options; #port = null; #pending = new Map(); #nextId = 1;
  #attempt = 0; #retryTimer = null; #listeners = new Set();
  #state = { state: 'idle', reason: null, summary: '', browserMessage: '', since: Date.now() };

  // connect(name) returns a Port (chrome.runtime.connectNative in the extension; a fake in tests).
  // onConnected(port) runs after each new connection (it sends hello and configure).
  constructor(name, { connect, onConnected, ...options } = {}) {
    this.#name = name;
    this.#connect = connect ?? ((n) => chrome.runtime.connectNative(n));
    this.#options = { ...DEFAULTS, ...options, onConnected };
  }

  get state() { return { ...this.#state }; }

  onStateChange(listener) { this.#listeners.add(listener); }

  // Opens the port unless it is open or a reconnect is scheduled.
  ensureConnected() {
    if (this.#port || this.#retryTimer) return;
    this.#open();
  }

  // Drops any backoff and connects now (the popup's "Reconnect").
  reconnectNow() {
    clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    this.#attempt = 0;
    if (!this.#port) this.#open();
  }

  // Sends one request and resolves with its reply; rejects with a HostError.
  request(message, { timeoutMs = this.#options.requestTimeoutMs } = {}) {
    this.ensureConnected();
    if (!this.#port) {
      const { reason, summary } = this.#state;
      return Promise.reject(new HostError('unavailable', summary || 'host unavailable', { reason }));
    }
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new HostError('timeout', `no reply within ${timeoutMs} ms`, { reason: 'timeout' }));
      }, timeoutMs);
      this.#pending.set(id, { resolve, reject, timer });
      try {
        this.#port.postMessage({ ...message, id });
      } catch (error) {
        this.#settle(id, null, new HostError('disconnected', String(error?.message ?? error)));
      }
    });
  }

  // Gives up on the open port (it never answered hello): closes it, records why, and
  // schedules the next attempt like any other disconnect.
  fail(message) {
    const port = this.#port;
    if (!port) return;
    this.#closed(message);
    try { port.disconnect(); } catch { /* already gone */ }
  }

  // Marks the connection good: the next disconnect starts the backoff from the beginning.
  markHealthy() {
    this.#attempt = 0;
    this.#setState({ state: 'ready', reason: null, summary: '', browserMessage: '' });
  }

  #open() {
    // A retry keeps the last failure's reason until it succeeds, so the popup can say
    // "unavailable, retrying" with the browser's words rather than a bare "connecting".
    this.#setState({ state: 'connecting' });
    let port;
    try {
      port = this.#connect(this.#name);
    } catch (error) {
      this.#closed(String(error?.message ?? error));
      return;
    }
    this.#port = port;
    port.onMessage.addListener((reply) => this.#onMessage(reply));
    port.onDisconnect.addListener((p) => {
      // Chromium reports the reason in runtime.lastError, Firefox in port.error.
      const message = globalThis.chrome?.runtime?.lastError?.message ?? p?.error?.message;
      if (this.#port === port) this.#closed(message);
    });
    this.#options.onConnected?.(this);
  }

  #onMessage(reply) {
    if (!reply || typeof reply !== 'object') return;
    const pending = this.#pending.has(reply.id);
    if (!pending) return; // a reply after its timeout, or one we never asked for
    if (reply.type === 'error') {
      this.#settle(reply.id, null, new HostError(reply.code ?? 'internal', reply.message ?? ''));
    } else {
      this.#settle(reply.id, reply, null);
    }
  }

  #settle(id, reply, error) {
    const entry = this.#pending.get(id);
    if (!entry) return;
    this.#pending.delete(id);
    clearTimeout(entry.timer);
    if (error) entry.reject(error);
    else entry.resolve(reply);
  }

  #closed(browserMessage) {
    this.#port = null;
    const why = classifyDisconnect(browserMessage);
    for (const id of [...this.#pending.keys()]) {
      this.#settle(id, null, new HostError('disconnected', why.summary, why));
    }
    this.#setState({ state: 'unavailable', ...why });
    const delays = this.#options.backoffMs;
    const delay = delays[Math.min(this.#attempt, delays.length - 1)];
    this.#attempt += 1;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      this.#open();
    }, delay);
  }

  #setState(next) {
    const changed = next.state !== this.#state.state ||
      ('reason' in next && next.reason !== this.#state.reason);
    this.#state = { ...this.#state, ...next, since: changed ? Date.now() : this.#state.since };
    if (changed) for (const listener of this.#listeners) listener(this.state);
  }
}
