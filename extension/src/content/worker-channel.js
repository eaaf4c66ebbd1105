// The content script's line to the service worker: one runtime port per frame, requests
// matched to replies by id, each with a timeout. A port costs one message each way per scan,
// where sendMessage opens and closes a channel every time (measured by
// tests/extension/bench/roundtrip.mjs). When the worker restarts the port drops: pending
// requests get an "unavailable" reply and the next request connects again.

import { t } from '../shared/i18n.js';

const PORT_NAME = 'phiguard-content'; // router.js CONTENT_PORT

export class WorkerChannel {
  #port = null; #pending = new Map(); #next = 1; #timeoutMs;

  constructor({ timeoutMs = 6000 } = {}) { this.#timeoutMs = timeoutMs; }

  // Resolves with the worker's reply, or with { ok: false, error, reason, summary }.
  // options.timeoutMs: this request's own timeout instead of the channel's.
  request(message, { timeoutMs = this.#timeoutMs } = {}) {
    return new Promise((resolve) => {
      const rid = this.#next++;
      const timer = setTimeout(() => this.#settle(rid, {
        ok: false, error: 'timeout', reason: 'timeout', summary: t('summaryTimeout'),
      }), timeoutMs);
      this.#pending.set(rid, { resolve, timer });
      try {
        this.#connect().postMessage({ ...message, rid });
      } catch (error) {
        this.#port = null;
        this.#settle(rid, { ok: false, error: 'unavailable', reason: 'extension', summary: String(error?.message ?? error) });
      }
    });
  }

  #connect() {
    if (this.#port) return this.#port;
    const port = chrome.runtime.connect({ name: PORT_NAME });
    port.onMessage.addListener(({ rid, reply }) => this.#settle(rid, reply ?? {
      ok: false, error: 'unavailable', reason: 'no_reply', summary: t('summaryNoReply'),
    }));
    port.onDisconnect.addListener(() => {
      if (this.#port === port) this.#port = null;
      for (const rid of [...this.#pending.keys()]) {
        this.#settle(rid, { ok: false, error: 'unavailable', reason: 'extension', summary: t('summaryRestarted') });
      }
    });
    this.#port = port;
    return port;
  }

  #settle(rid, reply) {
    const entry = this.#pending.get(rid);
    if (!entry) return;
    this.#pending.delete(rid);
    clearTimeout(entry.timer);
    entry.resolve(reply);
  }
}
