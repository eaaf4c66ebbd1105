// Every way a post leaves the page is guarded: a reply box that the page sends on plain
// Enter (Facebook's comment boxes, review replies) is held like a click on Post, a clean
// reply still goes out on Enter, Shift+Enter stays a new line, and "Reply" on another
// review is never taken for a post of the text waiting in this one.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { COMMENT_BOXES, POSTS } from '../lib/fixtures.mjs';
import {
  dialogState, posts, typePost, waitFor, waitForDialog, waitForState,
} from '../lib/page-helpers.mjs';
import { sharedBrowserAndServer } from '../lib/suite.mjs';

const shared = sharedBrowserAndServer();

function clicks(page) {
  return page.evaluate(() => window.__fixture.clicks.slice());
}

describe('a reply box that sends on Enter', () => {
  for (const box of COMMENT_BOXES) {
    test(`${box.kind}: Enter with a blocking finding is held; a clean reply is sent`, async () => {
      const fixture = await shared.open(box);
      try {
        await typePost(fixture, POSTS.blocking.text);
        await waitForState(fixture.frame, 'block');
        await fixture.page.keyboard.press('Enter');
        assert.equal((await waitForDialog(fixture.frame))?.mode, 'block');
        assert.deepEqual(await posts(fixture.page), [], "the page's Enter handler did not run");
      } finally {
        await fixture.page.close();
      }
      const clean = await shared.open(box);
      try {
        await typePost(clean, POSTS.clean.text);
        await waitForState(clean.frame, 'allow');
        await clean.page.keyboard.press('Enter');
        await waitFor(async () => (await posts(clean.page)).length === 1, { what: 'the reply to be sent' });
        assert.equal(await dialogState(clean.frame), null);
      } finally {
        await clean.page.close();
      }
    });
  }

  test('Shift+Enter is a new line, not a post: it is not held', async () => {
    const box = COMMENT_BOXES[0];
    const fixture = await shared.open(box);
    try {
      await typePost(fixture, POSTS.blocking.text);
      await waitForState(fixture.frame, 'block');
      await fixture.page.keyboard.press('Shift+Enter');
      // The guard decides inside the keydown: a held key has opened the dialog by now.
      assert.equal(await dialogState(fixture.frame), null);
    } finally {
      await fixture.page.close();
    }
  });
});

test('"Reply" on another review is not taken for a post of this review\'s reply', async () => {
  const [first, second] = COMMENT_BOXES;
  const fixture = await shared.open(first);
  try {
    await typePost(fixture, POSTS.blocking.text);
    await waitForState(fixture.frame, 'block');
    await fixture.frame.click(`#reply-button-${second.review}`);
    assert.deepEqual(await clicks(fixture.page), [second.review], "the page's Reply handler ran");
    assert.equal(await dialogState(fixture.frame), null, 'no PHI Guard dialog');
    // The reply waiting in the first box is still held when it is sent.
    await fixture.frame.click(first.editor);
    await fixture.page.keyboard.press('Enter');
    assert.equal((await waitForDialog(fixture.frame))?.mode, 'block');
    assert.deepEqual(await posts(fixture.page), []);
  } finally {
    await fixture.page.close();
  }
});
