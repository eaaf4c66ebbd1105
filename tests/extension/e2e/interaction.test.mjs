// What a person does around the warnings, in real Chromium with the real host: hovering an
// underline and reaching its card from the keyboard, Ctrl+Enter, IME composition, text that
// was in the composer before the user typed, and the editor's DOM left untouched throughout.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EDITORS, POSTS } from '../lib/fixtures.mjs';
import {
  composerState, dialogState, posts, textRect, typePost, waitFor, waitForDialog,
  waitForState, waitForUnderlines,
} from '../lib/page-helpers.mjs';
import { sharedBrowserAndServer } from '../lib/suite.mjs';

const byName = Object.fromEntries(EDITORS.map((e) => [e.name, e]));
const shared = sharedBrowserAndServer();

function cardState(frame) {
  return frame.evaluate(() => {
    const root = document.querySelector('phiguard-ui')?.shadowRoot;
    const card = root?.querySelector('.pg-card');
    // The UI's own live region (a child of the shadow root; each status chip has its own).
    const live = [...(root?.children ?? [])].find((el) => el.hasAttribute('aria-live'));
    return {
      card: card ? { category: card.dataset.category, text: card.textContent, focused: root.activeElement === card } : null,
      live: live?.textContent ?? '',
    };
  });
}

// The element that has focus, looking into shadow roots.
function deepFocus(frame) {
  return frame.evaluate(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return el ? `${el.localName}${el.className ? `.${String(el.className).split(' ')[0]}` : ''}` : null;
  });
}

describe('cards', () => {
  test('hovering an underline shows what it is, why it matters and what to do', async () => {
    const fixture = await shared.open(byName.prosemirror);
    try {
      await typePost(fixture, POSTS.blocking.text);
      const { lines } = await waitForUnderlines(fixture.frame, ['ssn']);
      const ssn = lines.find((l) => l.category === 'ssn');
      await fixture.page.mouse.move(ssn.left + ssn.width / 2, ssn.top - 6);
      const { card } = await waitFor(async () => ((await cardState(fixture.frame)).card ? cardState(fixture.frame) : null), { what: 'the card' });
      assert.equal(card.category, 'ssn');
      assert.match(card.text, /Social Security number/);
      assert.match(card.text, /Why it matters/);
      assert.match(card.text, /What to do/);
    } finally {
      await fixture.page.close();
    }
  });

  test('the caret in a finding opens its card and announces it; Alt+Shift+P focuses it and Escape returns', async () => {
    const editor = byName.lexical;
    const fixture = await shared.open(editor);
    try {
      await typePost(fixture, POSTS.blocking.text);
      await waitForUnderlines(fixture.frame, ['ssn']);
      const ssn = await textRect(fixture.frame, editor.editor, '536-22-8741');
      await fixture.page.mouse.click(ssn.left + 4, ssn.top + 4); // caret inside the SSN
      await fixture.page.mouse.move(5, 5); // away, so only the caret keeps the card open
      const state = await waitFor(async () => {
        const s = await cardState(fixture.frame);
        return s.card && s.live.includes('Social Security number') ? s : null;
      }, { what: 'the card and its announcement' });
      assert.equal(state.card.category, 'ssn');
      await fixture.page.keyboard.press('Alt+Shift+P');
      assert.equal((await cardState(fixture.frame)).card?.focused, true, 'focus is in the card');
      await fixture.page.keyboard.press('Escape');
      assert.equal(await deepFocus(fixture.frame), 'div.editor', 'focus is back in the editor');
    } finally {
      await fixture.page.close();
    }
  });
});

describe('keys', () => {
  test('Ctrl+Enter with a blocking finding is stopped; without one it posts', async () => {
    const editor = byName.draft;
    const fixture = await shared.open(editor);
    try {
      await typePost(fixture, POSTS.blocking.text);
      await waitForState(fixture.frame, 'block');
      await fixture.page.keyboard.press('Control+Enter');
      assert.equal((await waitForDialog(fixture.frame))?.mode, 'block');
      assert.deepEqual(await posts(fixture.page), []);
    } finally {
      await fixture.page.close();
    }
    const clean = await shared.open(editor);
    try {
      await typePost(clean, POSTS.clean.text);
      await waitForState(clean.frame, 'allow');
      await clean.page.keyboard.press('Control+Enter');
      await waitFor(async () => (await posts(clean.page)).length === 1, { what: 'the post' });
    } finally {
      await clean.page.close();
    }
  });

  test('nothing is scanned during IME composition; committing it scans', async () => {
    const fixture = await shared.open(byName.textarea);
    const cdp = await fixture.page.context().newCDPSession(fixture.page);
    try {
      await typePost(fixture, 'SSN ');
      await waitForState(fixture.frame, 'allow');
      await cdp.send('Input.imeSetComposition', { text: '536-22-8741', selectionStart: 11, selectionEnd: 11 });
      await new Promise((r) => setTimeout(r, 900)); // three times the scan delay
      assert.equal(await fixture.frame.inputValue('#composer'), 'SSN 536-22-8741');
      assert.equal(await composerState(fixture.frame), 'pending', 'composing text is not scanned');
      await cdp.send('Input.insertText', { text: '536-22-8741' });
      assert.equal(await waitForState(fixture.frame, 'block'), 'block');
    } finally {
      await cdp.detach();
      await fixture.page.close();
    }
  });
});

describe('text that was there before the user typed', () => {
  test('is checked when the composer gets focus', async () => {
    const fixture = await shared.open(byName.textarea);
    try {
      await fixture.frame.evaluate((text) => { document.getElementById('composer').value = text; }, POSTS.blocking.text);
      await fixture.frame.click('#composer');
      await waitForUnderlines(fixture.frame, POSTS.blocking.categories);
    } finally {
      await fixture.page.close();
    }
  });

  test('is held and checked when Post is pressed without ever focusing the composer', async () => {
    const fixture = await shared.open(byName.textarea);
    try {
      await fixture.frame.evaluate((text) => { document.getElementById('composer').value = text; }, POSTS.blocking.text);
      await fixture.frame.focus('#post');
      await fixture.page.keyboard.press('Enter');
      assert.equal((await waitForDialog(fixture.frame))?.mode, 'block');
      assert.deepEqual(await posts(fixture.page), []);
    } finally {
      await fixture.page.close();
    }
  });
});

describe("the editor's DOM", () => {
  for (const name of ['draft', 'lexical', 'prosemirror', 'quill', 'shadow']) {
    test(`${name}: underlines, hover, caret cards, resizing, scrolling and the dialog never change it`, async () => {
      const editor = byName[name];
      const fixture = await shared.open(editor);
      try {
        await typePost(fixture, POSTS.blocking.text);
        const { lines } = await waitForUnderlines(fixture.frame, ['ssn']);
        await fixture.frame.locator(editor.editor).evaluate((el) => {
          window.__records = [];
          // ProseMirror rewrites its class attribute with the same value on selection
          // changes; only real changes count.
          window.__observer = new MutationObserver((r) => window.__records.push(...r
            .filter((m) => m.type !== 'attributes' || m.oldValue !== m.target.getAttribute(m.attributeName))
            .map((m) => (m.type === 'attributes' ? `${m.target.localName}[${m.attributeName}]` : m.type))));
          window.__observer.observe(el, { subtree: true, childList: true, characterData: true, attributes: true, attributeOldValue: true });
        });
        const ssn = lines.find((l) => l.category === 'ssn');
        await fixture.page.mouse.move(ssn.left + 3, ssn.top - 5);
        await fixture.page.keyboard.press('Home');
        await fixture.page.setViewportSize({ width: 1100, height: 800 });
        await fixture.page.mouse.wheel(0, 40);
        await new Promise((r) => setTimeout(r, 300));
        const records = await fixture.frame.evaluate(() => { window.__observer.disconnect(); return window.__records; });
        assert.deepEqual(records, []);
        // The dialog takes focus, and editors mark their own blur (ProseMirror-focused), so it
        // is checked on its own: it adds nothing to the editor.
        const before = await fixture.frame.locator(editor.editor).evaluate((el) => el.innerHTML);
        await fixture.frame.click(editor.post);
        assert.ok(await waitForDialog(fixture.frame));
        assert.equal(await fixture.frame.locator(editor.editor).evaluate((el) => el.innerHTML), before);
      } finally {
        await fixture.page.setViewportSize({ width: 1280, height: 900 });
        await fixture.page.close();
      }
    });
  }
});
