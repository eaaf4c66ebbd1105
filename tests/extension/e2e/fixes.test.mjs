// One-click fixes and "Not PHI" (issue #16), in real Chromium with the real host, on the
// fixture editors: a fix from the card changes the text through the editor's own input path
// (the editor's API then reads the fixed text), its underline goes, and a post of the fixed
// text goes out without a dialog; "Not PHI" on a name takes it out of this post only, and a
// blocked finding offers none.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EDITORS, POSTS } from '../lib/fixtures.mjs';
import {
  composerState, posts, typePost, underlines, waitFor, waitForDialog,
  waitForState, waitForUnderlines,
} from '../lib/page-helpers.mjs';
import { sharedBrowserAndServer } from '../lib/suite.mjs';

const byName = Object.fromEntries(EDITORS.map((e) => [e.name, e]));
const shared = sharedBrowserAndServer();

// A name, a date and an SSN, each with its fix; `after` is the text once the fixes up to and
// including that one are made (the host's findings for each step are what it finds today).
const POST = 'Visited Maria Gonzalez today, she is recovering from pneumonia after her 03/14/2024 surgery. SSN 536-22-8741';
const STEPS = [
  { category: 'name', fix: 'name', after: 'Visited a patient today, she is recovering from pneumonia after her 03/14/2024 surgery. SSN 536-22-8741' },
  { category: 'date', fix: 'year', after: 'Visited a patient today, she is recovering from pneumonia after her 2024 surgery. SSN 536-22-8741' },
  { category: 'ssn', fix: 'remove', after: 'Visited a patient today, she is recovering from pneumonia after her 2024 surgery. SSN' },
];
const FIXED = STEPS.at(-1).after;

// The composer's text through the editor's own API (the fixture harness), or in the iframe
// page, which has no harness of its own, its plain contenteditable's innerText.
const editorText = (fixture) => fixture.frame.evaluate(() => window.__fixture?.text?.() ??
  document.getElementById('composer').innerText.replace(/\n+$/, ''));

function card(frame) {
  return frame.evaluate(() => {
    const el = document.querySelector('phiguard-ui')?.shadowRoot?.querySelector('.pg-card');
    if (!el) return null;
    return {
      category: el.dataset.category,
      buttons: [...el.querySelectorAll('button')].map((b) => ({
        id: b.dataset.phiguard ?? null, fix: b.dataset.fix ?? null, label: b.textContent, name: b.getAttribute('aria-label'),
      })),
    };
  });
}

// Hovers the underline of `category` and waits for its card.
async function hoverCard(fixture, category) {
  const line = (await underlines(fixture.frame)).find((l) => l.category === category);
  assert.ok(line, `an underline of ${category}`);
  // Underlines are measured in the composer's frame; the mouse moves in the page's.
  const offset = fixture.editor.frame
    ? await fixture.page.locator(fixture.editor.frame).evaluate((el) => {
      const r = el.getBoundingClientRect();
      return { x: r.left + el.clientLeft, y: r.top + el.clientTop };
    })
    : { x: 0, y: 0 };
  await fixture.page.mouse.move(offset.x + line.left + Math.min(6, line.width / 2), offset.y + line.top - 6);
  return waitFor(async () => {
    const c = await card(fixture.frame);
    return c?.category === category ? c : null;
  }, { what: `the card of ${category}` });
}

const nonInfo = async (frame) => (await underlines(frame)).filter((l) => l.action !== 'info').map((l) => l.category);

for (const name of ['textarea', 'draft', 'lexical', 'prosemirror', 'quill', 'shadow', 'iframe']) {
  describe(`${name}: fixes from the card`, () => {
    test('a name, a date and an SSN are fixed in the editor; the post then goes out without a dialog', async () => {
      const fixture = await shared.open(byName[name]);
      try {
        await typePost(fixture, POST);
        await waitForUnderlines(fixture.frame, ['name', 'date', 'ssn']);
        for (const step of STEPS) {
          const shown = await hoverCard(fixture, step.category);
          const button = shown.buttons.find((b) => b.id === 'fix');
          assert.equal(button?.fix, step.fix, `${step.category}: the fix offered`);
          assert.ok(button.name.includes(button.label) && button.name.length > button.label.length,
            `${step.category}: the button's accessible name says what it acts on`);
          // With the SSN in the post the host blocks the name and the date too: "Not PHI"
          // would let a blocked post out, so none of the three offers it.
          assert.equal(shown.buttons.some((b) => b.id === 'not-phi'), false, `${step.category}: no "Not PHI" on a blocked finding`);
          await fixture.frame.click('phiguard-ui >> .pg-card [data-phiguard="fix"]');
          await waitFor(async () => (await editorText(fixture)) === step.after, { what: `the text after the ${step.category} fix` });
          await waitFor(async () => !(await nonInfo(fixture.frame)).includes(step.category), { what: `the ${step.category} underline to go` });
        }
        assert.equal(await waitForState(fixture.frame, 'allow'), 'allow');
        assert.deepEqual(await nonInfo(fixture.frame), []);
        await fixture.frame.click(fixture.editor.post);
        await waitFor(async () => (await posts(fixture.page)).length === 1, { what: 'the post' });
        assert.equal(await waitForDialog(fixture.frame, 300), null, 'no dialog');
        assert.deepEqual(await posts(fixture.page), [FIXED]);
      } finally {
        await fixture.page.close();
      }
    });

    test('"Not PHI" on a name: the underline goes, the post needs no dialog, the next post and a new composer flag it again', async () => {
      const fixture = await shared.open(byName[name]);
      try {
        await typePost(fixture, POSTS.warning.text);
        await waitForUnderlines(fixture.frame, ['name']);
        await waitForState(fixture.frame, 'warn');
        await hoverCard(fixture, 'name');
        await fixture.frame.click('phiguard-ui >> .pg-card [data-phiguard="not-phi"]');
        await waitFor(async () => !(await nonInfo(fixture.frame)).includes('name'), { what: 'the name underline to go' });
        assert.equal(await waitForState(fixture.frame, 'allow'), 'allow');
        assert.equal(await editorText(fixture), POSTS.warning.text, 'the text is left as it was');
        await fixture.frame.click(fixture.editor.post);
        await waitFor(async () => (await posts(fixture.page)).length === 1, { what: 'the post' });
        assert.equal(await waitForDialog(fixture.frame, 300), null, 'no dialog');
        // The page emptied the composer: the next post there starts afresh. (The shadow and
        // iframe pages leave the posted text in place: there the same post goes on.)
        if ((await editorText(fixture)) === '') {
          await typePost(fixture, POSTS.warning.text);
          await waitForUnderlines(fixture.frame, ['name']);
          assert.equal(await waitForState(fixture.frame, 'warn'), 'warn');
        }
      } finally {
        await fixture.page.close();
      }
      const fresh = await shared.open(byName[name]);
      try {
        await typePost(fresh, POSTS.warning.text);
        await waitForUnderlines(fresh.frame, ['name']);
        assert.equal(await waitForState(fresh.frame, 'warn'), 'warn');
      } finally {
        await fresh.page.close();
      }
    });
  });
}

describe('fixes and "Not PHI" elsewhere', () => {
  test('the same words typed again in the same post stay dismissed; an emptied composer starts afresh', async () => {
    const fixture = await shared.open(byName.lexical);
    try {
      await typePost(fixture, POSTS.warning.text);
      await waitForState(fixture.frame, 'warn');
      await hoverCard(fixture, 'name');
      await fixture.frame.click('phiguard-ui >> .pg-card [data-phiguard="not-phi"]');
      await waitForState(fixture.frame, 'allow');
      await fixture.page.keyboard.press('End');
      await fixture.page.keyboard.type('. Maria Gonzalez is recovering well');
      await waitFor(async () => (await editorText(fixture)).endsWith('well'), { what: 'the typing' });
      assert.equal(await waitForState(fixture.frame, 'allow'), 'allow');
      assert.deepEqual(await nonInfo(fixture.frame), []);
      await fixture.page.keyboard.press('Control+A');
      await fixture.page.keyboard.press('Backspace');
      await waitForState(fixture.frame, 'allow');
      await fixture.page.keyboard.type(POSTS.warning.text);
      assert.equal(await waitForState(fixture.frame, 'warn'), 'warn');
    } finally {
      await fixture.page.close();
    }
  });

  test('from the keyboard: Alt+Shift+P, Tab to the fix, Enter', async () => {
    const editor = byName.lexical;
    const fixture = await shared.open(editor);
    try {
      await typePost(fixture, POST);
      await waitForUnderlines(fixture.frame, ['ssn']);
      await fixture.page.keyboard.press('End'); // the caret after the SSN, at the end
      await fixture.page.keyboard.press('Alt+Shift+P');
      assert.equal((await card(fixture.frame))?.category, 'ssn');
      await fixture.page.keyboard.press('Tab');
      const focused = await fixture.frame.evaluate(() => {
        const active = document.querySelector('phiguard-ui').shadowRoot.activeElement;
        return { id: active?.dataset.phiguard, name: active?.getAttribute('aria-label') };
      });
      assert.equal(focused.id, 'fix');
      assert.match(focused.name, /^Remove from post: /);
      await fixture.page.keyboard.press('Enter');
      await waitFor(async () => (await editorText(fixture)) === POST.replace(' 536-22-8741', ''), { what: 'the fix' });
      assert.equal(await fixture.frame.evaluate(() => document.activeElement?.getAttribute('data-lexical-editor')), 'true',
        'focus is back in the editor');
    } finally {
      await fixture.page.close();
    }
  });

  for (const name of ['textarea', 'draft', 'lexical', 'quill']) {
    test(`${name}: Ctrl+Z after a fix brings the text back`, async () => {
      const fixture = await shared.open(byName[name]);
      try {
        await typePost(fixture, POST);
        await waitForUnderlines(fixture.frame, ['ssn']);
        await hoverCard(fixture, 'ssn');
        await fixture.frame.click('phiguard-ui >> .pg-card [data-phiguard="fix"]');
        const removed = 'Visited Maria Gonzalez today, she is recovering from pneumonia after her 03/14/2024 surgery. SSN';
        await waitFor(async () => (await editorText(fixture)) === removed, { what: 'the fix' });
        await fixture.page.keyboard.press('Control+Z');
        await waitFor(async () => (await editorText(fixture)) === POST, { what: 'the undo' });
        await waitForUnderlines(fixture.frame, ['ssn']);
      } finally {
        await fixture.page.close();
      }
    });
  }

  for (const name of ['textarea', 'draft', 'lexical']) {
    test(`${name}: the pre-post dialog offers each finding's fix, no "Not PHI" on blocked ones; fixing them all leaves nothing to ask`, async () => {
      const fixture = await shared.open(byName[name]);
      try {
        await typePost(fixture, POST);
        await waitForState(fixture.frame, 'block');
        await fixture.frame.click(fixture.editor.post);
        let dialog = await waitForDialog(fixture.frame);
        assert.equal(dialog?.mode, 'block');
        const fixes = dialog.actions.filter((b) => b.id === 'fix');
        assert.deepEqual(fixes.map((b) => `${b.category}:${b.fix}`).sort(), ['date:year', 'name:name', 'ssn:remove']);
        assert.deepEqual(dialog.actions.filter((b) => b.id === 'not-phi').map((b) => b.category), [], 'nothing blocked offers "Not PHI"');
        assert.ok(dialog.actions.every((b) => b.name.startsWith(`${b.label}: `)), 'each accessible name says which finding');
        assert.deepEqual(dialog.buttons.map((b) => b.id), ['edit-post']);
        for (const step of STEPS) {
          await fixture.frame.click(`phiguard-ui >> li[data-category="${step.category}"] [data-phiguard="fix"]`);
          await waitFor(async () => (await editorText(fixture)) === step.after, { what: `the text after the ${step.category} fix` });
          if (step !== STEPS.at(-1)) {
            dialog = await waitForDialog(fixture.frame);
            assert.ok(dialog, `the dialog comes back after the ${step.category} fix`);
            assert.ok(!dialog.categories.includes(step.category), `${step.category} is no longer listed`);
          }
        }
        await waitFor(async () => (await composerState(fixture.frame)) === 'allow', { what: 'the clean verdict' });
        assert.equal(await waitForDialog(fixture.frame, 300), null);
        assert.deepEqual(await posts(fixture.page), [], 'nothing was posted for the user');
        await fixture.frame.click(fixture.editor.post);
        await waitFor(async () => (await posts(fixture.page)).length === 1, { what: 'the post' });
        assert.deepEqual(await posts(fixture.page), [FIXED]);
      } finally {
        await fixture.page.close();
      }
    });
  }

  test('"Not PHI" in the dialog on the only finding: the dialog closes and the post may go', async () => {
    const fixture = await shared.open(byName.draft);
    try {
      await typePost(fixture, POSTS.warning.text);
      await waitForState(fixture.frame, 'warn');
      await fixture.frame.click(fixture.editor.post);
      assert.equal((await waitForDialog(fixture.frame))?.mode, 'warn');
      await fixture.frame.click('phiguard-ui >> li[data-category="name"] [data-phiguard="not-phi"]');
      await waitFor(async () => (await waitForDialog(fixture.frame, 0)) === null, { what: 'the dialog to close' });
      assert.equal(await waitForState(fixture.frame, 'allow'), 'allow');
      await fixture.frame.click(fixture.editor.post);
      await waitFor(async () => (await posts(fixture.page)).length === 1, { what: 'the post' });
      assert.equal(await waitForDialog(fixture.frame, 300), null);
    } finally {
      await fixture.page.close();
    }
  });
});
