// The service worker: one native port to the host, the policy, the sites added by policy,
// and the message router. Everything it keeps about the user's posts is counts and timings.
// It is the one reader of managed storage: content scripts ask it for the policy ("policy"
// request) and are sent the new one when it changes (policy-broadcast.js).

import { showHostState } from './badge.js';
import { contentHandlers } from './content-handlers.js';
import { falseAlarmHandler } from './false-alarm.js';
import { HostStatus } from './host-status.js';
import { NativePort } from './native-port.js';
import { sendPolicyToTabs } from './policy-broadcast.js';
import { onManagedPolicyChange, readManagedPolicy } from './policy-source.js';
import { createRouter, messageListener, portListener } from './router.js';
import { partitionByPermission, registerExtraSites } from './site-scripts.js';
import { hostConfiguration } from '../shared/policy.js';
import { addedHosts, BUILT_IN_SITES } from '../shared/sites.js';

const HOST_NAME = 'com.phiguard.host';
const CLIENT = { name: 'phiguard-extension', version: chrome.runtime.getManifest().version };

// Read again whenever the browser starts this worker (after it was stopped for being idle
// too), so a content script's "policy" request always has a read to wait for.
let policyState = readManagedPolicy();
const port = new NativePort(HOST_NAME, { onConnected: greet });
const status = new HostStatus(port);
status.onChange(showHostState);

// hello on every new connection, then configure with the managed policy, if any.
async function greet(nativePort) {
  try {
    // NOTE: a cold start compiles the rules (about 1-2 s here); 15 s allows a busy machine.
    const hello = await nativePort.request({ type: 'hello', client: CLIENT }, { timeoutMs: 15000 });
    status.setHello(hello);
    nativePort.markHealthy();
    await configureHost();
  } catch (error) {
    // A disconnect has recorded why already; a host that is running but silent has not.
    if (error?.code === 'timeout') nativePort.fail(`hello timed out: ${error.message}`);
  }
}

// A configure compiles the organisation's rules with the built-in ones (seconds on a first
// start without a cache, more on a loaded machine), where a scan answers in microseconds:
// it gets its own timeout instead of the scan's 4 s.
const CONFIGURE_TIMEOUT_MS = 60000;

async function configureHost() {
  const { policy, managed } = await policyState;
  if (!managed) return;
  try {
    const coveredHosts = addedHosts(
      (chrome.runtime.getManifest().content_scripts ?? []).flatMap((script) => script.matches));
    const reply = await port.request(
      { type: 'configure', ...hostConfiguration(policy, { coveredHosts }) },
      { timeoutMs: CONFIGURE_TIMEOUT_MS });
    status.setConfigured({
      ok: true, rulesVersion: reply.rules?.version ?? null,
      ...(typeof reply.audit === 'boolean' ? { audit: reply.audit } : {}),
    });
  } catch (error) {
    status.setConfigured({ ok: false, error: `${error.code}: ${error.message}` });
  }
}

async function applySites() {
  const { policy } = await policyState;
  return registerExtraSites(policy.extraSites).catch((error) => ({
    granted: [], missing: policy.extraSites, error: String(error?.message ?? error),
  }));
}

const extensionHandlers = {
  async status() {
    const { policy, problems, managed } = await policyState;
    const sites = await partitionByPermission(policy.extraSites);
    return {
      ok: true, host: status.snapshot(), policy, problems, managed, sites,
      builtInSites: BUILT_IN_SITES.map((site) => site.hosts.join(', ')),
    };
  },
  reconnect() {
    port.reconnectNow();
    return { ok: true };
  },
  async refreshSites() {
    return { ok: true, ...(await applySites()) };
  },
  reportFalseAlarm: falseAlarmHandler({ port, status }),
};

const dispatch = createRouter({
  content: contentHandlers({ port, status, policyState: () => policyState }),
  extension: extensionHandlers,
});
chrome.runtime.onMessage.addListener(messageListener(dispatch));
chrome.runtime.onConnect.addListener(portListener(dispatch));

onManagedPolicyChange((next) => {
  policyState = Promise.resolve(next);
  configureHost();
  applySites();
  sendPolicyToTabs(next.policy);
});
chrome.permissions.onAdded.addListener(applySites);
chrome.permissions.onRemoved.addListener(applySites);

port.ensureConnected();
applySites();
showHostState(status.snapshot());
