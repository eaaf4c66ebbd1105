// Managed policy end to end, through a real policy file: the options page shows the settings
// in force, the host accepts the configuration, enforcement raises a category, a warning
// needs a justification before "Post anyway", the admin's help link and contact text are in
// the dialog, sites added by policy are covered, and the audit trail records what the user
// did without a word of what they typed. The service worker is the one reader of managed
// storage: a page already open is sent a changed policy, and a page opened after the worker
// was stopped still gets the policy from the worker's new read.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { extensionPage, hostStatus, launchBrowser } from '../lib/browser.mjs';
import { EDITORS, POSTS } from '../lib/fixtures.mjs';
import {
  chooseJustification, clickDialogButton, openFixture, posts, typePost, underlines, waitFor,
  waitForDialog, waitForState, waitForUnderlines,
} from '../lib/page-helpers.mjs';
import { policyWritable, writeExtensionPolicy } from '../lib/policy-files.mjs';
import { fixtureServer, requireHost } from '../lib/suite.mjs';

// An organisation rule, pushed by policy and forwarded to the host in `configure`.
const ORG_RULE = {
  id: 'org.project-falcon', title: 'Project Falcon', category: 'confidential', kind: 'policy',
  severity: 'high', action: 'block', terms: ['Project Falcon'],
  message: 'Project Falcon is not announced yet.', examples: ['Project Falcon kickoff'],
  negatives: ['falcon sightings downtown'],
};
const POLICY = {
  enforcement: { health: 'warn', ssn: 'block' },
  rules: [ORG_RULE],
  requireJustification: true,
  helpUrl: 'https://intranet.example.org/social-media-policy',
  contactText: 'Questions? Call the Privacy Office at extension 4242.',
  extraSites: ['localhost'],
  audit: { enabled: true },
};
// Health information alone is "info" at the host; the policy raises it to a warning.
const HEALTH_ONLY = 'Our pneumonia vaccine clinic opens Monday';

const textarea = EDITORS.find((e) => e.name === 'textarea');
const quill = EDITORS.find((e) => e.name === 'quill');
let browser;
let server;

describe('managed policy', { skip: policyWritable() || process.env.CI ? false : 'cannot write /etc/chromium/policies/managed' }, () => {
  before(async () => {
    requireHost();
    server = await fixtureServer();
    browser = await launchBrowser({ policy: POLICY });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('the options page shows the effective settings and where they came from', async () => {
    const page = await extensionPage(browser.context, browser.extensionId, 'options/options.html');
    try {
      const rows = await waitFor(() => page.evaluate(() => {
        const body = document.querySelector('#settings tbody');
        if (!body.children.length) return null;
        return Object.fromEntries([...body.children].map((tr) => [tr.cells[0].textContent, [tr.cells[1].textContent, tr.cells[2].textContent]]));
      }), { what: 'the settings table' });
      assert.deepEqual(rows['When the host is unavailable'], ['open', 'default']);
      assert.deepEqual(rows['Justification required for "Post anyway"'], ['true', 'policy']);
      assert.deepEqual(rows['Help URL'], [POLICY.helpUrl, 'policy']);
      assert.deepEqual(rows['Contact text'], [POLICY.contactText, 'policy']);
      assert.deepEqual(rows['Extra sites'], ['localhost', 'policy']);
      assert.deepEqual(rows['Organisation rules'], [ORG_RULE.id, 'policy']);
      const enforcement = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll('#enforcement tbody tr')]
        .map((tr) => [tr.cells[0].textContent, tr.cells[1].textContent])));
      assert.equal(enforcement['Health information (health)'], 'warn');
      assert.equal(enforcement['Patient name (name)'] ?? enforcement['Name (name)'], 'as the rules say');
      assert.equal(await page.locator('#problems').isHidden(), true, 'no problems in the policy');
      assert.match(await page.textContent('#source'), /organisation manages/);
    } finally {
      await page.close();
    }
  });

  test('the host accepted the configuration', async () => {
    const page = await extensionPage(browser.context, browser.extensionId);
    try {
      const reply = await waitFor(async () => {
        const r = await hostStatus(page);
        return r.host.configured ? r : null;
        // A configure compiles the organisation's rules with the built-in packs: seconds on a
        // quiet machine, more on a loaded one. The extension itself waits 60 s for it.
      }, { what: 'configure', timeoutMs: 60000 });
      assert.equal(reply.host.configured.ok, true, JSON.stringify(reply.host.configured));
      assert.match(reply.host.configured.rulesVersion, /organisation@/, 'the organisation rules are in force');
    } finally {
      await page.close();
    }
  });

  test('enforcement raises health information to a warning', async () => {
    const fixture = await openFixture(browser.context, server, quill);
    try {
      await typePost(fixture, HEALTH_ONLY);
      const { lines } = await waitForUnderlines(fixture.frame, ['health']);
      assert.ok(lines.filter((l) => l.category === 'health').every((l) => l.action === 'warn'));
      assert.equal(await waitForState(fixture.frame, 'warn'), 'warn');
    } finally {
      await fixture.page.close();
    }
  });

  test('an organisation rule from policy finds and blocks, beside a built-in block', async () => {
    const fixture = await openFixture(browser.context, server, quill);
    try {
      await typePost(fixture, 'Project Falcon kickoff is Monday, bring MRN 00482913 forms');
      const { lines } = await waitForUnderlines(fixture.frame, ['confidential', 'mrn']);
      const falcon = lines.find((l) => l.category === 'confidential');
      assert.equal(falcon.rule, ORG_RULE.id);
      assert.equal(falcon.action, 'block');
      assert.ok(lines.filter((l) => l.category === 'mrn').every((l) => l.action === 'block'));
      assert.equal(await waitForState(fixture.frame, 'block'), 'block');
      await fixture.frame.click(quill.post);
      const dialog = await waitForDialog(fixture.frame);
      assert.equal(dialog.mode, 'block');
      assert.ok(dialog.categories.includes('confidential'), JSON.stringify(dialog.categories));
      assert.ok(dialog.text.includes(ORG_RULE.title));
      assert.deepEqual(await posts(fixture.page), []);
    } finally {
      await fixture.page.close();
    }
  });

  test('"Post anyway" needs a reason; the dialog carries the help link and contact; the audit has no text', async () => {
    const fixture = await openFixture(browser.context, server, quill);
    try {
      await typePost(fixture, POSTS.warning.text);
      await waitForState(fixture.frame, 'warn');
      await fixture.frame.click(quill.post);
      const dialog = await waitForDialog(fixture.frame);
      assert.equal(dialog.mode, 'warn');
      assert.ok(dialog.text.includes(POLICY.contactText));
      const link = await fixture.frame.getAttribute('phiguard-ui >> .pg-contact a', 'href');
      assert.equal(link, POLICY.helpUrl);
      assert.equal(dialog.buttons.find((b) => b.id === 'post-anyway').disabled, true, 'no reason chosen yet');
      await chooseJustification(fixture.frame, 'consent_on_file');
      await clickDialogButton(fixture.frame, 'post-anyway');
      assert.deepEqual(await posts(fixture.page), []);
      await fixture.frame.click(quill.post);
      await waitFor(async () => (await posts(fixture.page)).length === 1, { what: 'the post' });

      const auditFile = join(browser.stateDir, 'phiguard', 'audit.jsonl');
      const records = await waitFor(() => {
        try {
          return readFileSync(auditFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
        } catch {
          return null;
        }
      }, { what: 'the audit record' });
      const record = records.find((r) => r.outcome === 'posted_anyway');
      assert.ok(record, JSON.stringify(records));
      assert.equal(record.justification, 'consent_on_file');
      assert.equal(record.site, '127.0.0.1');
      assert.ok(record.categories.includes('name'));
    } finally {
      await fixture.page.close();
    }
  });

  test('a site added by policy is covered', async () => {
    const page = await browser.context.newPage();
    try {
      await page.goto(server.url('/fixtures/textarea.html').replace('127.0.0.1', 'localhost'));
      await page.waitForFunction(() => window.__fixture?.ready);
      const fixture = { page, frame: page.mainFrame(), editor: textarea };
      await typePost(fixture, POSTS.blocking.text);
      await waitForUnderlines(page.mainFrame(), POSTS.blocking.categories);
    } finally {
      await page.close();
    }
  });

  test('a page already open is sent the changed policy and applies it to what it shows', async () => {
    const fixture = await openFixture(browser.context, server, quill);
    try {
      await typePost(fixture, HEALTH_ONLY);
      await waitForState(fixture.frame, 'warn');
      // The same file launchBrowser wrote: Chromium notices the change and reloads policy.
      writeExtensionPolicy({ ...POLICY, enforcement: { ...POLICY.enforcement, health: 'block' } });
      // Chromium waits for the folder to settle (5 s) before it reads the files again.
      await waitForState(fixture.frame, 'block', 30000);
      const lines = await underlines(fixture.frame);
      assert.ok(lines.some((l) => l.category === 'health'), JSON.stringify(lines));
      assert.ok(lines.filter((l) => l.category === 'health').every((l) => l.action === 'block'));
    } finally {
      await fixture.page.close();
      writeExtensionPolicy(POLICY);
    }
  });

  test('after the service worker was stopped, a new page asks the restarted worker for the policy', async () => {
    // The restored policy of the test before is in force again.
    const control = await extensionPage(browser.context, browser.extensionId);
    await waitFor(async () => (await hostStatus(control)).policy.enforcement.health === 'warn',
      { what: 'the policy restored', timeoutMs: 30000 });
    await control.close();
    // Stopped over CDP from a blank page: an extension page would wake the worker again.
    const blank = await browser.context.newPage();
    const cdp = await browser.context.newCDPSession(blank);
    const states = [];
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
      for (const v of versions) if (v.scriptURL.endsWith('/service-worker.js')) states.push(v.runningStatus);
    });
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    await waitFor(() => states.at(-1) === 'stopped', { what: 'the worker stopped' });
    const fixture = await openFixture(browser.context, server, quill);
    try {
      await typePost(fixture, HEALTH_ONLY);
      // Health information alone is "info" at the host: "warn" comes from the policy.
      assert.equal(await waitForState(fixture.frame, 'warn', 30000), 'warn');
      assert.equal(states.at(-1), 'running', `the worker started again: ${states.join(' ')}`);
    } finally {
      await fixture.page.close();
      await blank.close();
    }
  });

  test('nothing typed reached the host\'s logs or audit trail', () => {
    const files = [];
    const walk = (dir) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else files.push(path);
      }
    };
    walk(browser.stateDir);
    assert.ok(files.length > 0, 'the host wrote something to check');
    const canaries = ['536-22-8741', 'John Smith', 'Maria Gonzalez', 'pneumonia vaccine', '00482913', 'kickoff is Monday'];
    for (const file of files) {
      const content = readFileSync(file, 'utf8');
      for (const canary of canaries) assert.ok(!content.includes(canary), `${canary} in ${file}`);
    }
  });
});
