#!/usr/bin/env node
// The demo: Chromium with the unpacked extension and this build's phiguard-host on one of
// the bundled composer pages, a post with PHI typed into it, and the warnings showing.
// Headless (the default, and always without a display) it saves a screenshot and prints
// what was underlined; with --headed it leaves the browser open until Ctrl+C.
//
//   node tests/extension/demo/demo.mjs [--editor NAME] [--out FILE.png] [--headed]
//
// scripts/demo.sh builds the host and installs the npm packages first.
import { launchBrowser } from '../lib/browser.mjs';
import { EDITORS } from '../lib/fixtures.mjs';
import { openFixture, typePost, waitForUnderlines } from '../lib/page-helpers.mjs';
import { hostPath } from '../lib/paths.mjs';
import { artifactPath, fixtureServer, requireHost } from '../lib/suite.mjs';

const DEMO_POST = 'Rough night on 4 West. Patient John Smith, DOB 03/14/1962, MRN 00482913, '
  + 'was admitted with pneumonia.\nHis SSN 536-22-8741 is still on the whiteboard in room 412.';
const EXPECTED = ['name', 'ssn'];

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

requireHost();
const server = await fixtureServer();
const browser = await launchBrowser({ headless: !headed });
let keepOpen = false;
try {
  const fixture = await openFixture(browser.context, server, editor);
  await typePost(fixture, DEMO_POST);
  const { ms, lines } = await waitForUnderlines(fixture.frame, EXPECTED, { timeoutMs: 10000 });
  // Hover the first underline so the screenshot shows a card too.
  const first = lines[0];
  await fixture.page.mouse.move(first.left + Math.max(2, first.width / 2), first.top + 1);
  await new Promise((r) => setTimeout(r, 300));
  await fixture.page.screenshot({ path: out });
  console.log(`host: ${hostPath()}`);
  console.log(`editor: ${editor.name} (${server.url(`/fixtures/${editor.name}.html`)})`);
  console.log(`underlines drawn ${ms} ms after the last key:`);
  const byRule = new Map();
  for (const l of lines) byRule.set(l.rule, l);
  for (const [rule, l] of byRule) console.log(`  ${l.category.padEnd(16)} ${rule} (${l.action ?? 'warn'})`);
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
