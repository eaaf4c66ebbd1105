// The pre-post dialog over a site's own modal: it is shown in the top layer, takes focus
// and clicks although the site's modal is a native modal <dialog> or traps focus, and Esc
// closes PHI Guard's dialog, not the site's modal.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MODALS, POSTS } from '../lib/fixtures.mjs';
import {
  clickDialogButton, dialogState, posts, typePost, waitFor, waitForDialog, waitForState,
} from '../lib/page-helpers.mjs';
import { sharedBrowserAndServer } from '../lib/suite.mjs';

const shared = sharedBrowserAndServer();

function siteModal(page) {
  return page.evaluate(() => ({ open: window.__fixture.modalOpen(), closed: window.__fixture.modalClosed }));
}

for (const modal of MODALS) {
  test(`${modal.name}: the dialog works above the site's modal and Esc closes it first`, async () => {
    const fixture = await shared.open(modal);
    try {
      await typePost(fixture, POSTS.warning.text);
      await waitForState(fixture.frame, 'warn');
      await fixture.frame.click(modal.post);
      const dialog = await waitForDialog(fixture.frame);
      assert.equal(dialog?.mode, 'warn');
      assert.equal(dialog.focusedInside, true, 'focus is in PHI Guard\'s dialog');
      assert.deepEqual(await posts(fixture.page), []);

      await fixture.page.keyboard.press('Escape');
      await waitFor(async () => (await dialogState(fixture.frame)) === null, { what: 'the dialog to close' });
      assert.deepEqual(await siteModal(fixture.page), { open: true, closed: 0 }, 'the site\'s modal is still open');

      // The dialog's buttons take clicks: "Post anyway", then Post again publishes.
      await fixture.frame.click(modal.post);
      assert.ok(await waitForDialog(fixture.frame));
      await clickDialogButton(fixture.frame, 'post-anyway');
      await waitFor(async () => (await dialogState(fixture.frame)) === null, { what: 'the dialog to close' });
      await fixture.frame.click(modal.post);
      await waitFor(async () => (await posts(fixture.page)).length === 1, { what: 'the post' });
    } finally {
      await fixture.page.close();
    }
  });
}
