// Headless Chromium without the extension, for unit tests that need a real DOM: the module
// under test is imported by the page from the fixture server's /ext/ (extension/ itself).
// A real engine rather than a DOM in Node: Range, TreeWalker and layout behave as they do for
// users, and jsdom's current release needs a newer Node than Debian 12 ships.
import { chromium } from 'playwright-core';
import { CHROMIUM } from './paths.mjs';

export async function launchPlain() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: false,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-extensions'],
  });
}
