// Every edit is rechecked, including the ones editors make without an `input` event:
// Backspace and undo in Draft.js and Lexical, undo and paste in Quill. The underline goes
// when the text that earned it goes, and comes back with it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EDITORS, POSTS } from '../lib/fixtures.mjs';
import { typePost, underlines, waitFor, waitForState, waitForUnderlines } from '../lib/page-helpers.mjs';
import { sharedBrowserAndServer } from '../lib/suite.mjs';

const byName = Object.fromEntries(EDITORS.map((e) => [e.name, e]));
const shared = sharedBrowserAndServer();

async function waitForNoUnderlines(frame) {
  return waitFor(async () => (await underlines(frame)).length === 0, { what: 'the underlines to go' });
}

for (const name of ['draft', 'lexical', 'quill']) {
  test(`${name}: Backspace takes the underline away and undo brings it back`, async () => {
    const fixture = await shared.open(byName[name]);
    try {
      await typePost(fixture, POSTS.warning.text);
      await waitForUnderlines(fixture.frame, POSTS.warning.categories);
      await fixture.page.keyboard.press('Control+A');
      await fixture.page.keyboard.press('Backspace');
      await waitForNoUnderlines(fixture.frame);
      await fixture.page.keyboard.press('Control+Z');
      await waitForUnderlines(fixture.frame, POSTS.warning.categories);
      assert.equal(await waitForState(fixture.frame, POSTS.warning.verdict), POSTS.warning.verdict);
    } finally {
      await fixture.page.close();
    }
  });
}

for (const name of ['draft', 'lexical']) {
  test(`${name}: redo after undo is rechecked`, async () => {
    const fixture = await shared.open(byName[name]);
    try {
      await typePost(fixture, POSTS.warning.text);
      await waitForUnderlines(fixture.frame, POSTS.warning.categories);
      await fixture.page.keyboard.press('Control+A');
      await fixture.page.keyboard.press('Backspace');
      await waitForNoUnderlines(fixture.frame);
      await fixture.page.keyboard.press('Control+Z');
      await waitForUnderlines(fixture.frame, POSTS.warning.categories);
      await fixture.page.keyboard.press(name === 'draft' ? 'Control+Y' : 'Control+Shift+Z');
      await waitForNoUnderlines(fixture.frame);
      assert.equal(await waitForState(fixture.frame, 'allow'), 'allow');
    } finally {
      await fixture.page.close();
    }
  });
}

test('quill: pasted text is checked', async () => {
  const fixture = await shared.open(byName.quill);
  try {
    await typePost(fixture, 'Update: ');
    await waitForState(fixture.frame, 'allow');
    // Quill takes the paste itself (no `input` event); a paste event with the data is what
    // the clipboard gives it.
    await fixture.frame.locator(byName.quill.editor).evaluate((el, text) => {
      const data = new DataTransfer();
      data.setData('text/plain', text);
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, POSTS.blocking.text);
    await waitForUnderlines(fixture.frame, POSTS.blocking.categories);
    assert.equal(await waitForState(fixture.frame, 'block'), 'block');
  } finally {
    await fixture.page.close();
  }
});
