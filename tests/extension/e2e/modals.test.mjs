// The pre-post dialog over a site's own modal: it is shown in the top layer, takes focus
// and clicks although the site's modal is a native modal <dialog> or traps focus, and Esc
// closes PHI Guard's dialog, not the site's modal. Inside a native modal <dialog>, which the
// browser paints above everything outside the top layer and outside which it makes
// everything inert, the composer's underlines still show, its status chip still takes a
// click and opens its card with focus in it, and Esc closes the card, not the site's modal.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MODALS, POSTS } from '../lib/fixtures.mjs';
import {
  clickDialogButton, dialogState, posts, typePost, underlines, waitFor, waitForDialog, waitForState,
} from '../lib/page-helpers.mjs';
import { sharedBrowserAndServer } from '../lib/suite.mjs';

const shared = sharedBrowserAndServer();

// How many strongly red pixels (a block underline's colour, --pg-line-block) the page
// shows in `clip`: the screenshot is decoded by the browser itself.
async function redPixels(page, clip) {
  const png = (await page.screenshot({ clip })).toString('base64');
  return page.evaluate(async (data) => {
    const image = new Image();
    image.src = `data:image/png;base64,${data}`;
    await image.decode();
    const canvas = new OffscreenCanvas(image.width, image.height);
    const context = canvas.getContext('2d');
    context.drawImage(image, 0, 0);
    const { data: pixels } = context.getImageData(0, 0, image.width, image.height);
    let red = 0;
    for (let i = 0; i < pixels.length; i += 4) if (pixels[i] > 170 && pixels[i + 1] < 90 && pixels[i + 2] < 90) red += 1;
    return red;
  }, png);
}

// The chip and the card, in whichever of our roots they are (<phiguard-ui>, or
// <phiguard-ui-modal> inside the site's dialog), with the chip button's centre.
function ours(frame) {
  return frame.evaluate(() => {
    const roots = [...document.querySelectorAll('phiguard-ui, phiguard-ui-modal')].map((host) => host.shadowRoot);
    const inDialog = (el) => Boolean(el.getRootNode().host.closest('dialog'));
    const chip = roots.map((root) => root.querySelector('[data-phiguard="chip"]')).find(Boolean);
    const cardRoot = roots.find((root) => root.querySelector('.pg-card'));
    const card = cardRoot?.querySelector('.pg-card');
    const r = chip?.querySelector('button').getBoundingClientRect();
    return {
      chip: chip ? {
        state: chip.dataset.state, hidden: chip.hasAttribute('data-hidden'), inDialog: inDialog(chip),
        x: r.left + r.width / 2, y: r.top + r.height / 2,
      } : null,
      card: card ? { category: card.dataset.category, focused: cardRoot.activeElement === card, inDialog: inDialog(card) } : null,
      composerFocused: document.activeElement?.id === 'composer',
    };
  });
}

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

test('nativedialog: underlines show above the site\'s modal; the chip in it takes a click and opens its card, focused', async () => {
  const modal = MODALS.find((m) => m.name === 'nativedialog');
  const fixture = await shared.open(modal);
  try {
    await typePost(fixture, POSTS.blocking.text);
    await waitForState(fixture.frame, 'block');
    const { chip } = await waitFor(async () => {
      const now = await ours(fixture.frame);
      return now.chip?.state === 'findings' && !now.chip.hidden ? now : null;
    }, { what: 'the chip' });
    assert.equal(chip.inDialog, true, 'the chip is inside the site\'s dialog, where clicks reach');
    // The underlines are painted above the site's dialog, not under it.
    const ssn = (await underlines(fixture.frame)).find((l) => l.category === 'ssn');
    assert.ok(ssn, 'an SSN underline');
    assert.ok(await redPixels(fixture.page, { x: ssn.left, y: ssn.top - 1, width: ssn.width, height: 6 }) > ssn.width,
      'the SSN\'s block underline shows');
    // A real click at the chip's place: an inert chip would not get it.
    await fixture.page.mouse.click(chip.x, chip.y);
    const { card } = await waitFor(async () => {
      const now = await ours(fixture.frame);
      return now.card?.focused ? now : null;
    }, { what: 'the card with focus in it' });
    assert.equal(card.inDialog, true);
    assert.ok(['ssn', 'name'].includes(card.category), card.category);

    await fixture.page.keyboard.press('Escape');
    const back = await waitFor(async () => {
      const now = await ours(fixture.frame);
      return now.card ? null : now;
    }, { what: 'the card to close' });
    assert.equal(back.composerFocused, true, 'focus is back in the composer');
    assert.deepEqual(await siteModal(fixture.page), { open: true, closed: 0 }, 'the site\'s modal is still open');
  } finally {
    await fixture.page.close();
  }
});
