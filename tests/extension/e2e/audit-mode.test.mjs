// Audit mode under real managed policy (issue #15): categories set to `audit` show nothing
// (no underline, no dialog, no hold), the post goes out, and one content-free record of what
// was found is written when it does. A category not in audit mode still blocks, and its
// dialog lists nothing of the audited ones. With records on and nothing audited, a warning
// dismissed as "Not PHI" lets the post go and is recorded as posted anyway, not PHI.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { extensionPage, hostStatus, launchBrowser } from '../lib/browser.mjs';
import { EDITORS, POSTS } from '../lib/fixtures.mjs';
import {
  clickDialogButton, dialogState, openFixture, posts, typePost, underlines, waitFor, waitForDialog,
  waitForState,
} from '../lib/page-helpers.mjs';
import { policyWritable } from '../lib/policy-files.mjs';
import { fixtureServer, requireHost } from '../lib/suite.mjs';

const POLICY = { enforcement: { name: 'audit', health: 'audit' }, audit: { enabled: true } };
const quill = EDITORS.find((e) => e.name === 'quill');
let browser;
let server;

function auditRecords() {
  try {
    return readFileSync(join(browser.stateDir, 'phiguard', 'audit.jsonl'), 'utf8')
      .split('\n').filter(Boolean).map((l) => JSON.parse(l));
  } catch {
    return [];
  }
}

// The suite's browser and fixture server, under managed `policy`, once the host has taken
// the policy's configuration.
function browserUnderPolicy(policy) {
  before(async () => {
    requireHost();
    server = await fixtureServer();
    browser = await launchBrowser({ policy });
    const page = await extensionPage(browser.context, browser.extensionId);
    try {
      const reply = await waitFor(async () => {
        const r = await hostStatus(page);
        return r.host.configured ? r : null;
      }, { what: 'configure', timeoutMs: 60000 });
      assert.equal(reply.host.configured.ok, true, JSON.stringify(reply.host.configured));
    } finally {
      await page.close();
    }
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });
}

describe('audit mode', { skip: policyWritable() || process.env.CI ? false : 'cannot write /etc/chromium/policies/managed' }, () => {
  browserUnderPolicy(POLICY);

  test('an audited warning shows nothing, posts, and is recorded once', async () => {
    const fixture = await openFixture(browser.context, server, quill);
    try {
      // Without the policy this post warns (POSTS.warning); in audit mode the check of this
      // exact text comes back allowed.
      await typePost(fixture, POSTS.warning.text);
      assert.equal(await waitForState(fixture.frame, 'allow'), 'allow');
      assert.deepEqual(await underlines(fixture.frame), []);
      await fixture.frame.click(quill.post);
      await waitFor(async () => (await posts(fixture.page)).length === 1, { what: 'the post' });
      assert.equal(await dialogState(fixture.frame), null, 'no dialog');
      const records = await waitFor(() => {
        const found = auditRecords().filter((r) => r.outcome === 'posted');
        return found.length ? found : null;
      }, { what: 'the audit record' });
      const [record] = records;
      assert.equal(record.site, '127.0.0.1');
      assert.equal(record.verdict, 'warn', 'what the findings would have caused');
      assert.ok(record.categories.includes('name'), JSON.stringify(record));
      assert.ok(record.rules.length > 0 && typeof record.rules_version === 'string', JSON.stringify(record));
    } finally {
      await fixture.page.close();
    }
  });

  test('a category not in audit mode still blocks, listing only itself', async () => {
    const fixture = await openFixture(browser.context, server, quill);
    try {
      await typePost(fixture, POSTS.blocking.text);
      assert.equal(await waitForState(fixture.frame, 'block'), 'block');
      const lines = await underlines(fixture.frame);
      assert.ok(lines.length > 0 && lines.every((l) => l.category !== 'name' && l.category !== 'health'),
        JSON.stringify(lines));
      await fixture.frame.click(quill.post);
      const dialog = await waitForDialog(fixture.frame);
      assert.equal(dialog.mode, 'block');
      assert.ok(dialog.categories.includes('ssn') && !dialog.categories.includes('name'),
        JSON.stringify(dialog.categories));
      await clickDialogButton(fixture.frame, 'edit-post');
      assert.deepEqual(await posts(fixture.page), []);
      // The earlier post's record was written once, although a click fires several events.
      await waitFor(() => auditRecords().some((r) => r.outcome === 'blocked'), { what: 'the blocked record' });
      assert.equal(auditRecords().filter((r) => r.outcome === 'posted').length, 1, JSON.stringify(auditRecords()));
    } finally {
      await fixture.page.close();
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
    for (const file of files) {
      const content = readFileSync(file, 'utf8');
      for (const canary of ['Maria Gonzalez', 'John Smith', '536-22-8741', 'pneumonia']) {
        assert.ok(!content.includes(canary), `${canary} in ${file}`);
      }
    }
  });
});

describe('"Not PHI" in the audit trail', { skip: policyWritable() || process.env.CI ? false : 'cannot write /etc/chromium/policies/managed' }, () => {
  browserUnderPolicy({ audit: { enabled: true } });

  test('a warning dismissed in the dialog lets the post go, recorded once as posted anyway, not PHI', async () => {
    const fixture = await openFixture(browser.context, server, quill);
    try {
      await typePost(fixture, POSTS.warning.text);
      assert.equal(await waitForState(fixture.frame, 'warn'), 'warn');
      await fixture.frame.click(quill.post);
      assert.equal((await waitForDialog(fixture.frame))?.mode, 'warn');
      await fixture.frame.click('phiguard-ui >> li[data-category="name"] [data-phiguard="not-phi"]');
      assert.equal(await waitForState(fixture.frame, 'allow'), 'allow');
      assert.deepEqual(auditRecords(), [], 'nothing is recorded before the post goes out');
      await fixture.frame.click(quill.post);
      await waitFor(async () => (await posts(fixture.page)).length === 1, { what: 'the post' });
      const [record] = await waitFor(() => {
        const found = auditRecords();
        return found.length ? found : null;
      }, { what: 'the audit record' });
      assert.equal(record.outcome, 'posted_anyway', JSON.stringify(record));
      assert.equal(record.justification, 'not_patient_information');
      assert.equal(record.verdict, 'warn', 'what the dismissed finding would have caused');
      assert.deepEqual(record.categories, ['name']);
      assert.ok(record.rules.length > 0 && typeof record.rules_version === 'string', JSON.stringify(record));
      // A second click of the same text is the same post: one record.
      await fixture.frame.click(quill.post);
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(auditRecords().length, 1, JSON.stringify(auditRecords()));
    } finally {
      await fixture.page.close();
    }
  });

  test('a finding the policy blocks offers no "Not PHI"', async () => {
    const fixture = await openFixture(browser.context, server, quill);
    try {
      await typePost(fixture, POSTS.blocking.text);
      assert.equal(await waitForState(fixture.frame, 'block'), 'block');
      await fixture.frame.click(quill.post);
      const dialog = await waitForDialog(fixture.frame);
      assert.equal(dialog.mode, 'block');
      const notPhi = dialog.actions.filter((b) => b.id === 'not-phi').map((b) => b.category);
      assert.ok(!notPhi.includes('ssn') && notPhi.includes('name'), JSON.stringify(dialog.actions));
      await clickDialogButton(fixture.frame, 'edit-post');
      assert.deepEqual(await posts(fixture.page), []);
    } finally {
      await fixture.page.close();
    }
  });
});
