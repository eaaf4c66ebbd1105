// The policy reaches content scripts from the service worker, the one reader of managed
// storage: the content script asks once (PolicyFeed, retried when the worker restarts under
// it), and the worker sends the new policy to every tab when it changes (sendPolicyToTabs).
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { EXTENSION_DIR } from '../lib/paths.mjs';
import { POLICY_MESSAGE, sendPolicyToTabs } from '../../../extension/src/background/policy-broadcast.js';
import { PolicyFeed } from '../../../extension/src/content/policy-feed.js';
import { contentPolicy, normalizePolicy } from '../../../extension/src/shared/policy.js';

const ID = 'nmpjncpkdhhkhjpmbdpklbdiojdalbab';
const WORKER = { id: ID, url: `chrome-extension://${ID}/src/background/service-worker.js`, origin: `chrome-extension://${ID}` };
const CLOSED = contentPolicy(normalizePolicy({ failMode: 'closed', helpUrl: 'https://intranet.example.org/p' }).policy);
const WARN_HEALTH = contentPolicy(normalizePolicy({ enforcement: { health: 'warn' } }).policy);
const DEFAULTS = contentPolicy(normalizePolicy({}).policy);
const FAST = { attempts: 3, timeoutMs: 50, retryMs: 1 };

// runtime.onMessage as a content script sees it; deliver() plays the browser.
function fakeRuntime() {
  const listeners = [];
  return {
    id: ID,
    onMessage: { addListener: (fn) => listeners.push(fn) },
    deliver(message, sender) {
      const responses = [];
      for (const fn of listeners) fn(message, sender, (r) => responses.push(r));
      return responses;
    },
  };
}

// The worker behind the channel: answers the n-th request with replies[n] (a value, or a
// promise to answer later).
function fakeWorker(replies) {
  const asked = [];
  return {
    asked,
    request: (message, options) => {
      asked.push({ message, options });
      return Promise.resolve(replies[asked.length - 1]);
    },
  };
}

describe('PolicyFeed (content script)', () => {
  test('unknown, with the defaults, until the worker answers; then its policy, and a change callback', async () => {
    let answer;
    const worker = fakeWorker([new Promise((resolve) => { answer = resolve; })]);
    let changes = 0;
    const feed = new PolicyFeed({ request: worker.request, onChange: () => { changes += 1; }, ...FAST });
    const ready = feed.start(fakeRuntime());
    assert.equal(feed.known, false);
    assert.deepEqual(feed.policy, DEFAULTS);
    assert.deepEqual(worker.asked[0].message, { type: 'policy' });
    assert.equal(worker.asked[0].options.timeoutMs, FAST.timeoutMs, 'its own timeout, not the scan\'s');
    answer({ ok: true, policy: CLOSED });
    await ready;
    assert.equal(feed.known, true);
    assert.deepEqual(feed.policy, CLOSED);
    assert.equal(changes, 1);
  });

  test('asks again when the worker restarted under the request or did not answer in time', async () => {
    const worker = fakeWorker([
      { ok: false, error: 'unavailable', reason: 'extension' },
      { ok: false, error: 'timeout', reason: 'timeout' },
      { ok: true, policy: CLOSED },
    ]);
    const feed = new PolicyFeed({ request: worker.request, ...FAST });
    await feed.start(fakeRuntime());
    assert.equal(worker.asked.length, 3);
    assert.deepEqual(feed.policy, CLOSED);
    assert.equal(feed.known, true);
  });

  test('when the worker cannot be asked at all, the defaults count as known (as a failed read did)', async () => {
    const worker = fakeWorker([{ ok: false, error: 'unavailable' }, { ok: false, error: 'unavailable' }, { ok: true }]);
    let changes = 0;
    const feed = new PolicyFeed({ request: worker.request, onChange: () => { changes += 1; }, ...FAST });
    await feed.start(fakeRuntime());
    assert.equal(worker.asked.length, 3, 'a reply without a policy is no answer');
    assert.equal(feed.known, true);
    assert.deepEqual(feed.policy, DEFAULTS);
    assert.equal(changes, 1);
  });

  test('takes the policy the worker sends on a change, and answers that it did', async () => {
    const runtime = fakeRuntime();
    let changes = 0;
    const feed = new PolicyFeed({ request: fakeWorker([{ ok: true, policy: DEFAULTS }]).request, onChange: () => { changes += 1; }, ...FAST });
    await feed.start(runtime);
    assert.deepEqual(runtime.deliver({ type: POLICY_MESSAGE, policy: WARN_HEALTH }, WORKER), [{ ok: true }]);
    assert.deepEqual(feed.policy, WARN_HEALTH);
    assert.equal(changes, 2);
  });

  test('ignores messages that are not the worker\'s policy', async () => {
    const runtime = fakeRuntime();
    const feed = new PolicyFeed({ request: fakeWorker([{ ok: true, policy: DEFAULTS }]).request, ...FAST });
    await feed.start(runtime);
    const rows = [
      // [message, sender]
      [{ type: POLICY_MESSAGE, policy: CLOSED }, { ...WORKER, id: 'otherextensionid' }],
      [{ type: POLICY_MESSAGE, policy: CLOSED }, { ...WORKER, tab: { id: 4 } }],
      [{ type: POLICY_MESSAGE, policy: CLOSED }, undefined],
      [{ type: 'scan', policy: CLOSED }, WORKER],
      [{ type: POLICY_MESSAGE, policy: 'closed' }, WORKER],
      [{ type: POLICY_MESSAGE, policy: { failMode: 'closed' } }, WORKER],
      [null, WORKER],
    ];
    for (const [message, sender] of rows) {
      assert.deepEqual(runtime.deliver(message, sender), [], JSON.stringify([message, sender]));
    }
    assert.deepEqual(feed.policy, DEFAULTS);
  });

  test('a policy sent while the request was under way is newer than its answer, and stays', async () => {
    let answer;
    const runtime = fakeRuntime();
    const feed = new PolicyFeed({ request: fakeWorker([new Promise((resolve) => { answer = resolve; })]).request, ...FAST });
    const ready = feed.start(runtime);
    runtime.deliver({ type: POLICY_MESSAGE, policy: WARN_HEALTH }, WORKER);
    assert.equal(feed.known, true);
    answer({ ok: true, policy: DEFAULTS });
    await ready;
    assert.deepEqual(feed.policy, WARN_HEALTH);
  });
});

describe('sendPolicyToTabs (service worker)', () => {
  afterEach(() => { delete globalThis.chrome; });

  test('sends the page\'s part of the policy to every tab; tabs without our script are no error', async () => {
    const sent = [];
    globalThis.chrome = {
      tabs: {
        query: async (filter) => { assert.deepEqual(filter, {}); return [{ id: 1 }, { id: 2 }, { id: -1 }, {}, { id: 3 }]; },
        sendMessage: async (tabId, message) => {
          sent.push([tabId, message]);
          if (tabId === 2) throw new Error('Could not establish connection. Receiving end does not exist.');
          return { ok: true };
        },
      },
    };
    const policy = normalizePolicy({
      failMode: 'closed', rules: [{ id: 'org.project-falcon', terms: ['Project Falcon'] }], bundleKeys: ['a2V5'],
      allowList: ['Jordan Rivera'],
    }).policy;
    assert.equal(await sendPolicyToTabs(policy), 2);
    assert.deepEqual(sent.map(([tabId]) => tabId), [1, 2, 3], 'only real tab ids');
    for (const [, message] of sent) {
      assert.deepEqual(message, { type: POLICY_MESSAGE, policy: contentPolicy(policy) });
      assert.equal('rules' in message.policy || 'bundleKeys' in message.policy, false, 'organisation rules stay in the worker');
      assert.equal('allowList' in message.policy, false, 'the allow-list stays in the worker');
    }
  });

  test('no tabs to ask is no error', async () => {
    globalThis.chrome = { tabs: { query: async () => { throw new Error('no tabs API'); } } };
    assert.equal(await sendPolicyToTabs(normalizePolicy({}).policy), 0);
  });
});

test('only the service worker reads managed storage: no content-script module does', () => {
  const files = [];
  for (const folder of ['src/content', 'src/ui', 'src/shared']) {
    for (const name of readdirSync(join(EXTENSION_DIR, folder))) {
      if (name.endsWith('.js')) files.push(join(folder, name));
    }
  }
  for (const file of files) {
    const code = readFileSync(join(EXTENSION_DIR, file), 'utf8').replace(/\/\/.*$/gm, '');
    assert.doesNotMatch(code, /storage\s*\.\s*managed|storage\.onChanged/, file);
  }
});
