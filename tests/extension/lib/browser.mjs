// Starts headless Chromium with the extension and, unless told otherwise, the real host:
// the host manifest goes in <user-data-dir>/NativeMessagingHosts/, where Chromium looks for
// per-user hosts when --user-data-dir is set (docs/browser-testing.md).
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { makeTestExtension } from './extension-copy.mjs';
import { CHROMIUM, HOST_NAME, extensionId, hostPath } from './paths.mjs';
import { writeExtensionPolicy } from './policy-files.mjs';

const FLAGS = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage', '--window-size=1280,900',
];

export function writeHostManifest(userDataDir, binary, override = {}) {
  const dir = join(userDataDir, 'NativeMessagingHosts');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${HOST_NAME}.json`), JSON.stringify({
    name: HOST_NAME,
    description: 'PHI Guard native host (test)',
    path: binary,
    type: 'stdio',
    allowed_origins: [`chrome-extension://${extensionId()}/`],
    ...override,
  }, null, 2));
}

// Where Chromium on Linux finds hosts installed for every user. It looks there when the profile
// has no manifest of its own, so a "no host" test cannot run while one is installed (by a
// package, or by `cmake --install` without DESTDIR): it would meet that host instead.
const SYSTEM_MANIFEST_DIR = '/etc/chromium/native-messaging-hosts';

function refuseWhileInstalledSystemWide() {
  const installed = join(SYSTEM_MANIFEST_DIR, `${HOST_NAME}.json`);
  if (existsSync(installed)) {
    throw new Error(`cannot test "no host": ${installed} is installed for every user `
      + '(remove it with `phiguard uninstall --system`)');
  }
}

// options.host: a binary path (default: the built host), or null for "no host manifest".
// options.policy: the extension's managed configuration, written as real browser policy.
// options.waitForHost: wait until the service worker's host is ready (the host compiles its
// rules on a cold start; a test of the typing path should not time that).
// options.manifest: fields that replace the host manifest's (a wrong allowed_origins...).
// options.args, options.env: more Chromium flags and environment (the UI language: --lang
// and LANGUAGE).
// options.automation: false runs the browser as a person's is, with navigator.webdriver
// false, so the overlay draws with the Custom Highlight API where it would for users
// (overlay.js draws elements under automation, which the tests read). Playwright's
// --enable-automation is left out and Blink's AutomationControlled feature turned off.
// options.extension: the extension folder to load (default extension/), e.g. an older
// revision's for a benchmark's before-and-after.
// The host inherits the browser's environment: XDG_STATE_HOME points at the run's own folder,
// so its logs and audit trail are the test's to read (stateDir) and nobody else's.
export async function launchBrowser({
  host = hostPath(), policy = null, headless = true, waitForHost = Boolean(host), manifest = {},
  args = [], env = {}, automation = true, extension,
} = {}) {
  if (!host) refuseWhileInstalledSystemWide();
  const work = mkdtempSync(join(tmpdir(), 'phiguard-e2e-'));
  const userDataDir = join(work, 'profile');
  const stateDir = join(work, 'state');
  mkdirSync(userDataDir);
  mkdirSync(stateDir);
  const extensionDir = makeTestExtension(work, extension);
  if (host) writeHostManifest(userDataDir, host, manifest);
  const removePolicy = policy ? writeExtensionPolicy(policy) : () => {};
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: false, // the flag below selects the new headless mode explicitly
      args: [...(headless ? FLAGS : FLAGS.filter((f) => f !== '--headless=new')),
        `--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`,
        ...(automation ? [] : ['--disable-blink-features=AutomationControlled']), ...args],
      ignoreDefaultArgs: automation ? ['--disable-extensions'] : ['--disable-extensions', '--enable-automation'],
      viewport: { width: 1280, height: 900 },
      env: { ...process.env, ...env, XDG_STATE_HOME: stateDir },
    });
  } catch (error) {
    removePolicy();
    rmSync(work, { recursive: true, force: true });
    throw error;
  }
  const worker = context.serviceWorkers()[0] ?? await context.waitForEvent('serviceworker', { timeout: 20000 });
  const id = new URL(worker.url()).host;
  if (policy) {
    // The first read of managed storage in a fresh profile takes seconds; a managed browser
    // in use has long had its policy, so tests start from there.
    const page = await extensionPage(context, id);
    await page.evaluate(() => chrome.storage.managed.get(null));
    await page.close();
  }
  if (waitForHost) {
    const page = await extensionPage(context, id);
    const status = await hostStatus(page, { timeoutMs: 30000 });
    await page.close();
    if (waitForHost !== 'any' && status?.host?.state !== 'ready') {
      await context.close();
      removePolicy();
      throw new Error(`host not ready: ${JSON.stringify(status?.host)}`);
    }
  }
  return {
    context,
    worker,
    userDataDir,
    stateDir,
    extensionId: id,
    async close() {
      await context.close().catch(() => {});
      removePolicy();
      rmSync(work, { recursive: true, force: true });
    },
  };
}

// A page of the extension (the popup), which may ask the service worker for its status.
export async function extensionPage(context, id, path = 'popup/popup.html') {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${id}/${path}`);
  return page;
}

// The service worker's status reply, once the host is no longer connecting.
export async function hostStatus(page, { timeoutMs = 15000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reply = await page.evaluate(() => chrome.runtime.sendMessage({ type: 'status' }));
    const state = reply?.host?.state;
    if ((state && state !== 'connecting' && state !== 'idle') || Date.now() > deadline) return reply;
    await new Promise((r) => setTimeout(r, 100));
  }
}
