#!/usr/bin/env node
// The screenshots in docs/screenshots/: the composer's status chip (with the composer's foot
// and the post button it keeps clear of), the card (with the underlines it belongs to) and the
// pre-post dialog, in the light theme, the dark theme (prefers-color-scheme: dark) and forced
// colours (forced-colors: active), from the extension and this build's phiguard-host in
// headless Chromium on the textarea fixture. The post holds a blocking SSN and a warned
// name, so both underline shapes show.
//
//   PHIGUARD_HOST=build/release/host/phiguard-host node tests/extension/demo/screenshots.mjs [OUT_DIR]
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser } from '../lib/browser.mjs';
import { EDITORS } from '../lib/fixtures.mjs';
import { openFixture, typePost, waitFor, waitForDialog, waitForUnderlines } from '../lib/page-helpers.mjs';
import { REPO_ROOT } from '../lib/paths.mjs';
import { fixtureServer, requireHost } from '../lib/suite.mjs';

// Made up: the SSN is a valid-looking test number, the name a fixture name.
const POST = 'Visited Maria Gonzalez today, she is recovering from pneumonia.\nFile says SSN 536-22-8741.';
const THEMES = {
  light: { colorScheme: 'light', forcedColors: 'none' },
  dark: { colorScheme: 'dark', forcedColors: 'none' },
  forced: { colorScheme: 'light', forcedColors: 'active' },
};

const out = process.argv[2] ?? join(REPO_ROOT, 'docs', 'screenshots');
mkdirSync(out, { recursive: true });
requireHost();
const server = await fixtureServer();
const browser = await launchBrowser();
const editor = EDITORS.find((e) => e.name === 'textarea');

// The bounding box of our elements matching `selectors` (and the page's matching
// `pageSelectors`), padded, in page coordinates; `above` more on top (for the card: the
// underlined words over the topmost underline).
function box(frame, selectors, pad = 8, above = 0, pageSelectors = []) {
  return frame.evaluate(([list, margin, extra, pageList]) => {
    const root = document.querySelector('phiguard-ui').shadowRoot;
    const rects = [...list.flatMap((s) => [...root.querySelectorAll(s)]), ...pageList.flatMap((s) => [...document.querySelectorAll(s)])]
      .map((el) => el.getBoundingClientRect());
    const left = Math.max(0, Math.min(...rects.map((r) => r.left)) - margin);
    const top = Math.max(0, Math.min(...rects.map((r) => r.top)) - margin - extra);
    return {
      x: left, y: top,
      width: Math.max(...rects.map((r) => r.right)) + margin - left,
      height: Math.max(...rects.map((r) => r.bottom)) + margin - top,
    };
  }, [selectors, pad, above, pageSelectors]);
}

try {
  for (const [name, media] of Object.entries(THEMES)) {
    const fixture = await openFixture(browser.context, server, editor);
    try {
      await fixture.page.emulateMedia(media);
      await typePost(fixture, POST);
      const { lines } = await waitForUnderlines(fixture.frame, ['ssn', 'name']);
      // The chip by the composer's foot, beside the post button; the clip starts 40 px up the
      // composer so the chip's place against its corner shows.
      await waitFor(() => fixture.frame.evaluate(() => document.querySelector('phiguard-ui').shadowRoot
        .querySelector('[data-phiguard="chip"]')?.dataset.state === 'findings'), { what: 'the chip' });
      const chipBox = await box(fixture.frame, ['[data-phiguard="chip"] button'], 10, 40, [editor.post]);
      await fixture.page.screenshot({ path: join(out, `chip-${name}.png`), clip: chipBox });
      const ssn = lines.find((l) => l.category === 'ssn');
      await fixture.page.mouse.move(ssn.left + ssn.width / 2, ssn.top - 6);
      await waitFor(() => fixture.frame.evaluate(() => Boolean(document.querySelector('phiguard-ui').shadowRoot.querySelector('.pg-card'))), { what: 'the card' });
      await fixture.page.screenshot({ path: join(out, `card-${name}.png`), clip: await box(fixture.frame, ['.pg-card', '.pg-underline'], 8, 14) });
      await fixture.page.mouse.move(5, 5);
      await fixture.frame.click(editor.post);
      if (!(await waitForDialog(fixture.frame))) throw new Error('no dialog');
      await fixture.page.screenshot({ path: join(out, `dialog-${name}.png`), clip: await box(fixture.frame, ['.pg-dialog'], 0) });
      console.log(`screenshots: chip-${name}.png, card-${name}.png, dialog-${name}.png`);
    } finally {
      await fixture.page.close();
    }
  }
} finally {
  await browser.close();
  await server.close();
}
