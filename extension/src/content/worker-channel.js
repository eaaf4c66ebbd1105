// The content script's line to the service worker: one runtime port per frame, requests
// matched to replies by id, each with a timeout. A port costs one message each way per scan,
// where sendMessage opens and closes a channel every time (measured by
// tests/extension/bench/roundtrip.mjs). When the worker restarts the port drops: pending
// requests get an "unavailable" reply and the next request connects again.

import { t } from '../shared/i18n.js';
import { editSpan } from '../shared/text-edit.js';

const PORT_NAME = 'phiguard-content'; // router.js CONTENT_PORT

// Composers whose last sent text is kept for the edits (the worker keeps as many).
const MAX_COMPOSERS = 8;

export class WorkerChannel {
  #port = null; #pending = new Map(); #next = 1; #timeoutMs;
  #sent = new Map(); // composer id -> { seq, text } last sent on #sentOn
  #sentOn = null; // the port those went on
  #seq = 1;

  constructor({ timeoutMs = 6000 } = {}) { this.#timeoutMs = timeoutMs; }

  // The scan of `text`, composer `composer`'s text now: its reply, as request() gives it.
  // After the first, only the edit since the last text sent for the composer goes to the
  // worker, which keeps that text for the port (background/composer-texts.js); a new port
  // starts again from the whole text, and so does a worker that cannot apply the edit.
  async scan(composer, text) {
    const reply = await this.request(this.#scanMessage(composer, text));
    if (reply?.ok !== false || reply.error !== 'resend') return reply;
    this.#sent.delete(composer);
    return this.request(this.#scanMessage(composer, text));
  }

  #scanMessage(composer, text) {
    if (this.#sentOn !== this.#port || !this.#port) {
      this.#sent.clear();
      this.#sentOn = this.#connectQuietly();
    }
    const last = this.#sent.get(composer);
    const seq = this.#seq++;
    this.#sent.delete(composer);
    this.#sent.set(composer, { seq, text });
    if (this.#sent.size > MAX_COMPOSERS) this.#sent.delete(this.#sent.keys().next().value);
    if (!last) return { type: 'scan', composer, seq, text };
    const edit = editSpan(last.text, text);
    return {
      type: 'scan', composer, seq, base: last.seq, length: text.length,
      edit: { start: edit.start, end: edit.oldEnd, text: text.slice(edit.start, edit.newEnd) },
    };
  }

  // The port, connected now if it was not; null when that failed (request() says why).
  #connectQuietly() {
    try {
      return this.#connect();
    } catch {
      return null;
    }
  }

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
