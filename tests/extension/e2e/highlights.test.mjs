// The editors drawn with the Custom Highlight API, in a browser run as a person's is
// (navigator.webdriver false; the other e2e files run automated, where underlines are
// elements). A long post is highlighted only around the part of the composer on screen
// (overlay.js nearBand: Chromium rebuilds every registered Range's markers at each DOM
// change), a finding scrolled into view gets its highlight, and the chip still counts every
// finding of the post, on screen or not.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser } from '../lib/browser.mjs';
import { EDITORS } from '../lib/fixtures.mjs';
import { openFixture, waitFor, waitForState } from '../lib/page-helpers.mjs';
import { fixtureServer, requireHost } from '../lib/suite.mjs';

// Made up: a fixture name, a valid-looking test SSN. The post opens and closes with it, with
// enough harmless paragraphs between for each end to be screens away from the other.
const PHI = 'Patient John Smith (SSN 536-22-8741) was admitted with pneumonia.';
const CLEAN = 'Great shift on the ward today, huge thanks to the night team for covering the floor and the lobby.';
const PARAGRAPHS = [PHI, ...Array(120).fill(CLEAN), PHI];

// The editors whose composers are in their document (not a shadow root) and not a textarea.
const HIGHLIGHTED = EDITORS.filter((e) => ['iframe', 'draft', 'lexical', 'prosemirror', 'quill'].includes(e.name));

let browser;
let server;
before(async () => {
  requireHost();
  server = await fixtureServer();
  browser = await launchBrowser({ automation: false });
});
after(async () => {
  await browser?.close();
  await server?.close();
});

// What is highlighted now: whether the first paragraph's SSN or the last's is (told apart by
// the editor's text nodes' order), how many block or warn highlights there are, and the
// chip's count of findings that block or warn.
function highlighted(frame, selector) {
  return frame.evaluate((editorSelector) => {
    const editor = document.querySelector(editorSelector);
    const nodes = [];
    const walker = document.createTreeWalker(editor, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node);
    const ranges = ['phiguard-block', 'phiguard-warn', 'phiguard-info']
      .flatMap((name) => [...(CSS.highlights.get(name) ?? [])]);
    // The chip counts what blocks or warns.
    const counted = ['phiguard-block', 'phiguard-warn'].reduce((n, name) => n + (CSS.highlights.get(name)?.size ?? 0), 0);
    const ssnIn = (half) => ranges.some((r) => {
      const at = nodes.indexOf(r.startContainer);
      return r.toString() === '536-22-8741' && (half === 'first' ? at < nodes.length / 2 : at >= nodes.length / 2);
    });
    const chip = document.querySelector('phiguard-ui').shadowRoot.querySelector('[data-phiguard="chip"]');
    return { counted, first: ssnIn('first'), last: ssnIn('last'), chip: Number(chip?.dataset.count) };
  }, selector);
}

// Scrolls the paragraph holding the first or last occurrence of the SSN to the middle of
// the composer's window.
function scrollTo(frame, selector, which) {
  return frame.evaluate(([editorSelector, end]) => {
    const walker = document.createTreeWalker(document.querySelector(editorSelector), NodeFilter.SHOW_TEXT);
    const hits = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) if (node.data.includes('536-22-8741')) hits.push(node);
    (end === 'first' ? hits[0] : hits[hits.length - 1]).parentElement.scrollIntoView({ block: 'center' });
  }, [selector, which]);
}

describe('highlights near the part of the composer on screen (issue 16)', () => {
  for (const editor of HIGHLIGHTED) {
    test(`${editor.name}: a far finding has no highlight until it is scrolled into view, and still counts`, async () => {
      const fixture = await openFixture(browser.context, server, editor);
      const { page, frame } = fixture;
      try {
        await frame.click(editor.editor);
        for (const [i, p] of PARAGRAPHS.entries()) {
          if (i > 0) await page.keyboard.press('Enter');
          await page.keyboard.insertText(p);
        }
        assert.equal(await waitForState(frame, 'block', 15000), 'block');
        // The caret is at the end: the last paragraph is on screen, the first far above.
        await scrollTo(frame, editor.editor, 'last');
        const atEnd = await waitFor(async () => {
          const now = await highlighted(frame, editor.editor);
          return now.last && !now.first ? now : null;
        }, { what: `${editor.name}: the last SSN highlighted and not the first` });
        assert.ok(atEnd.chip > atEnd.counted, `the chip counts every finding (${atEnd.chip}), not only the ${atEnd.counted} highlighted`);
        await scrollTo(frame, editor.editor, 'first');
        const atStart = await waitFor(async () => {
          const now = await highlighted(frame, editor.editor);
          return now.first && !now.last ? now : null;
        }, { what: `${editor.name}: after a scroll to the start, the first SSN highlighted and not the last` });
        assert.equal(atStart.chip, atEnd.chip, 'a scroll changes no count');
      } finally {
        await page.close();
      }
    });
  }
});
