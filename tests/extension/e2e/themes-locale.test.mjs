// Issue 16's themes in real Chromium with the real host: the dark theme under
// prefers-color-scheme: dark, underlines that still paint under forced colours (in a
// contenteditable and in a textarea, whose underlines come from the mirror), and block and
// warn told apart by shape and words rather than colour. The extension's words in Spanish
// and our UI left to right on a right-to-left page are e2e/locale.test.mjs's.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { EDITORS, POSTS } from '../lib/fixtures.mjs';
import { typePost, waitFor, waitForDialog, waitForUnderlines } from '../lib/page-helpers.mjs';
import { EXTENSION_DIR } from '../lib/paths.mjs';
import { sharedBrowserAndServer } from '../lib/suite.mjs';
import { fromCatalogue } from '../../../extension/src/shared/i18n.js';

const byName = Object.fromEntries(EDITORS.map((e) => [e.name, e]));
const en = JSON.parse(readFileSync(join(EXTENSION_DIR, '_locales', 'en', 'messages.json'), 'utf8'));
const say = (key, ...subs) => fromCatalogue(en, key, subs.map(String));
const shared = sharedBrowserAndServer();

// What our UI draws for each underline, with its computed style.
function underlineStyles(frame) {
  return frame.evaluate(() => [...(document.querySelector('phiguard-ui')?.shadowRoot
    ?.querySelectorAll('.pg-underline') ?? [])].map((el) => {
    const cs = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return {
      action: el.dataset.action, category: el.dataset.category, display: cs.display,
      visibility: cs.visibility, opacity: cs.opacity, color: cs.color,
      backgroundImage: cs.backgroundImage, backgroundColor: cs.backgroundColor,
      forcedColorAdjust: cs.forcedColorAdjust, left: r.left, top: r.top, width: r.width, height: r.height,
    };
  }));
}

// A system colour as this page resolves it now ("Highlight" -> "rgb(...)").
function systemColor(frame, name) {
  return frame.evaluate((colour) => {
    const probe = document.createElement('span');
    probe.style.color = colour;
    document.body.append(probe);
    const value = getComputedStyle(probe).color;
    probe.remove();
    return value;
  }, name);
}

// True when the underline elements change the pixels under them: the same clip is shot
// with them shown and hidden. (The composer's caret is hidden in screenshots.)
async function underlinePaints(fixture, line) {
  const clip = { x: Math.max(0, line.left), y: Math.max(0, line.top - 1), width: Math.max(4, line.width), height: line.height + 2 };
  const setShown = (shown) => fixture.frame.evaluate((on) => {
    for (const el of document.querySelector('phiguard-ui').shadowRoot.querySelectorAll('.pg-underline')) {
      el.style.setProperty('visibility', on ? '' : 'hidden');
    }
  }, shown);
  const offset = fixture.editor.frame ? await fixture.page.locator(fixture.editor.frame).boundingBox() : { x: 0, y: 0 };
  const pageClip = { ...clip, x: clip.x + offset.x, y: clip.y + offset.y };
  const withLine = await fixture.page.screenshot({ clip: pageClip });
  await setShown(false);
  const without = await fixture.page.screenshot({ clip: pageClip });
  await setShown(true);
  return !withLine.equals(without);
}

// Hovers the underline of `category` and reads the card it opens.
async function openCard(fixture, category) {
  const { lines } = await waitForUnderlines(fixture.frame, [category]);
  const line = lines.find((l) => l.category === category);
  await fixture.page.mouse.move(line.left + line.width / 2, line.top - 6);
  return waitFor(() => fixture.frame.evaluate(() => {
    const card = document.querySelector('phiguard-ui')?.shadowRoot?.querySelector('.pg-card');
    if (!card) return null;
    const cs = getComputedStyle(card);
    const severity = card.querySelector('.pg-severity');
    const icon = severity?.querySelector('.pg-icon');
    return {
      text: card.textContent, background: cs.backgroundColor, color: cs.color, action: card.dataset.action,
      edge: cs.borderInlineStartStyle,
      severity: severity?.dataset.severity, severityText: severity?.textContent,
      icon: icon ? getComputedStyle(icon).clipPath : null,
      iconColor: icon ? getComputedStyle(icon).backgroundColor : null,
      iconHidden: icon?.getAttribute('aria-hidden') ?? null,
    };
  }), { what: 'the card' });
}

function dialogStyle(frame) {
  return frame.evaluate(() => {
    const dialog = document.querySelector('phiguard-ui')?.shadowRoot?.querySelector('[role="alertdialog"]');
    if (!dialog) return null;
    const cs = getComputedStyle(dialog);
    return {
      background: cs.backgroundColor, color: cs.color,
      rows: [...dialog.querySelectorAll('li[data-action]')].map((li) => {
        const icon = li.querySelector(':scope > .pg-icon');
        return {
          action: li.dataset.action, text: li.textContent, severity: icon?.dataset.severity,
          icon: icon ? getComputedStyle(icon).clipPath : null,
        };
      }),
    };
  });
}

// An octagon (8 corners) for block, a triangle (3) for warn.
const corners = (clipPath) => (clipPath?.match(/polygon\((.*)\)/)?.[1].split(',').length ?? 0);

describe('themes', () => {
  test('forced colours: underlines still paint, in system colours, in a rich editor and a textarea', async () => {
    for (const name of ['prosemirror', 'textarea']) {
      const fixture = await shared.open(byName[name]);
      try {
        await fixture.page.emulateMedia({ forcedColors: 'active' });
        assert.equal(await fixture.frame.evaluate(() => matchMedia('(forced-colors: active)').matches), true);
        await typePost(fixture, POSTS.blocking.text);
        await waitForUnderlines(fixture.frame, ['ssn']);
        const highlight = await systemColor(fixture.frame, 'Highlight');
        const lines = await underlineStyles(fixture.frame);
        const ssn = lines.find((l) => l.category === 'ssn');
        assert.equal(ssn.action, 'block');
        assert.notEqual(ssn.display, 'none');
        assert.equal(ssn.visibility, 'visible');
        assert.equal(ssn.forcedColorAdjust, 'none', `${name}: the underline keeps its own paint`);
        assert.equal(ssn.backgroundColor, highlight, `${name}: a system colour (Highlight)`);
        assert.ok(ssn.height >= 3 && ssn.width > 20, `${name}: ${JSON.stringify(ssn)}`);
        assert.ok(await underlinePaints(fixture, ssn), `${name}: the underline changes pixels under forced colours`);
      } finally {
        await fixture.page.close();
      }
    }
  });

  test('dark scheme: the card and the dialog are dark; light: they are light', async () => {
    const results = {};
    for (const colorScheme of ['light', 'dark']) {
      const fixture = await shared.open(byName.textarea);
      try {
        await fixture.page.emulateMedia({ colorScheme });
        await typePost(fixture, POSTS.blocking.text);
        const card = await openCard(fixture, 'ssn');
        await fixture.page.mouse.move(5, 5);
        await fixture.frame.click(fixture.editor.post);
        assert.equal((await waitForDialog(fixture.frame))?.mode, 'block');
        results[colorScheme] = { card, dialog: await dialogStyle(fixture.frame) };
      } finally {
        await fixture.page.close();
      }
    }
    assert.equal(results.light.card.background, 'rgb(255, 255, 255)');
    assert.equal(results.light.dialog.background, 'rgb(255, 255, 255)');
    assert.equal(results.light.dialog.color, 'rgb(31, 31, 31)');
    assert.equal(results.dark.card.background, 'rgb(41, 42, 45)');
    assert.equal(results.dark.card.color, 'rgb(227, 227, 227)', 'light text on the dark card');
    assert.equal(results.dark.dialog.background, 'rgb(41, 42, 45)');
    assert.equal(results.dark.dialog.color, 'rgb(227, 227, 227)', 'light text on the dark dialog');
  });

  test('block and warn differ without colour: underline shape, icon shape, card edge and words', async () => {
    const seen = {};
    for (const [kind, post, category] of [['block', POSTS.blocking, 'ssn'], ['warn', POSTS.warning, 'name']]) {
      const fixture = await shared.open(byName.lexical);
      try {
        // Under forced colours both take the same system colour: only shape can differ.
        await fixture.page.emulateMedia({ forcedColors: 'active' });
        await typePost(fixture, post.text);
        await waitForUnderlines(fixture.frame, [category]);
        const line = (await underlineStyles(fixture.frame)).find((l) => l.category === category);
        const paints = await underlinePaints(fixture, line);
        const card = await openCard(fixture, category);
        await fixture.page.mouse.move(5, 5);
        await fixture.frame.click(fixture.editor.post);
        assert.equal((await waitForDialog(fixture.frame))?.mode, kind);
        seen[kind] = { line, paints, card, dialog: await dialogStyle(fixture.frame) };
      } finally {
        await fixture.page.close();
      }
    }
    const { block, warn } = seen;
    assert.equal(block.line.action, 'block');
    assert.equal(warn.line.action, 'warn');
    assert.ok(block.paints && warn.paints, 'both underlines change pixels under forced colours');
    assert.equal(block.line.color, warn.line.color, 'the same colour under forced colours');
    assert.equal(block.card.iconColor, warn.card.iconColor, 'icons of the same colour');
    assert.equal(block.line.backgroundImage, 'none', 'block: a solid bar');
    assert.match(warn.line.backgroundImage, /radial-gradient/, 'warn: a wave');
    assert.equal(corners(block.card.icon), 8);
    assert.equal(corners(warn.card.icon), 3);
    assert.equal(block.card.iconHidden, 'true', 'the icon is decoration; the words say it');
    assert.equal(block.card.edge, 'double');
    assert.equal(warn.card.edge, 'solid');
    assert.equal(block.card.severityText, say('findingNotAllowed', say('category_ssn')));
    assert.equal(warn.card.severityText, say('category_name'));
    const ssnRow = block.dialog.rows.find((r) => r.severity === 'block');
    assert.ok(ssnRow && corners(ssnRow.icon) === 8, JSON.stringify(block.dialog.rows));
    assert.ok(ssnRow.text.includes(say('findingNotAllowed', say('category_ssn'))), ssnRow.text);
    assert.ok(warn.dialog.rows.length && warn.dialog.rows.every((r) => r.severity === 'warn' && corners(r.icon) === 3),
      JSON.stringify(warn.dialog.rows));
  });
});
