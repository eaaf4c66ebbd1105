// The managed policy as the content script knows it. The service worker is the one reader of
// managed storage (background/policy-source.js): this asks it for the policy once ("policy"
// request, background/content-handlers.js) and takes the new one the worker sends to every
// tab when an administrator changes it (background/policy-broadcast.js).
//
// Until the first answer, `known` is false and `policy` holds the defaults: a failed check is
// then not let through as fail-open, the guard holds the post and waits for `ready`
// (submit-guard.js). Managed storage can take seconds to answer the first time in a browser
// session (4-5 s was measured on a fresh profile here), and a worker that was stopped reads
// it again before it answers. A request that fails (the worker restarted under it, or did
// not answer in time) is made again; when none succeeds the defaults count as known, as they
// did when this script read managed storage itself and the read failed.

import { contentPolicy, normalizePolicy } from '../shared/policy.js';

const POLICY_MESSAGE = 'policy'; // background/policy-broadcast.js POLICY_MESSAGE
const DEFAULTS = Object.freeze({ attempts: 3, timeoutMs: 15000, retryMs: 500 });

export class PolicyFeed {
  #policy = contentPolicy(normalizePolicy({}).policy);
  #known = false;
  #received = 0; // policies the worker sent on a change
  #ready = null;
  #request;
  #onChange;
  #options;

  // request(message, { timeoutMs }): a request to the service worker (WorkerChannel.request).
  // onChange(): the policy became known or changed. options: { attempts, timeoutMs, retryMs }.
  constructor({ request, onChange = () => {}, ...options }) {
    this.#request = request;
    this.#onChange = onChange;
    this.#options = { ...DEFAULTS, ...options };
  }

  // The policy in force: contentPolicy()'s fields.
  get policy() { return this.#policy; }

  // Has the service worker answered (or could it not be asked at all)?
  get known() { return this.#known; }

  // Settles once the request for the policy was answered or given up (`known` is true by
  // then); null before start().
  get ready() { return this.#ready; }

  // Listens for changes and asks for the policy; returns `ready`.
  start(runtime = chrome.runtime) {
    runtime.onMessage.addListener((message, sender, sendResponse) => {
      if (!this.receive(message, sender, runtime.id)) return false;
      sendResponse({ ok: true });
      return false;
    });
    this.#ready = this.#fetch();
    return this.#ready;
  }

  // A message from runtime.onMessage: takes a policy the service worker sent (no tab: it
  // comes from the worker, not from another content script). True when taken.
  receive(message, sender, ownId) {
    if (!sender || sender.id !== ownId || sender.tab) return false;
    if (message?.type !== POLICY_MESSAGE || !isPolicy(message.policy)) return false;
    this.#received += 1;
    this.#take(message.policy);
    return true;
  }

  async #fetch() {
    const receivedBefore = this.#received;
    const { attempts, timeoutMs, retryMs } = this.#options;
    let policy = null;
    for (let attempt = 1; attempt <= attempts && !policy; attempt += 1) {
      const reply = await this.#request({ type: 'policy' }, { timeoutMs });
      if (reply?.ok && isPolicy(reply.policy)) policy = reply.policy;
      else if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
    // A policy the worker sent while we asked is newer than the answer: keep it.
    if (this.#received !== receivedBefore) return;
    this.#take(policy ?? contentPolicy(normalizePolicy({}).policy));
  }

  #take(policy) {
    this.#policy = policy;
    this.#known = true;
    this.#onChange();
  }
}

function isPolicy(value) {
  return Boolean(value) && typeof value === 'object' && Boolean(value.enforcement) &&
    typeof value.enforcement === 'object' && typeof value.failMode === 'string';
}
