// What the popup shows about the host: connection state and the exact disconnect reason,
// host and rules versions from `hello`, whether `configure` took, and the last check.
// The last check holds a verdict, counts, timings, and the ids and categories of the rules
// that fired (what a false-alarm report names), never text. It is kept in storage.session
// so a restarted service worker still knows it. Whether the host keeps audit records comes
// from `hello` and, once the policy was sent, from `configured`.

const LAST_CHECK_KEY = 'lastCheck';

export class HostStatus {
  #port; #hello = null; #configured = null; #lastCheck = null; #listeners = new Set();

  constructor(port) {
    this.#port = port;
    port.onStateChange(() => this.#changed());
    chrome.storage.session?.get(LAST_CHECK_KEY).then((stored) => {
      this.#lastCheck ??= stored?.[LAST_CHECK_KEY] ?? null;
    }).catch(() => {});
  }

  onChange(listener) { this.#listeners.add(listener); }

  setHello(reply) {
    this.#hello = {
      hostVersion: reply.host_version ?? '',
      protocol: reply.protocol ?? null,
      rules: reply.rules ?? null,
      audit: typeof reply.audit === 'boolean' ? reply.audit : null,
      at: Date.now(),
    };
    this.#changed();
  }

  setConfigured(result) {
    this.#configured = { ...result, at: Date.now() };
    this.#changed();
  }

  // rules, categories: of the findings the user was shown; rulesVersion: the set that found them.
  recordCheck({ verdict, findings, scanUs, roundTripMs, site, error, rules = [], categories = [], rulesVersion }) {
    this.#lastCheck = {
      at: Date.now(), verdict, findings, scanUs, roundTripMs, site, error, rules, categories, rulesVersion,
    };
    this.#saveCheck();
  }

  // The last check was reported as a false alarm (once is enough: the popup says so).
  markReported(at) {
    if (this.#lastCheck?.at !== at) return;
    this.#lastCheck = { ...this.#lastCheck, reported: true };
    this.#saveCheck();
  }

  #saveCheck() {
    chrome.storage.session?.set({ [LAST_CHECK_KEY]: this.#lastCheck }).catch(() => {});
  }

  // The summary content scripts get with every scan reply (no versions, no history).
  brief() {
    const { state, reason, summary } = this.#port.state;
    return { state, reason, summary };
  }

  snapshot() {
    return {
      ...this.#port.state,
      hostVersion: this.#hello?.hostVersion ?? null,
      protocol: this.#hello?.protocol ?? null,
      rulesVersion: this.#hello?.rules?.version ?? null,
      packs: this.#hello?.rules?.packs ?? [],
      rulesError: this.#hello?.rules?.error ?? null,
      configured: this.#configured,
      // true or false once the host said; null before, or from a host that does not say.
      audit: typeof this.#configured?.audit === 'boolean' ? this.#configured.audit : this.#hello?.audit ?? null,
      lastCheck: this.#lastCheck,
    };
  }

  #changed() {
    for (const listener of this.#listeners) listener(this.snapshot());
  }
}
