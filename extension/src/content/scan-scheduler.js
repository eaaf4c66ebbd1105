// When to scan: 300 ms after the last `input` or `compositionend` (inside the 250-400 ms the
// design asks for), never during IME composition, one request in flight, and replies for
// text that has changed since are dropped. flush() scans now, for the pre-post guard.

export const SCAN_DELAY_MS = 300;

export class ScanScheduler {
  #read; #send; #deliver; #delay; #timers;
  #timer = null; #composing = false; #inFlight = null; #again = false;
  #delivered = null; // the text whose reply was delivered last
  #waiters = [];

  // read(): the composer's current text. send(text): Promise of the reply.
  // deliver(text, reply): called only when `text` is still the composer's text.
  constructor({ read, send, deliver, delayMs = SCAN_DELAY_MS, timers = globalThis }) {
    this.#read = read;
    this.#send = send;
    this.#deliver = deliver;
    this.#delay = delayMs;
    this.#timers = timers;
  }

  get composing() { return this.#composing; }

  // True when the last delivered reply is for exactly this text.
  isCurrent(text) { return this.#delivered === text; }

  inputHappened() {
    if (!this.#composing) this.#arm();
  }

  compositionStarted() {
    this.#composing = true;
    this.#disarm();
  }

  compositionEnded() {
    this.#composing = false;
    this.#arm();
  }

  // Scans the current text now (or waits for the request in flight) and resolves with the
  // reply that was delivered for it.
  flush() {
    this.#disarm();
    return new Promise((resolve) => {
      this.#waiters.push(resolve);
      this.#fire(true);
    });
  }

  // Forget the delivered reply (the host came back, or the policy changed): next input rescans.
  invalidate() { this.#delivered = null; }

  #arm() {
    this.#disarm();
    this.#timer = this.#timers.setTimeout(() => {
      this.#timer = null;
      this.#fire(false);
    }, this.#delay);
  }

  #disarm() {
    if (this.#timer !== null) this.#timers.clearTimeout(this.#timer);
    this.#timer = null;
  }

  #fire(force) {
    if (this.#composing && !force) return;
    if (this.#inFlight !== null) {
      this.#again = true;
      return;
    }
    const text = this.#read();
    if (this.#delivered === text) {
      this.#release(this.#lastReply);
      return;
    }
    this.#inFlight = text;
    // One reaction on the reply: the reply is delivered in the microtask after it arrives.
    // NOTE: a chain of then/catch/then around the send put three more microtasks between
    // every reply and its handling (issue 16).
    let sent;
    try {
      sent = Promise.resolve(this.#send(text));
    } catch (error) {
      sent = Promise.reject(error);
    }
    sent.then((reply) => this.#settled(text, reply), (error) => this.#settled(text, {
      ok: false, error: 'internal', summary: String(error?.message ?? error),
    }));
  }

  #lastReply = null;

  #settled(text, reply) {
    this.#inFlight = null;
    const again = this.#again;
    this.#again = false;
    if (this.#read() === text) {
      this.#delivered = text;
      this.#lastReply = reply;
      this.#deliver(text, reply);
      this.#release(reply);
      if (again && !this.#composing) this.#arm();
      return;
    }
    // Stale: the text changed while the host was scanning. Drop it and scan what is there now
    // if someone is waiting or input asked for it; otherwise the armed timer will.
    if (this.#waiters.length) this.#fire(true);
    else if (again && this.#timer === null && !this.#composing) this.#fire(false);
  }

  #release(reply) {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resolve of waiters) resolve(reply);
  }
}
