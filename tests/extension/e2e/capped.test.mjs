// A scan the host cut short (`"capped":true`, docs/protocol.md): the user is told that part
// of the text was not checked, in the card and in the pre-post dialog, and the post is not
// treated as clean. The real host caps only past 200,000 raw matches, far more text than a
// test types, so a stand-in host gives the capped reply (lib/fake-host.mjs).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser } from '../lib/browser.mjs';
import { cappedFakeHost } from '../lib/fake-host.mjs';
import { EDITORS, POSTS } from '../lib/fixtures.mjs';
import {
  openFixture, posts, typePost, waitFor, waitForDialog, waitForState, waitForUnderlines,
} from '../lib/page-helpers.mjs';
import { fixtureServer } from '../lib/suite.mjs';

const textarea = EDITORS.find((e) => e.name === 'textarea');
let server;
let browser;

before(async () => {
  server = await fixtureServer();
  browser = await launchBrowser({ host: cappedFakeHost() });
});
after(async () => {
  await browser?.close();
  await server?.close();
});

function cardText(frame) {
  return frame.evaluate(() => document.querySelector('phiguard-ui')?.shadowRoot
    ?.querySelector('.pg-card')?.textContent ?? null);
}

test('a capped reply: the card and the dialog say part of the post was not checked', async () => {
  const fixture = await openFixture(browser.context, server, textarea);
  try {
    await typePost(fixture, POSTS.clean.text);
    assert.equal(await waitForState(fixture.frame, 'warn'), 'warn', 'unchecked text is not clean');
    const { lines } = await waitForUnderlines(fixture.frame, ['other_id']);
    const line = lines.find((l) => l.rule === 'scan.capped');
    await fixture.page.mouse.move(line.left + line.width / 2, line.top - 4);
    const card = await waitFor(() => cardText(fixture.frame), { what: 'the card' });
    assert.match(card, /Category: Not checked/);
    assert.match(card, /Part of this post was not checked/);

    await fixture.page.mouse.move(5, 5);
    await fixture.frame.click(textarea.post);
    const dialog = await waitForDialog(fixture.frame);
    assert.equal(dialog?.mode, 'warn');
    assert.match(dialog.text, /Part of this post was not checked/);
    assert.match(dialog.text, /\(Not checked\)/);
    assert.doesNotMatch(dialog.text, /Other identifier/);
    assert.deepEqual(await posts(fixture.page), []);
  } finally {
    await fixture.page.close();
  }
});
