// The composer's status chip (issue 16) in real Chromium with the real host: it goes
// checking -> N findings as PHI is typed and -> clean once it is gone; clicking it (or Enter
// or Space on it) opens the first finding's card; it covers neither the post button nor the
// composer's text; it follows the composer when the composer grows or the page moves it and
// leaves with it; it has an accessible name and a polite live region; "Not PHI" takes a
// finding off its count; and there is none for a search box or on a page the extension does
// not guard. Then its themes, its state without a host, and its Spanish words (--lang=es).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { launchBrowser } from '../lib/browser.mjs';
import { EDITORS, POSTS } from '../lib/fixtures.mjs';
import { clearPost, openFixture, typePost, underlines, waitFor, waitForUnderlines } from '../lib/page-helpers.mjs';
import { EXTENSION_DIR } from '../lib/paths.mjs';
import { fixtureServer, requireHost, sharedBrowserAndServer } from '../lib/suite.mjs';
import { fromCatalogue } from '../../../extension/src/shared/i18n.js';

const byName = Object.fromEntries(EDITORS.map((e) => [e.name, e]));
const catalogue = (locale) => JSON.parse(readFileSync(join(EXTENSION_DIR, '_locales', locale, 'messages.json'), 'utf8'));
const en = catalogue('en');
const es = catalogue('es');
const say = (messages, key, ...subs) => fromCatalogue(messages, key, subs.map(String));
const shared = sharedBrowserAndServer();

// Every chip in the frame, with its box and the post button's and composer's (viewport
// coordinates of the frame; our fixtures here are top-level pages).
function chips(frame, editorSelector) {
  return frame.evaluate((selector) => {
    const box = (el) => {
      const r = el.getBoundingClientRect();
      return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height };
    };
    const root = document.querySelector('phiguard-ui')?.shadowRoot;
    const composer = document.querySelector(selector);
    const post = document.querySelector('#post');
    return [...(root?.querySelectorAll('[data-phiguard="chip"]') ?? [])].map((chip) => {
      const button = chip.querySelector('button');
      const live = chip.querySelector('[aria-live]');
      return {
        state: chip.dataset.state, count: Number(chip.dataset.count), severity: chip.dataset.severity ?? null,
        place: chip.dataset.place, hidden: chip.hasAttribute('data-hidden'),
        words: chip.querySelector('.pg-chip-words')?.textContent, label: button?.getAttribute('aria-label'),
        hint: button?.getAttribute('title') ?? null, live: live?.getAttribute('aria-live'), liveText: live?.textContent, icon: chip.querySelector('.pg-icon')?.dataset.severity,
        box: box(button), composer: composer ? box(composer) : null, post: post ? box(post) : null,
      };
    });
  }, editorSelector);
}

async function waitForChip(frame, editorSelector, test, what) {
  return waitFor(async () => {
    const [chip] = await chips(frame, editorSelector);
    return chip && test(chip) ? chip : null;
  }, { what, timeoutMs: 8000 });
}

// Records each state the chip takes (no text: the states are words of ours).
function recordStates(frame) {
  return frame.evaluate(() => {
    window.__chipStates = [];
    const seen = (state) => {
      const list = window.__chipStates;
      if (state && list[list.length - 1] !== state) list.push(state);
    };
    const attach = () => {
      const root = document.querySelector('phiguard-ui')?.shadowRoot;
      if (!root) return false;
      new MutationObserver(() => seen(root.querySelector('[data-phiguard="chip"]')?.dataset.state))
        .observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
      seen(root.querySelector('[data-phiguard="chip"]')?.dataset.state);
      return true;
    };
    if (!attach()) {
      new MutationObserver((_, observer) => { if (attach()) observer.disconnect(); })
        .observe(document.documentElement, { childList: true });
    }
  });
}

const statesSeen = (frame) => frame.evaluate(() => window.__chipStates.slice());

const overlaps = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

function cardInfo(frame) {
  return frame.evaluate(() => {
    const root = document.querySelector('phiguard-ui')?.shadowRoot;
    const card = root?.querySelector('.pg-card');
    return card ? { rule: card.dataset.rule, category: card.dataset.category, focused: root.activeElement === card } : null;
  });
}

// The underline that comes first in the text: the topmost line, then the leftmost.
async function firstUnderlined(frame) {
  const lines = await underlines(frame);
  return lines.sort((a, b) => (Math.abs(a.top - b.top) > 4 ? a.top - b.top : a.left - b.left))[0];
}

describe('status chip', () => {
  for (const name of ['textarea', 'quill', 'lexical']) {
    test(`${name}: checking -> N findings -> clean, clear of the post button and the text, and it opens the first card`, async () => {
      const editor = byName[name];
      const fixture = await shared.open(editor);
      const { frame, page } = fixture;
      try {
        assert.deepEqual(await chips(frame, editor.editor), [], 'no chip before the composer holds text');
        await recordStates(frame);
        await typePost(fixture, POSTS.blocking.text);
        await waitForUnderlines(frame, POSTS.blocking.categories);
        const found = await waitForChip(frame, editor.editor, (c) => c.state === 'findings' && c.count >= 2, 'N findings');
        const history = await statesSeen(frame);
        assert.ok(history.indexOf('pending') >= 0 && history.indexOf('pending') < history.indexOf('findings'),
          `checking came before the findings: ${history.join(' -> ')}`);
        assert.equal(found.severity, 'block');
        assert.equal(found.icon, 'block', 'the worst finding\'s sign');
        assert.equal(found.words, say(en, 'chipFindingsMany', found.count));
        assert.equal(found.label, say(en, 'chipStatusBlock', found.words), 'accessible name');
        assert.equal(found.live, 'polite');
        assert.equal(found.hint, say(en, 'chipHint'), 'what a click does, as its description');
        await waitFor(async () => (await chips(frame, editor.editor))[0].liveText === found.label, { what: 'the announcement' });
        assert.equal(found.hidden, false);
        assert.ok(!overlaps(found.box, found.post), `the chip (${found.place}) covers the post button: ${JSON.stringify(found)}`);
        assert.ok(!overlaps(found.box, found.composer), `the chip (${found.place}) covers the composer's text`);
        // By the composer's bottom-right corner: within a chip's height below it, not past its right edge.
        assert.ok(found.box.top >= found.composer.bottom && found.box.top <= found.composer.bottom + 12, JSON.stringify(found));
        assert.ok(found.box.right <= found.composer.right + 1, JSON.stringify(found));

        // Clicking it opens the card of the first finding in the text, with focus in it.
        const first = await firstUnderlined(frame);
        await page.mouse.click(found.box.left + found.box.width / 2, found.box.top + found.box.height / 2);
        const card = await waitFor(() => cardInfo(frame), { what: 'the card' });
        assert.equal(card.rule, first.rule);
        assert.equal(card.category, first.category);
        assert.equal(card.focused, true, 'focus moves into the card');
        await page.keyboard.press('Escape');
        await waitFor(async () => !(await cardInfo(frame)), { what: 'the card to close' });

        // The PHI deleted: clean.
        await clearPost(fixture);
        await typePost(fixture, POSTS.clean.text);
        const clean = await waitForChip(frame, editor.editor, (c) => c.state === 'clean', 'clean');
        assert.equal(clean.words, say(en, 'chipClean'));
        assert.equal(clean.label, say(en, 'chipStatus', clean.words));
        assert.equal(clean.icon, 'clean');
        assert.equal(clean.hint, null, 'nothing to open');
        assert.equal(clean.severity, null);
        const after = await statesSeen(frame);
        assert.deepEqual(after.slice(after.lastIndexOf('findings')).filter((s) => s !== 'pending').slice(-1), ['clean'], after.join(' -> '));
        assert.ok(!overlaps(clean.box, clean.post), 'the clean chip covers the post button');
      } finally {
        await page.close();
      }
    });
  }

  test('it follows the composer as it grows and as the page moves it, answers Enter and Space, and leaves with it', async () => {
    const editor = byName.textarea;
    const fixture = await shared.open(editor);
    const { frame, page } = fixture;
    try {
      await typePost(fixture, POSTS.warning.text);
      const warned = await waitForChip(frame, editor.editor, (c) => c.state === 'findings', 'findings');
      assert.equal(warned.severity, 'warn');
      assert.equal(warned.icon, 'warn');
      assert.equal(warned.label, say(en, 'chipStatusWarn', warned.words));

      // The composer grows: the chip stays at its foot, still clear of the post button.
      await frame.evaluate((selector) => { document.querySelector(selector).style.height = '260px'; }, editor.editor);
      const grown = await waitForChip(frame, editor.editor, (c) => c.box.top > warned.box.top + 100, 'the chip to follow the resize');
      assert.ok(grown.box.top >= grown.composer.bottom && grown.box.top <= grown.composer.bottom + 12, JSON.stringify(grown));
      assert.ok(!overlaps(grown.box, grown.post));

      // The page moves it without resizing it (content inserted above): the chip follows.
      await frame.evaluate(() => {
        const spacer = document.createElement('div');
        spacer.style.height = '90px';
        document.querySelector('main, #root').prepend(spacer);
      });
      const moved = await waitForChip(frame, editor.editor, (c) => Math.abs(c.box.top - (grown.box.top + 90)) < 2, 'the chip to follow the move');
      assert.ok(!overlaps(moved.box, moved.post));

      // Enter on the focused chip opens the card, as a click does.
      await frame.evaluate(() => document.querySelector('phiguard-ui').shadowRoot.querySelector('[data-phiguard="chip"] button').focus());
      await page.keyboard.press('Enter');
      const card = await waitFor(() => cardInfo(frame), { what: 'the card from Enter' });
      assert.equal(card.category, 'name');
      await page.keyboard.press('Escape');
      await waitFor(async () => !(await cardInfo(frame)), { what: 'the card to close' });
      // And Space.
      await frame.evaluate(() => document.querySelector('phiguard-ui').shadowRoot.querySelector('[data-phiguard="chip"] button').focus());
      await page.keyboard.press('Space');
      assert.equal((await waitFor(() => cardInfo(frame), { what: 'the card from Space' })).category, 'name');
      await page.keyboard.press('Escape');

      // The composer leaves the page: so does its chip.
      await frame.evaluate((selector) => document.querySelector(selector).remove(), editor.editor);
      await waitFor(async () => (await chips(frame, editor.editor)).length === 0, { what: 'the chip to go with its composer' });
    } finally {
      await page.close();
    }
  });

  test('"Not PHI" in the card the chip opened takes the finding off the chip\'s count', async () => {
    const editor = byName.draft;
    const fixture = await shared.open(editor);
    const { frame } = fixture;
    try {
      await typePost(fixture, POSTS.warning.text);
      const warned = await waitForChip(frame, editor.editor, (c) => c.state === 'findings', 'findings');
      assert.equal(warned.severity, 'warn');
      await frame.click('phiguard-ui >> [data-phiguard="chip"] button');
      await waitFor(() => cardInfo(frame), { what: 'the card' });
      await frame.click('phiguard-ui >> .pg-card [data-phiguard="not-phi"]');
      const after = await waitForChip(frame, editor.editor,
        (c) => c.state === 'clean' || (c.state === 'findings' && c.count < warned.count), 'one finding fewer');
      if (warned.count === 1) assert.equal(after.state, 'clean');
    } finally {
      await fixture.page.close();
    }
  });

  test('a toolbar button beside the post button is kept clear of too, when there is room', async () => {
    const editor = byName.textarea;
    const fixture = await shared.open(editor);
    try {
      // status | Emoji | Post, the Emoji button right beside Post, as on the sites' composers.
      await fixture.frame.evaluate(() => {
        document.querySelector('#status').style.flex = '1';
        const emoji = document.createElement('button');
        emoji.type = 'button';
        emoji.id = 'emoji';
        emoji.textContent = 'Emoji';
        document.querySelector('#post').before(emoji);
      });
      await typePost(fixture, POSTS.warning.text);
      const chip = await waitForChip(fixture.frame, editor.editor, (c) => c.state === 'findings', 'findings');
      const emoji = await fixture.frame.evaluate(() => {
        const r = document.querySelector('#emoji').getBoundingClientRect();
        return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
      });
      assert.ok(!overlaps(chip.box, chip.post), 'over the post button');
      assert.ok(!overlaps(chip.box, emoji), `over the toolbar button: ${JSON.stringify({ chip: chip.box, emoji })}`);
      assert.equal(chip.place, 'below');
    } finally {
      await fixture.page.close();
    }
  });

  test('no chip for a search box, nor on a page the extension does not guard', async () => {
    const fixture = await shared.open(byName.textarea);
    try {
      await fixture.frame.evaluate(() => {
        const search = document.createElement('input');
        search.type = 'search';
        search.id = 'site-search';
        document.querySelector('#root').prepend(search);
      });
      await fixture.frame.click('#site-search');
      await fixture.page.keyboard.type(POSTS.blocking.text);
      await new Promise((r) => setTimeout(r, 1200));
      assert.deepEqual(await chips(fixture.frame, '#site-search'), []);
    } finally {
      await fixture.page.close();
    }
    // localhost is not a site the test extension runs on (only 127.0.0.1 is).
    const page = await shared.browser.context.newPage();
    try {
      const url = new URL(shared.server.url('/fixtures/textarea.html'));
      url.hostname = 'localhost';
      await page.goto(url.href);
      await page.waitForFunction(() => window.__fixture?.ready === true);
      await page.click('#composer');
      await page.keyboard.type(POSTS.blocking.text);
      await new Promise((r) => setTimeout(r, 1200));
      assert.equal(await page.evaluate(() => document.querySelector('phiguard-ui')), null);
    } finally {
      await page.close();
    }
  });
});

// The chip's computed look under a colour scheme or forced colours.
function chipLook(frame) {
  return frame.evaluate(() => {
    const chip = document.querySelector('phiguard-ui').shadowRoot.querySelector('[data-phiguard="chip"]');
    const button = chip.querySelector('button');
    const cs = getComputedStyle(button);
    const icon = getComputedStyle(chip.querySelector('.pg-icon'));
    const system = (name) => {
      const probe = document.createElement('span');
      probe.style.color = name;
      document.body.append(probe);
      const value = getComputedStyle(probe).color;
      probe.remove();
      return value;
    };
    return {
      background: cs.backgroundColor, color: cs.color, border: cs.borderTopStyle, borderColor: cs.borderTopColor,
      iconClip: icon.clipPath, iconAdjust: icon.forcedColorAdjust, buttonText: system('ButtonText'), buttonFace: system('ButtonFace'),
    };
  });
}

describe('status chip themes', () => {
  test('light, dark and forced colours; block keeps its shape when colours are forced', async () => {
    const looks = {};
    for (const [name, media] of [['light', { colorScheme: 'light' }], ['dark', { colorScheme: 'dark' }], ['forced', { forcedColors: 'active' }]]) {
      const fixture = await shared.open(byName.prosemirror);
      try {
        await fixture.page.emulateMedia(media);
        await typePost(fixture, POSTS.blocking.text);
        await waitForChip(fixture.frame, byName.prosemirror.editor, (c) => c.state === 'findings', 'findings');
        looks[name] = await chipLook(fixture.frame);
      } finally {
        await fixture.page.close();
      }
    }
    assert.equal(looks.light.background, 'rgb(255, 255, 255)');
    assert.equal(looks.light.color, 'rgb(31, 31, 31)');
    assert.equal(looks.dark.background, 'rgb(41, 42, 45)');
    assert.equal(looks.dark.color, 'rgb(227, 227, 227)');
    assert.equal(looks.forced.background, looks.forced.buttonFace);
    assert.equal(looks.forced.color, looks.forced.buttonText);
    for (const look of Object.values(looks)) {
      assert.equal(look.border, 'double', 'block: a double edge, in every theme');
      assert.match(look.iconClip, /polygon/, 'block: the octagon, in every theme');
      assert.equal(look.iconAdjust, 'none');
    }
  });
});

describe('status chip without a host', () => {
  let browser;
  let server;
  before(async () => {
    server = await fixtureServer();
    browser = await launchBrowser({ host: null });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a check that could not be done says "not checked", not "clean"', async () => {
    const editor = byName.textarea;
    const fixture = await openFixture(browser.context, server, editor);
    try {
      await typePost(fixture, POSTS.blocking.text);
      const chip = await waitForChip(fixture.frame, editor.editor, (c) => c.state === 'unavailable', 'not checked');
      assert.equal(chip.words, say(en, 'chipUnavailable'));
      assert.equal(chip.label, say(en, 'chipStatus', chip.words));
      assert.equal(chip.icon, 'unavailable');
      assert.ok(!overlaps(chip.box, chip.post));
    } finally {
      await fixture.page.close();
    }
  });
});

describe('status chip in Spanish', () => {
  let browser;
  let server;
  before(async () => {
    requireHost();
    server = await fixtureServer();
    browser = await launchBrowser({ args: ['--lang=es'], env: { LANGUAGE: 'es' } });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('its words and accessible name come from the Spanish catalogue', async () => {
    const editor = byName.prosemirror;
    const fixture = await openFixture(browser.context, server, editor);
    try {
      await typePost(fixture, POSTS.blocking.text);
      const found = await waitForChip(fixture.frame, editor.editor, (c) => c.state === 'findings' && c.count >= 2, 'N findings');
      assert.equal(found.words, say(es, 'chipFindingsMany', found.count));
      assert.equal(found.label, say(es, 'chipStatusBlock', found.words));
      await clearPost(fixture);
      const clean = await waitForChip(fixture.frame, editor.editor, (c) => c.state === 'clean', 'clean');
      assert.equal(clean.words, say(es, 'chipClean'));
    } finally {
      await fixture.page.close();
    }
  });
});
