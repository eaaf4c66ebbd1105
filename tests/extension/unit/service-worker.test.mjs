// The service worker as the browser runs it, with chrome.* faked: what managed storage holds
// reaches the host in `configure` (docs/protocol.md), first after hello and again when an
// administrator changes the policy. The organisation's allow-list is the case in point
// (issue #16): it lives only in the worker and the host.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

const ID = 'nmpjncpkdhhkhjpmbdpklbdiojdalbab';

// A listener list shaped like chrome.events.
function event() {
  const listeners = [];
  return { listeners, addListener: (fn) => listeners.push(fn), removeListener() {} };
}

// The host behind connectNative: answers hello and configure, and keeps what it was sent.
function fakeHost() {
  const sent = [];
  const waiting = [];
  const connect = () => {
    const onMessage = event();
    return {
      onMessage,
      onDisconnect: event(),
      postMessage(message) {
        sent.push(message);
        const reply = message.type === 'hello'
          ? { type: 'hello', id: message.id, host_version: '0.1.0', protocol: 1, rules: { version: 'v', packs: [] } }
          : { type: 'configured', id: message.id, policy: { enforcement: {} }, audit: false, rules: { version: 'v' } };
        queueMicrotask(() => onMessage.listeners.forEach((fn) => fn(reply)));
        for (const w of waiting.splice(0)) w();
      },
    };
  };
  // Resolves with the n-th configure request once it has been sent.
  const configure = async (n) => {
    for (;;) {
      const found = sent.filter((m) => m.type === 'configure');
      if (found.length >= n) return found[n - 1];
      await new Promise((resolve) => {
        waiting.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  };
  return { sent, connect, configure };
}

const host = fakeHost();
let managed = {
  failMode: 'closed',
  allowList: ['Jordan Rivera', '(555) 555-2000', 42],
  bundleKeys: ['a2V5'],
};
const storageChanged = event();
const resolved = async () => {};

globalThis.chrome = {
  runtime: {
    id: ID,
    getManifest: () => ({ version: '0.1.0', content_scripts: [] }),
    getURL: (path = '') => `chrome-extension://${ID}/${path}`,
    connectNative: host.connect,
    onMessage: event(),
    onConnect: event(),
    lastError: undefined,
  },
  storage: {
    managed: { get: async () => structuredClone(managed) },
    session: { get: async () => ({}), set: resolved },
    onChanged: storageChanged,
  },
  action: { setBadgeBackgroundColor: resolved, setBadgeText: resolved, setTitle: resolved },
  permissions: { onAdded: event(), onRemoved: event(), contains: async () => false },
  scripting: {
    getRegisteredContentScripts: async () => [],
    registerContentScripts: resolved,
    unregisterContentScripts: resolved,
  },
  tabs: { query: async () => [], sendMessage: resolved },
};

after(() => { delete globalThis.chrome; });

test('the managed allow-list reaches the host in configure, and a changed one follows', async () => {
  await import('../../../extension/src/background/service-worker.js');

  const first = await host.configure(1);
  assert.equal(host.sent[0].type, 'hello', 'hello comes first');
  assert.deepEqual(first.policy.allowList, ['Jordan Rivera', '(555) 555-2000'],
    'the entries as policy gave them, without the one that is not text');
  assert.deepEqual(first.policy.bundleKeys, ['a2V5']);

  managed = { ...managed, allowList: ['Ana María Ortiz'] };
  storageChanged.listeners.forEach((fn) => fn({ allowList: {} }, 'managed'));
  const second = await host.configure(2);
  assert.deepEqual(second.policy.allowList, ['Ana María Ortiz']);

  managed = { failMode: 'closed' };
  storageChanged.listeners.forEach((fn) => fn({ allowList: {} }, 'managed'));
  const third = await host.configure(3);
  assert.equal('allowList' in third.policy, false, 'a list removed from policy is not sent');
});
