#!/usr/bin/env node
// The demo: Chromium with the unpacked extension and this build's phiguard-host on one of
// the bundled composer pages, a post with PHI typed into it, and the warnings showing as a
// user sees them. The browser runs as a person's does (navigator.webdriver false), so the
// underlines are what users get: Custom Highlights on the editor's own text where the
// browser has them, drawn elements in textareas and shadow DOM (overlay.js); the tests see
// elements everywhere instead. The pointer then rests on the first finding, so its card
// shows too (in the iframe page as well: the pointer is moved in the page's coordinates).
// Headless (the default, and always without a display) it saves a screenshot and prints what
// was found; with --headed it leaves the browser open until Ctrl+C.
//
//   node tests/extension/demo/demo.mjs [--editor NAME] [--out FILE.png] [--headed]
//
// scripts/demo.sh builds the release host when it is missing and installs the npm packages.
import { launchBrowser } from '../lib/browser.mjs';
import { EDITORS } from '../lib/fixtures.mjs';
import { frameOffset, openFixture, typePost, waitFor } from '../lib/page-helpers.mjs';
import { hostPath } from '../lib/paths.mjs';
import { artifactPath, fixtureServer, requireHost } from '../lib/suite.mjs';

const DEMO_POST = 'Rough night on 4 West. Patient John Smith, DOB 03/14/1962, MRN 00482913, '
  + 'was admitted with pneumonia.\nHis SSN 536-22-8741 is still on the whiteboard in room 412.';

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const editorName = option('--editor', 'lexical');
const editor = EDITORS.find((e) => e.name === editorName);
if (!editor) {
  console.error(`demo: no fixture editor "${editorName}"; choose one of ${EDITORS.map((e) => e.name).join(', ')}`);
  process.exit(2);
}
const headed = process.argv.includes('--headed') && Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
if (process.argv.includes('--headed') && !headed) console.error('demo: no display, running headless');
const out = option('--out', artifactPath(`demo-${editor.name}.png`));

// What the extension drew in the composer's frame: highlights (per action, with the viewport
// rect of each range) and underline elements, the chip, and the card if one is open. Counts
// and rects only: the demo prints no text of the post.
function drawn(frame) {
  return frame.evaluate(() => {
    const root = document.querySelector('phiguard-ui')?.shadowRoot;
    const rect = (r) => ({ left: r.left, top: r.top, width: r.width, height: r.height });
    const marks = [];
    for (const action of ['block', 'warn', 'info']) {
      for (const range of CSS.highlights?.get(`phiguard-${action}`) ?? []) {
        const r = range.getClientRects()[0];
        if (r) marks.push({ how: 'highlight', action, ...rect(r) });
      }
    }
    for (const el of root?.querySelectorAll('.pg-underline') ?? []) {
      // An underline element lies under its text: point at the text just above it.
      const r = el.getBoundingClientRect();
      marks.push({ how: 'element', action: el.dataset.action, left: r.left, top: r.top - 8, width: r.width, height: 8 });
    }
    const chip = root?.querySelector('[data-phiguard="chip"]');
    const card = root?.querySelector('.pg-card');
    return {
      state: root?.querySelector('.pg-layer[data-composer]')?.dataset.state ?? null,
      marks,
      chip: chip ? { state: chip.dataset.state, count: Number(chip.dataset.count), words: chip.textContent } : null,
      card: card ? { rule: card.dataset.rule, category: card.dataset.category, action: card.dataset.action } : null,
    };
  });
}

requireHost();
const server = await fixtureServer();
const browser = await launchBrowser({ headless: !headed, automation: false });
let keepOpen = false;
try {
  const fixture = await openFixture(browser.context, server, editor);
  await typePost(fixture, DEMO_POST);
  const typed = Date.now();
  const shown = await waitFor(async () => {
    const now = await drawn(fixture.frame);
    return now.state === 'block' && now.chip?.state === 'findings' && now.marks.length ? now : null;
  }, { timeoutMs: 10000, what: 'the warnings' });
  const ms = Date.now() - typed;
  // Rest the pointer on the first finding (page coordinates: the iframe's offset added), so
  // the screenshot shows its card too.
  const first = shown.marks[0];
  const offset = await frameOffset(fixture);
  await fixture.page.mouse.move(offset.x + first.left + Math.max(2, first.width / 2), offset.y + first.top + first.height / 2);
  const { card } = await waitFor(async () => {
    const now = await drawn(fixture.frame);
    return now.card ? now : null;
  }, { timeoutMs: 5000, what: 'the card' });
  await fixture.page.screenshot({ path: out });
  const counts = ['block', 'warn', 'info'].map((a) => [a, shown.marks.filter((m) => m.action === a).length]).filter(([, n]) => n);
  console.log(`host: ${hostPath()}`);
  console.log(`editor: ${editor.name} (${server.url(`/fixtures/${editor.name}.html`)})`);
  console.log(`drawn as ${[...new Set(shown.marks.map((m) => `${m.how}s`))].join(' and ')}, ${ms} ms after the last key: `
    + counts.map(([a, n]) => `${n} ${a}`).join(', '));
  console.log(`chip: ${shown.chip.words}`);
  console.log(`card under the pointer: ${card.rule} (${card.category}, ${card.action})`);
  console.log(`screenshot: ${out}`);
  if (headed) {
    keepOpen = true;
    console.log('The browser stays open: type in the composer, press Post; Ctrl+C ends the demo.');
    await new Promise((resolve) => {
      process.once('SIGINT', resolve);
      browser.context.once('close', resolve);
    });
  }
} finally {
  if (keepOpen) console.log('closing');
  await browser.close();
  await server.close();
}
