// The popup's audit line and "Report a false alarm" (issue 16), with the real host. With audit
// records on (managed policy), the report of the last check reaches the host's audit file as
// one record with outcome false_alarm: the site, verdict, rule ids, categories and rules
// version of that check, and not a word of the post. With audit records off the popup says
// so, and says a report cannot be kept, instead of offering the button.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { extensionPage, launchBrowser } from '../lib/browser.mjs';
import { EDITORS, POSTS } from '../lib/fixtures.mjs';
import { openFixture, typePost, waitFor, waitForState } from '../lib/page-helpers.mjs';
import { policyWritable } from '../lib/policy-files.mjs';
import { fixtureServer, requireHost } from '../lib/suite.mjs';

const textarea = EDITORS.find((e) => e.name === 'textarea');

// What the popup shows of the audit and the report.
function popupAudit(popup) {
  return popup.evaluate(() => {
    const button = document.getElementById('report-false-alarm');
    return {
      audit: document.getElementById('audit').textContent,
      section: !document.getElementById('report').hidden,
      button: button.hidden ? null : { label: button.textContent, disabled: button.disabled },
      note: document.getElementById('report-note').textContent,
    };
  });
}

function auditRecords(stateDir) {
  const file = join(stateDir, 'phiguard', 'audit.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

// Types the blocking post and waits for its verdict: the service worker's last check.
async function checkBlockingPost(browser, server) {
  const fixture = await openFixture(browser.context, server, textarea);
  await typePost(fixture, POSTS.blocking.text);
  await waitForState(fixture.frame, 'block', 10000);
  return fixture;
}

describe('audit records on: a false alarm is reported to the audit trail', {
  skip: policyWritable() || process.env.CI ? false : 'cannot write /etc/chromium/policies/managed',
}, () => {
  let browser;
  let server;
  before(async () => {
    requireHost();
    server = await fixtureServer();
    browser = await launchBrowser({ policy: { audit: { enabled: true } } });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('the report is one content-free false_alarm record of the last check', async () => {
    const fixture = await checkBlockingPost(browser, server);
    const popup = await extensionPage(browser.context, browser.extensionId);
    try {
      const shown = await waitFor(async () => {
        const state = await popupAudit(popup);
        return state.section && state.button && !state.button.disabled ? state : null;
      }, { timeoutMs: 10000, what: 'the report button' });
      assert.match(shown.audit, /^on\b/);
      assert.equal(shown.button.label, 'Report a false alarm');
      assert.match(shown.note, /never what you typed/);
      assert.deepEqual(auditRecords(browser.stateDir).filter((r) => r.outcome === 'false_alarm'), []);

      await popup.click('#report-false-alarm');
      const done = await waitFor(async () => {
        const state = await popupAudit(popup);
        return state.button?.disabled && /^Reported\./.test(state.note) ? state : null;
      }, { what: 'the popup to say it was reported' });
      assert.equal(done.button.label, 'Reported');

      const records = await waitFor(() => {
        const found = auditRecords(browser.stateDir).filter((r) => r.outcome === 'false_alarm');
        return found.length ? found : null;
      }, { what: 'the false_alarm record' });
      assert.equal(records.length, 1);
      const [record] = records;
      assert.equal(record.site, '127.0.0.1');
      assert.equal(record.verdict, 'block');
      for (const category of POSTS.blocking.categories) assert.ok(record.categories.includes(category), JSON.stringify(record));
      assert.ok(record.rules.length > 0 && record.rules.every((r) => /^[a-z0-9_.-]+$/.test(r)), JSON.stringify(record));
      assert.ok(record.rules_version, 'the rules version of the check');
      const line = JSON.stringify(record);
      for (const word of ['John', 'Smith', '536-22-8741', 'pneumonia', 'admitted']) {
        assert.ok(!line.includes(word), `the record holds no "${word}"`);
      }

      // The popup opened again still knows the check was reported.
      await popup.reload();
      const reopened = await waitFor(async () => {
        const state = await popupAudit(popup);
        return state.button ? state : null;
      }, { what: 'the popup again' });
      assert.deepEqual(reopened.button, { label: 'Reported', disabled: true });
    } finally {
      await popup.close();
      await fixture.page.close();
    }
  });
});

describe('audit records off: the popup says so', () => {
  let browser;
  let server;
  before(async () => {
    requireHost();
    server = await fixtureServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('no button: a note that a report cannot be kept on this computer', async () => {
    const fixture = await checkBlockingPost(browser, server);
    const popup = await extensionPage(browser.context, browser.extensionId);
    try {
      const shown = await waitFor(async () => {
        const state = await popupAudit(popup);
        return state.section ? state : null;
      }, { timeoutMs: 10000, what: 'the report section' });
      assert.equal(shown.audit, 'off');
      assert.equal(shown.button, null, 'no report button');
      assert.match(shown.note, /Audit records are off on this computer/);
      // Even asked directly, nothing is kept (without the policy's sites the host does not
      // know the fixture's site either, and says so).
      const reply = await popup.evaluate(() => chrome.runtime.sendMessage({ type: 'reportFalseAlarm' }));
      assert.notEqual(reply.recorded, true, JSON.stringify(reply));
      assert.deepEqual(auditRecords(browser.stateDir), []);
    } finally {
      await popup.close();
      await fixture.page.close();
    }
  });
});
