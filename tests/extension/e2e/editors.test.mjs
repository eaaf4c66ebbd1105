// Every fixture editor against the real host in headless Chromium: underlines by category,
// the block dialog stopping the page's own Post handler, a clean post going through, a
// held post when the text was not checked yet, and "Post anyway" after a warning letting
// only the next real click through.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EDITORS, POSTS } from '../lib/fixtures.mjs';
import {
  clickDialogButton, composerState, dialogState, editorRect, notice, posts,
  textRect, typePost, waitFor, waitForDialog, waitForState, waitForUnderlines,
} from '../lib/page-helpers.mjs';
import { artifactPath, sharedBrowserAndServer } from '../lib/suite.mjs';

const shared = sharedBrowserAndServer();

const fresh = (editor) => shared.open(editor);

for (const editor of EDITORS) {
  describe(`${editor.name} composer`, () => {
    test('a post with an SSN and a patient name is underlined by category within 1 s', async () => {
      const fixture = await fresh(editor);
      try {
        const post = POSTS.blocking;
        await typePost(fixture, post.text);
        const { ms, lines } = await waitForUnderlines(fixture.frame, post.categories);
        assert.ok(ms <= 1000, `underlines took ${ms} ms after the last key`);
        for (const line of lines) {
          assert.ok(line.rule, 'each underline names its rule');
          assert.ok(['block', 'warn', 'info'].includes(line.action));
        }
        assert.equal(lines.find((l) => l.category === 'ssn').action, 'block');
        // Underlines sit inside the editor, and under the SSN's own characters where the
        // page can measure them (every editor but the textarea).
        const box = await editorRect(fixture.frame, editor.editor);
        for (const line of lines) {
          assert.ok(line.left >= box.left - 1 && line.left + line.width <= box.right + 1, `${line.category} underline inside the editor`);
          assert.ok(line.top >= box.top && line.top <= box.bottom, `${line.category} underline inside the editor`);
        }
        const ssnText = await textRect(fixture.frame, editor.editor, '536-22-8741');
        if (ssnText) {
          const ssn = lines.find((l) => l.category === 'ssn');
          assert.ok(Math.abs(ssn.left - ssnText.left) <= 2, `ssn underline starts under the SSN (${ssn.left} vs ${ssnText.left})`);
          assert.ok(Math.abs(ssn.width - ssnText.width) <= 2, `ssn underline as wide as the SSN (${ssn.width} vs ${ssnText.width})`);
          assert.ok(Math.abs(ssn.top + 2 - ssnText.bottom) <= 4, 'ssn underline at the bottom of its line');
        }
        await fixture.page.screenshot({ path: artifactPath(`${editor.name}-warnings.png`) });
      } finally {
        await fixture.page.close();
      }
    });

    test('Post with a blocking finding opens the alertdialog and the page handler does not run', async () => {
      const fixture = await fresh(editor);
      try {
        await typePost(fixture, POSTS.blocking.text);
        assert.equal(await waitForState(fixture.frame, 'block'), 'block');
        await fixture.frame.click(editor.post);
        const dialog = await waitForDialog(fixture.frame);
        assert.ok(dialog, 'an alertdialog opened');
        assert.equal(dialog.mode, 'block');
        assert.equal(dialog.modal, 'true');
        assert.ok(dialog.labelled);
        assert.ok(dialog.focusedInside, 'focus moved into the dialog');
        assert.ok(dialog.categories.includes('ssn'));
        assert.deepEqual(dialog.buttons.map((b) => b.id), ['edit-post'], 'a block offers only "Edit post"');
        assert.deepEqual(await posts(fixture.page), [], "the page's Post handler did not run");
        await fixture.page.screenshot({ path: artifactPath(`${editor.name}-dialog.png`) });
        await clickDialogButton(fixture.frame, 'edit-post');
        assert.equal(await dialogState(fixture.frame), null, 'the dialog closed');
        assert.deepEqual(await posts(fixture.page), []);
      } finally {
        await fixture.page.close();
      }
    });

    test('a clean post goes through', async () => {
      const fixture = await fresh(editor);
      try {
        await typePost(fixture, POSTS.clean.text);
        await waitForState(fixture.frame, 'allow');
        await fixture.frame.click(editor.post);
        await waitFor(async () => (await posts(fixture.page)).length === 1, { what: 'the post' });
        assert.deepEqual(await posts(fixture.page), [POSTS.clean.text]);
        assert.equal(await dialogState(fixture.frame), null);
      } finally {
        await fixture.page.close();
      }
    });

    test('after a warning, "Post anyway" lets only the next real click through', async () => {
      const fixture = await fresh(editor);
      try {
        const post = POSTS.warning;
        await typePost(fixture, post.text);
        await waitForUnderlines(fixture.frame, post.categories);
        assert.equal(await waitForState(fixture.frame, 'warn'), 'warn');
        await fixture.frame.click(editor.post);
        const dialog = await waitForDialog(fixture.frame);
        assert.equal(dialog?.mode, 'warn');
        assert.deepEqual(dialog.buttons.map((b) => b.id), ['post-anyway', 'edit-post']);
        await clickDialogButton(fixture.frame, 'post-anyway');
        assert.equal(await dialogState(fixture.frame), null);
        assert.deepEqual(await posts(fixture.page), [], 'PHI Guard never posts for the user');
        await fixture.frame.click(editor.post);
        await waitFor(async () => (await posts(fixture.page)).length === 1, { what: 'the post' });
        assert.equal(await dialogState(fixture.frame), null, 'no second dialog');
      } finally {
        await fixture.page.close();
      }
    });
  });
}

describe('a post sent before its text was checked', () => {
  test('is held, rescanned, and the user is asked to post again', async () => {
    const editor = EDITORS.find((e) => e.name === 'lexical');
    const fixture = await fresh(editor);
    try {
      await typePost(fixture, POSTS.clean.text);
      // No wait: the 300 ms debounce has not fired, so the cached verdict is stale. The
      // button is pressed from the keyboard, so there is no pointerdown to start the rescan
      // early and the click itself meets the stale verdict.
      await fixture.frame.focus(editor.post);
      await fixture.page.keyboard.press('Enter');
      assert.deepEqual(await posts(fixture.page), [], 'the stale post was held');
      const toast = await waitFor(async () => {
        const t = await notice(fixture.frame, 'toast');
        return t?.text.includes('again') ? t : null;
      }, { what: 'the "post again" toast' });
      assert.equal(toast.role, 'status');
      // The layer's state is drawn on the next animation frame, the toast at once.
      await waitForState(fixture.frame, 'allow');
      assert.deepEqual(await posts(fixture.page), [], 'PHI Guard did not post by itself');
      await fixture.page.keyboard.press('Enter');
      await waitFor(async () => (await posts(fixture.page)).length === 1, { what: 'the post' });
    } finally {
      await fixture.page.close();
    }
  });
});

describe('a site that is not covered', () => {
  test('is left alone: no UI, no scanning, posting untouched', async () => {
    // localhost is only covered when policy adds it (e2e/policy.test.mjs); here there is none.
    const page = await shared.browser.context.newPage();
    try {
      await page.goto(shared.server.url('/fixtures/textarea.html').replace('127.0.0.1', 'localhost'));
      await page.waitForFunction(() => window.__fixture?.ready);
      await page.click('#composer');
      await page.keyboard.type(POSTS.blocking.text);
      await new Promise((r) => setTimeout(r, 1000));
      assert.equal(await page.evaluate(() => document.querySelector('phiguard-ui')), null);
      await page.click('#post');
      await waitFor(async () => (await posts(page)).length === 1, { what: 'the post' });
    } finally {
      await page.close();
    }
  });
});
