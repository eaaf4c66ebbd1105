// What the popup shows about the host: connection state and the exact disconnect reason,
// host and rules versions from `hello`, whether `configure` took, and the last check.
// The last check holds a verdict, counts and timings only, never text. It is kept in
// storage.session so a restarted service worker still knows it.

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
      at: Date.now(),
    };
    this.#changed();
  }

  setConfigured(result) {
    this.#configured = { ...result, at: Date.now() };
    this.#changed();
  }

  recordCheck({ verdict, findings, scanUs, roundTripMs, site, error }) {
    this.#lastCheck = { at: Date.now(), verdict, findings, scanUs, roundTripMs, site, error };
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
      lastCheck: this.#lastCheck,
    };
  }

  #changed() {
    for (const listener of this.#listeners) listener(this.snapshot());
  }
}
