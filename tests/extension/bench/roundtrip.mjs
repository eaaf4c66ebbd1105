#!/usr/bin/env node
// In-browser round trips. First content script -> service worker -> phiguard-host -> back, measured
// inside the content script's own isolated world (reached over the DevTools protocol, so the
// extension carries no benchmark hook), on the extension's real message path. Prints p50 and
// p99 per post size, next to the host's own scan time; then the native-messaging leg alone
// (service worker <-> host, asked as the extension asks, with rule details once per reply),
// which docs/design.md budgets at p50 <= 2 ms. The last row types into a
// 64 KB post, without PHI and with PHI in every sentence (1,900 findings): each scan sends the
// whole text one character longer (every 64th clears what was typed), as the extension does
// after each pause, and the host rescans around the edit.
//
//   node tests/extension/bench/roundtrip.mjs [--iterations N]
//
// NOTE: the machine is shared (2 cores); run it when nothing else builds for stable numbers.
import { launchBrowser } from '../lib/browser.mjs';
import { isolatedWorld } from '../lib/isolated-world.mjs';
import { hostPath } from '../lib/paths.mjs';
import { fixtureServer, requireHost } from '../lib/suite.mjs';

const iterations = Number(process.argv[process.argv.indexOf('--iterations') + 1]) || 500;
const WARMUP = 50;

const POST = 'Great shift on 4 West today! Huge thanks to the night team for covering. Patient John Smith '
  + '(SSN 536-22-8741) was admitted with pneumonia, call (617) 555-0142 with questions. #nurselife';
const CLEAN = 'Great shift today! Huge thanks to the night team for covering the floor and the lobby. ';
const SIZES = [
  ['tweet-sized post (~200 chars)', POST, false],
  ['1 KB post', `${POST}\n`.repeat(5).slice(0, 1024), false],
  ['8 KB post', `${POST}\n`.repeat(40).slice(0, 8192), false],
  ['typing into 64 KB, no PHI', CLEAN.repeat(800).slice(0, 65536), true],
  ['typing into 64 KB, PHI throughout', `${POST}\n`.repeat(320).slice(0, 65536), true],
];
// The text of scan `i`: the post, or (typing) the post and the first i % 64 typed characters.
const TYPED = 'and then we '.repeat(6);
const textOf = (text, typing, i) => (typing ? text + TYPED.slice(0, i % 64) : text);

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

requireHost();
const server = await fixtureServer();
const browser = await launchBrowser();
try {
  const page = await browser.context.newPage();
  const world = await isolatedWorld(page, browser.extensionId);
  await page.goto(server.url('/fixtures/textarea.html'));
  console.log(`host: ${hostPath()}`);
  console.log(`${iterations} scans per size after ${WARMUP} warm-up scans; times in ms\n`);
  console.log('post size                        round trip p50   p99     host scan p50 (us)');
  for (const [label, text, typing] of SIZES) {
    // The content script's own path: one port per frame, requests matched by rid.
    const result = await world.evaluate(`(async () => {
      const post = ${JSON.stringify(text)};
      const textOf = ${textOf.toString()};
      const TYPED = ${JSON.stringify(TYPED)};
      const port = chrome.runtime.connect({ name: 'phiguard-content' });
      const waiting = new Map();
      port.onMessage.addListener(({ rid, reply }) => waiting.get(rid)?.(reply));
      const scan = (rid) => new Promise((resolve) => {
        waiting.set(rid, resolve);
        port.postMessage({ type: 'scan', text: textOf(post, ${typing}, rid), rid });
      });
      const trips = [];
      const scans = [];
      for (let i = 0; i < ${WARMUP + iterations}; i += 1) {
        const start = performance.now();
        const reply = await scan(i);
        const ms = performance.now() - start;
        if (!reply.ok) throw new Error('scan failed: ' + reply.error);
        if (i >= ${WARMUP}) { trips.push(ms); scans.push(reply.result.scan_us); }
      }
      port.disconnect();
      return { trips, scans };
    })()`);
    const trips = result.trips.sort((a, b) => a - b);
    const scans = result.scans.sort((a, b) => a - b);
    console.log(`${label.padEnd(32)} ${percentile(trips, 50).toFixed(2).padStart(9)}   ${percentile(trips, 99).toFixed(2).padStart(6)}   ${String(percentile(scans, 50)).padStart(12)}`);
  }
  await world.detach();

  // The native-messaging leg alone (docs/design.md's budget: p50 <= 2 ms): a port of its own from
  // the service worker to a second host process, timed there.
  console.log('\nservice worker <-> host only        round trip p50   p99');
  for (const [label, text, typing] of SIZES) {
    const trips = await browser.worker.evaluate(async ({ text, typing, typed, warmup, iterations }) => {
      const textOf = (i) => (typing ? text + typed.slice(0, i % 64) : text);
      const port = chrome.runtime.connectNative('com.phiguard.host');
      let waiting = null;
      port.onMessage.addListener((reply) => waiting?.(reply));
      const ask = (id) => new Promise((resolve) => {
        waiting = resolve;
        port.postMessage({ type: 'scan', id, text: textOf(id), site: 'bench', rule_details: 'once' });
      });
      await ask(0); // the second host starts and loads its cached rules
      const times = [];
      for (let i = 1; i <= warmup + iterations; i += 1) {
        const start = performance.now();
        const reply = await ask(i);
        if (reply.type !== 'result') throw new Error(`scan failed: ${JSON.stringify(reply)}`);
        if (i > warmup) times.push(performance.now() - start);
      }
      port.disconnect();
      return times;
    }, { text, typing, typed: TYPED, warmup: WARMUP, iterations });
    trips.sort((a, b) => a - b);
    console.log(`${label.padEnd(32)} ${percentile(trips, 50).toFixed(2).padStart(9)}   ${percentile(trips, 99).toFixed(2).padStart(6)}`);
  }
} finally {
  await browser.close();
  await server.close();
}
