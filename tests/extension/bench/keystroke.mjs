#!/usr/bin/env node
// Keystroke to underline, per editor (docs/design.md "Budgets": in the page, at most 2 ms of
// extension work per keystroke on a 20 KB post in any editor above the browser's own cost of
// keeping the underlines drawn, which --floor measures; underlines within 400 ms of the last
// keystroke). Each fixture editor is loaded with a 20 KB post that holds PHI (a patient
// paragraph in every four), then single keystrokes are typed at the end of the post and in
// its middle, each after the last one's rescan was drawn. Per keystroke:
//   - moved: key event -> the next paint of the overlay (the underlines shifted to the edit,
//     the composer's layer marked "pending");
//   - drawn: key event -> the paint of the rescan's reply (the layer back to a verdict), or,
//     for a reply that changes nothing on screen, the moment the layer's state is written
//     without a frame (content/overlay.js replied). It includes the 300 ms pause the
//     scheduler waits for (content/scan-scheduler.js).
//     Both are timed in the composer's frame (the key event's timeStamp, performance.now()
//     in a MutationObserver on <phiguard-ui>), so DevTools round trips are not in them;
//   - extension CPU: the CPU time of the page's renderer main thread (/proc schedstat) in the
//     600 ms after a keystroke, with the extension, less the same on a copy of the page the
//     content script does not run on (the fixture served as localhost), same post, same
//     caret, same keys. So it holds all the work the extension adds to the page's thread:
//     its scripts, the layout they force, the style, layout and paint of what they draw.
//     p50 is the difference of the medians; p95 is the 95th percentile with the extension
//     less the median without. A separate pass, without the profiler or the latency probe.
// The browser runs as a person's does (navigator.webdriver false): underlines in
// document-rooted contenteditables are Custom Highlights, textarea and shadow-DOM ones are
// elements. The service worker's and the host's work happen in other processes, not here.
//
//   node tests/extension/bench/keystroke.mjs [--keys N] [--size BYTES] [--editors a,b] [--carets end,middle]
//       [--json] [--top N] [--trace N] [--extension DIR]
//       [--floor [--rounds N] [--reverse] [--levels 0,1,2,3] [--compare NAME=DIR,...]]
//
// --top N profiles the keystrokes once more with the V8 sampling profiler and prints the N
// places in the extension's code that most samples were in, and the ms per keystroke of all
// samples with our code on the stack (shares, mostly: a sample's time is wall-clock time,
// which on a loaded machine includes waiting for a CPU). --carets picks where the keys go. --extension DIR
// measures another copy of extension/ (an older revision's: `git archive REV extension | tar
// -x -C DIR`) with the same fixtures and host, for a before-and-after. --trace N traces the
// keystrokes once more with Chromium's tracing (blink and devtools.timeline categories), on
// the page with the extension and on the one without, and prints the N trace events whose
// own time (less the events inside them) on the page's main thread the extension adds most
// per keystroke: Blink's work (paint, layout, commit) the V8 profile of --top cannot see.
// Wall-clock time on a loaded machine: compare the rows with each other, not with the CPU
// column.
// --floor measures, with the same fixtures, post and CPU method, minimal extensions that do
// the least a composer checker must (floor-extensions.mjs: levels 0-3, from a content script
// that does nothing to one that reads the text, asks its worker and draws 204 underlines
// once), and then ours, each in its own browser, per editor in turn and in alternating order
// over --rounds rounds (default 2), the load average printed before each; the latency probe
// is skipped (it needs our overlay). Its cells pool the rounds' keystrokes. --reverse starts
// from the other order (a second run to pair with a first). --levels picks the floor levels
// measured (default all); --compare NAME=DIR adds other copies of extension/ (as for
// --extension) to the same alternation, each a column named NAME: a before and after, with
// the floor, in one run.
// Prints a table; --json prints the rows as JSON instead. No thresholds: a benchmark, never a
// test (the machine is shared). NOTE: 2 cores; run it when nothing else builds.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchBrowser } from '../lib/browser.mjs';
import { EDITORS } from '../lib/fixtures.mjs';
import { frameOffset, openFixture, waitFor } from '../lib/page-helpers.mjs';
import { hostPath } from '../lib/paths.mjs';
import { fixtureServer, requireHost } from '../lib/suite.mjs';
import { FLOOR_LEVELS, writeFloorExtension } from './floor-extensions.mjs';

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const KEYS = Number(option('--keys', 20));
const SIZE = Number(option('--size', 20 * 1024));
const JSON_OUT = process.argv.includes('--json');
const TOP = Number(option('--top', 0));
const TOP_COSTS = new Map();
const TOP_TOTAL = { ms: 0, keys: 0 }; // --top: the extension's sampled ms, and the keys they were in
const TRACE = Number(option('--trace', 0));
const FLOOR = process.argv.includes('--floor');
const ROUNDS = Number(option('--rounds', 2));
// --reverse: the floor's other order, for a second run that pairs with a first.
const REVERSE = process.argv.includes('--reverse') ? 1 : 0;
const wanted = option('--editors', EDITORS.map((e) => e.name).join(',')).split(',');
// --carets end,middle: where the keystrokes go (default both).
const CARETS = option('--carets', 'end,middle').split(',').filter((c) => c === 'end' || c === 'middle');
const editors = EDITORS.filter((e) => wanted.includes(e.name));
if (!editors.length || !CARETS.length || !(KEYS > 0) || !(SIZE > 0) || !(ROUNDS > 0)) {
  console.error(`usage: keystroke.mjs [--keys N] [--size BYTES] [--editors ${EDITORS.map((e) => e.name).join(',')}] [--json]`);
  process.exit(2);
}

// Made up: a fixture name, a valid-looking test SSN, a 555 number.
const PHI = 'Patient John Smith (SSN 536-22-8741) was admitted with pneumonia, call (617) 555-0142 with questions.';
const CLEAN = [
  'Great shift on the ward today, huge thanks to the night team for covering the floor and the lobby.',
  'Reminder that the blood drive is on Saturday in the main lobby, bring a friend and a snack.',
  'The new coffee machine on the third floor finally works, so there is no excuse to be late for rounds.',
];
// The caret goes here for the keystrokes in the middle of the post.
const MIDDLE = 'Halfway through the week and the unit is calm, which nobody dares to say out loud.';
const TYPED = ' and then we';

// The post as paragraphs: a patient paragraph in every four, MIDDLE halfway with one just
// before it, and one last, so findings are in view at both carets; about SIZE chars.
export function postParagraphs(size = SIZE) {
  const out = [];
  let length = PHI.length + MIDDLE.length + 2;
  for (let i = 0; length < size; i += 1) {
    const p = i % 4 === 1 ? PHI : CLEAN[i % 3];
    out.push(p);
    length += p.length + 1;
  }
  const half = Math.floor(out.length / 2);
  out.splice(half - (half % 4) + 2, 0, MIDDLE); // after a patient paragraph (index 1 mod 4)
  out.push(PHI);
  return out;
}

function percentile(values, p) {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

// In the composer's frame, in the page's own world: the time of every keydown, and every
// change of the composer layer's state, timed when the overlay's paint sets it.
function installProbe() {
  const probe = { keys: [], states: [], waiting: [] };
  window.__keystrokeBench = probe;
  addEventListener('keydown', (event) => probe.keys.push(event.timeStamp), true);
  // { moved, drawn } (ms after keystroke n's keydown) once its rescan is drawn, or null.
  const timesOf = (n) => {
    const key = probe.keys[n - 1];
    if (key === undefined) return null;
    const after = probe.states.filter((s) => s.at >= key);
    const pending = after.findIndex((s) => s.state === 'pending');
    const done = pending >= 0 ? after.slice(pending).find((s) => s.state !== 'pending') : null;
    return done ? { moved: after[pending].at - key, drawn: done.at - key } : null;
  };
  const root = document.querySelector('phiguard-ui').shadowRoot;
  new MutationObserver((records) => {
    const at = performance.now();
    for (const r of records) {
      if (r.target.matches?.('.pg-layer[data-composer]')) probe.states.push({ at, state: r.target.dataset.state });
    }
    probe.waiting = probe.waiting.filter(({ n, resolve }) => {
      const times = timesOf(n);
      if (times) resolve(times);
      return !times;
    });
  }).observe(root, { subtree: true, attributes: true, attributeFilter: ['data-state'] });
  // Resolves with keystroke n's { moved, drawn } once its rescan is drawn.
  probe.settled = (n) => new Promise((resolve, reject) => {
    const times = timesOf(n);
    if (times) resolve(times);
    else probe.waiting.push({ n, resolve });
    setTimeout(() => reject(new Error(`keystroke ${n}: no rescan drawn within 15 s`)), 15000);
  });
}

// The composer's layer says what PHI Guard thinks of the text now.
const layerState = (frame) => frame.evaluate(() => document.querySelector('phiguard-ui')?.shadowRoot
  ?.querySelector('.pg-layer[data-composer]')?.dataset.state ?? null);

// Types the post in as paragraphs; with the extension, waits until it was checked (a floor
// extension: until it has its first reply and drew it, for the levels that ask and draw).
async function fill(fixture, paragraphs, guarded = true, floor = null) {
  const { page, frame, editor } = fixture;
  await frame.click(editor.editor);
  for (const [i, p] of paragraphs.entries()) {
    if (i > 0) await page.keyboard.press('Enter');
    await page.keyboard.insertText(p);
  }
  if (!guarded) return;
  if (floor !== null) {
    const ready = (what) => waitFor(() => frame.evaluate(({ level, key }) => {
      const data = document.documentElement.dataset;
      return data.phiguardFloor === String(level) && (key === null || data[key] === '1');
    }, { level: floor, key: what }), { timeoutMs: 30000, what: `${editor.name}: floor ${floor} ${what ?? 'loaded'}` });
    await ready(floor >= 2 ? 'phiguardFloorReady' : null);
    if (floor >= 3) {
      // Drawn once, for the whole post (floor-extensions.mjs).
      await frame.evaluate(() => dispatchEvent(new Event('phiguard-floor-draw')));
      await ready('phiguardFloorDrawn');
    }
    return;
  }
  await waitFor(async () => {
    const state = await layerState(frame);
    return state === 'block' || state === 'warn';
  }, { timeoutMs: 30000, what: `${editor.name}: the 20 KB post checked` });
}

// Puts the caret at the end of the post, or at the end of the MIDDLE paragraph.
async function placeCaret(fixture, where) {
  const { page, frame, editor } = fixture;
  if (where === 'end') {
    await frame.click(editor.editor);
    await page.keyboard.press('Control+End');
    return;
  }
  const isTextarea = await frame.locator(editor.editor).first().evaluate((el) => el.nodeName === 'TEXTAREA');
  if (isTextarea) {
    await frame.locator(editor.editor).first().evaluate((el, marker) => {
      const at = el.value.indexOf(marker) + marker.length;
      el.focus();
      el.setSelectionRange(at, at);
    }, MIDDLE);
    return;
  }
  // A click on the paragraph's last word, then End: as a person puts the caret there.
  const point = await frame.locator(editor.editor).first().evaluate((el, marker) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.data.indexOf(marker);
      if (at < 0) continue;
      node.parentElement.scrollIntoView({ block: 'center' });
      const range = document.createRange();
      range.setStart(node, at + marker.length - 4);
      range.setEnd(node, at + marker.length - 2);
      const r = range.getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    }
    return null;
  }, MIDDLE);
  if (!point) throw new Error(`${editor.name}: the middle paragraph was not found`);
  const offset = await frameOffset(fixture);
  await page.mouse.click(point.x + offset.x, point.y + offset.y);
  await page.keyboard.press('End');
}

// The id of the renderer process that runs the fixture page (its main thread has the same
// id), seen in a moment of tracing: the page is made to lay out, and the Layout event names
// its frame and process. null when it cannot be told.
async function rendererPid(cdp, page) {
  const events = [];
  const collect = ({ value }) => events.push(...value);
  cdp.on('Tracing.dataCollected', collect);
  const complete = new Promise((done) => cdp.once('Tracing.tracingComplete', done));
  await cdp.send('Tracing.start', { transferMode: 'ReportEvents', traceConfig: { includedCategories: ['devtools.timeline'] } });
  await page.evaluate(() => {
    document.body.style.setProperty('min-height', '1px');
    void document.body.offsetHeight;
    document.body.style.removeProperty('min-height');
    void document.body.offsetHeight;
  });
  await cdp.send('Tracing.end');
  await complete;
  cdp.off('Tracing.dataCollected', collect);
  const { frameTree } = await cdp.send('Page.getFrameTree');
  return events.find((e) => e.name === 'Layout' && e.args?.beginData?.frame === frameTree.frame.id)?.pid ?? null;
}

// Milliseconds the thread has run on a CPU (/proc's schedstat, in ns), or null.
function threadCpuMs(pid) {
  try {
    return Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return null;
  }
}

const pause = (ms) => new Promise((r) => setTimeout(r, ms));
// Long enough for the rescan of a keystroke to be drawn (drawn p95 above), and then some.
const CPU_WINDOW_MS = 600;

// `keys` keystrokes where the caret is, each after the last one's rescan was drawn:
// { moved, drawn } per keystroke.
async function timeKeys(fixture, keys) {
  const { page, frame } = fixture;
  const moved = [];
  const drawn = [];
  let n = await frame.evaluate(() => window.__keystrokeBench.keys.length);
  for (let i = 0; i < keys; i += 1) {
    n += 1;
    const settled = frame.evaluate((k) => window.__keystrokeBench.settled(k), n);
    await page.keyboard.type(TYPED[i % TYPED.length]);
    const times = await settled;
    moved.push(times.moved);
    drawn.push(times.drawn);
    await pause(50);
  }
  return { moved, drawn };
}

// `keys` keystrokes where the caret is: the page thread's CPU milliseconds in the window
// after each.
async function cpuPerKey(fixture, pid, keys) {
  const out = [];
  for (let i = 0; i < keys; i += 1) {
    const before = threadCpuMs(pid);
    await fixture.page.keyboard.type(TYPED[i % TYPED.length]);
    await pause(CPU_WINDOW_MS);
    const after = threadCpuMs(pid);
    if (before !== null && after !== null) out.push(after - before);
  }
  return out;
}

// `keys` keystrokes under the sampling profiler, for --top: the samples are tallied in TOP_COSTS.
async function profileKeys(fixture, cdp, keys, extensionUrl) {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  for (let i = 0; i < keys; i += 1) {
    await cdp.send('Profiler.start');
    await fixture.page.keyboard.type(TYPED[i % TYPED.length]);
    await pause(CPU_WINDOW_MS);
    const { profile } = await cdp.send('Profiler.stop');
    TOP_TOTAL.ms += sampledMs(profile, extensionUrl).extension;
    TOP_TOTAL.keys += 1;
  }
  await cdp.send('Profiler.disable');
}

// `keys` keystrokes under Chromium's tracing: Map(event name -> milliseconds of its own time
// on the main thread of process `pid`, per keystroke).
async function tracedKeys(fixture, cdp, pid, keys) {
  const events = [];
  const collect = ({ value }) => events.push(...value);
  cdp.on('Tracing.dataCollected', collect);
  const complete = new Promise((done) => cdp.once('Tracing.tracingComplete', done));
  await cdp.send('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: { includedCategories: ['blink', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'cc', 'toplevel'] },
  });
  for (let i = 0; i < keys; i += 1) {
    await fixture.page.keyboard.type(TYPED[i % TYPED.length]);
    await pause(CPU_WINDOW_MS);
  }
  await cdp.send('Tracing.end');
  await complete;
  cdp.off('Tracing.dataCollected', collect);
  return selfTimes(events.filter((e) => e.pid === pid && e.tid === pid), keys);
}

// Map(name -> ms per keystroke) of the events' own time: each event's duration less that of
// the events directly inside it. Complete events (X) and begin/end pairs (B/E) nest.
export function selfTimes(events, keys) {
  const spans = [];
  const open = [];
  for (const e of [...events].sort((a, b) => a.ts - b.ts)) {
    if (e.ph === 'X') spans.push({ name: e.name, start: e.ts, end: e.ts + (e.dur ?? 0) });
    else if (e.ph === 'B') open.push(e);
    else if (e.ph === 'E' && open.length) {
      const begin = open.pop();
      spans.push({ name: begin.name, start: begin.ts, end: e.ts });
    }
  }
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const own = new Map();
  const stack = [];
  for (const span of spans) {
    while (stack.length && stack[stack.length - 1].end <= span.start) stack.pop();
    const us = span.end - span.start;
    own.set(span.name, (own.get(span.name) ?? 0) + us / 1000 / keys);
    const parent = stack[stack.length - 1];
    if (parent) own.set(parent.name, own.get(parent.name) - us / 1000 / keys);
    stack.push(span);
  }
  return own;
}

// Milliseconds of samples with one of the extension's functions on the stack, and of all
// samples but idle ones.
export function sampledMs(profile, extensionUrl) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const inExtension = new Map();
  const ours = (id) => {
    if (inExtension.has(id)) return inExtension.get(id);
    const node = byId.get(id);
    const result = Boolean(node) && (node.callFrame.url.startsWith(extensionUrl) ||
      (parent.has(id) && ours(parent.get(id))));
    inExtension.set(id, result);
    return result;
  };
  let extension = 0;
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    if (byId.get(id)?.callFrame.functionName !== '(idle)') busy += delta;
    if (!ours(id)) return;
    extension += delta;
    if (TOP) {
      // The deepest of our frames, and what it was running (a DOM call, layout...).
      let node = byId.get(id);
      const leaf = node.callFrame.functionName || node.callFrame.url.split('/').pop() || '(anonymous)';
      while (!node.callFrame.url.startsWith(extensionUrl)) node = byId.get(parent.get(node.id));
      const where = `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.slice(extensionUrl.length)}:${node.callFrame.lineNumber + 1}`;
      const key = leaf === node.callFrame.functionName ? where : `${where} > ${leaf}`;
      TOP_COSTS.set(key, (TOP_COSTS.get(key) ?? 0) + delta / 1000);
    }
  });
  return { extension: extension / 1000, busy: busy / 1000 };
}

// The same fixture page on localhost, where the test extension's content script does not
// run (its copy of the manifest adds http://127.0.0.1/* only): the page's own cost.
async function openUnguarded(context, server, editor) {
  const page = await context.newPage();
  await page.goto(server.url(`/fixtures/${editor.name}.html`).replace('127.0.0.1', 'localhost'));
  await page.waitForFunction(() => window.__fixture?.ready === true);
  const frame = editor.frame ? await (await page.waitForSelector(editor.frame)).contentFrame() : page.mainFrame();
  await frame.waitForSelector(editor.editor);
  return { page, frame, editor };
}

// floor: the level of the floor extension the browser runs (null: ours). latency: time the
// keystroke to underline too (our overlay only).
async function benchEditor(browser, server, editor, { floor = null, latency = floor === null } = {}) {
  const guarded = await openFixture(browser.context, server, editor);
  const plain = await openUnguarded(browser.context, server, editor);
  const cdp = await browser.context.newCDPSession(guarded.page);
  const plainCdp = await browser.context.newCDPSession(plain.page);
  try {
    await plain.page.bringToFront();
    await fill(plain, postParagraphs(), false);
    await guarded.page.bringToFront();
    await fill(guarded, postParagraphs(), true, floor);
    if (await plain.frame.evaluate(() => Boolean(document.querySelector('phiguard-ui') || document.documentElement.dataset.phiguardFloor))) {
      throw new Error(`${editor.name}: the content script ran on the localhost copy`);
    }
    if (latency) await guarded.frame.evaluate(installProbe);
    const pids = [await rendererPid(cdp, guarded.page), await rendererPid(plainCdp, plain.page)];
    const textLength = await guarded.frame.locator(editor.editor).first().evaluate((el) => (el.value ?? el.innerText).length);
    const rows = [];
    for (const where of CARETS) {
      // A page in the background gets no animation frames: each is brought to the front
      // before it is typed into.
      await plain.page.bringToFront();
      await placeCaret(plain, where);
      await guarded.page.bringToFront();
      await placeCaret(guarded, where);
      const timed = latency ? await timeKeys(guarded, KEYS) : { moved: [], drawn: [] };
      // Alternated, so a change in the machine's load falls on both alike.
      const withExtension = [];
      const without = [];
      for (let round = 0; round < 2; round += 1) {
        await guarded.page.bringToFront();
        withExtension.push(...await cpuPerKey(guarded, pids[0], Math.ceil(KEYS / 2)));
        await plain.page.bringToFront();
        without.push(...await cpuPerKey(plain, pids[1], Math.ceil(KEYS / 2)));
      }
      await guarded.page.bringToFront();
      if (TOP) {
        await profileKeys(guarded, cdp, KEYS, `chrome-extension://${browser.extensionId}/`);
        console.log(`  V8 samples, ${editor.name}, ${where} caret:`);
        printTop();
      }
      let traced = null;
      if (TRACE) {
        const withTimes = await tracedKeys(guarded, cdp, pids[0], KEYS);
        await plain.page.bringToFront();
        const withoutTimes = await tracedKeys(plain, plainCdp, pids[1], KEYS);
        await guarded.page.bringToFront();
        traced = [...new Set([...withTimes.keys(), ...withoutTimes.keys()])]
          .map((name) => ({ name, with: withTimes.get(name) ?? 0, without: withoutTimes.get(name) ?? 0 }))
          .sort((a, b) => (b.with - b.without) - (a.with - a.without)).slice(0, TRACE);
      }
      const drawer = await guarded.frame.evaluate(() => (document.querySelector('phiguard-ui')?.shadowRoot
        .querySelector('.pg-underline') || document.querySelector('phiguard-floor-ui')
        ? 'elements' : CSS.highlights.size ? 'highlights' : 'none'));
      const base = percentile(without, 50);
      const mean = (list) => list.reduce((a, b) => a + b, 0) / list.length;
      rows.push({
        editor: editor.name, caret: where, chars: textLength, drawer, keys: KEYS,
        movedP50: percentile(timed.moved, 50), movedP95: percentile(timed.moved, 95),
        drawnP50: percentile(timed.drawn, 50), drawnP95: percentile(timed.drawn, 95),
        cpuP50: percentile(withExtension, 50) - base, cpuP95: percentile(withExtension, 95) - base,
        cpuMean: mean(withExtension) - mean(without), pageP50: base,
        ...(FLOOR ? { withMs: withExtension, withoutMs: without } : {}),
        ...(traced ? { traced } : {}),
      });
    }
    return rows;
  } finally {
    await cdp.detach().catch(() => {});
    await plainCdp.detach().catch(() => {});
    await guarded.page.close();
    await plain.page.close();
  }
}

const HEADER = 'editor       caret   chars  underlines  moved p50/p95 ms   drawn p50/p95 ms   extension CPU/key p50/p95 (mean) ms   page alone CPU/key p50 ms';

function printRows(rows) {
  const f = (v) => (Number.isFinite(v) ? v.toFixed(v < 10 ? 2 : 0) : '–');
  for (const r of rows) {
    console.log(`${r.editor.padEnd(12)} ${r.caret.padEnd(7)} ${String(r.chars).padStart(5)}  ${r.drawer.padEnd(10)}  `
      + `${`${f(r.movedP50)} / ${f(r.movedP95)}`.padEnd(17)}  ${`${f(r.drawnP50)} / ${f(r.drawnP95)}`.padEnd(17)}  `
      + `${`${f(r.cpuP50)} / ${f(r.cpuP95)} (${f(r.cpuMean)})`.padEnd(36)}  ${f(r.pageP50)}`);
    for (const t of r.traced ?? []) {
      console.log(`    ${f(t.with - t.without).padStart(5)} ms/key more (${f(t.with)} with, ${f(t.without)} without)  ${t.name}`);
    }
  }
}

// --top's tally: the places with most samples, as shares, printed and cleared.
function printTop() {
  if (!TOP) return;
  const total = [...TOP_COSTS.values()].reduce((a, b) => a + b, 0);
  if (TOP_TOTAL.keys) {
    console.log(`    (${(TOP_TOTAL.ms / TOP_TOTAL.keys).toFixed(2)} ms of samples with our code on the stack per keystroke, wall-clock)`);
  }
  TOP_TOTAL.ms = 0;
  TOP_TOTAL.keys = 0;
  for (const [where, ms] of [...TOP_COSTS].sort((a, b) => b[1] - a[1]).slice(0, TOP)) {
    console.log(`    ${(100 * ms / total).toFixed(1).padStart(5)} %  ${where}`);
  }
  TOP_COSTS.clear();
}

async function ordinaryRun(server) {
  const EXTENSION = option('--extension', undefined);
  const browser = await launchBrowser({ automation: false, extension: EXTENSION && resolve(EXTENSION) });
  try {
    if (!JSON_OUT) {
      console.log(`host: ${hostPath()}${EXTENSION ? `\nextension: ${resolve(EXTENSION)}` : ''}`);
      console.log(`${KEYS} keystrokes per caret position and pass, post of ${SIZE} chars; "drawn" includes the 300 ms pause before a scan\n`);
      console.log(HEADER);
    }
    const rows = [];
    for (const editor of editors) {
      const editorRows = await benchEditor(browser, server, editor);
      rows.push(...editorRows);
      if (!JSON_OUT) printRows(editorRows);
      printTop();
    }
    if (JSON_OUT) console.log(JSON.stringify(rows, null, 2));
  } finally {
    await browser.close();
  }
}

// --floor: each floor level and ours in a browser of its own, editor by editor, the order
// reversed every other time so a change of load falls on all alike; the keystrokes of all
// rounds pooled per extension, editor and caret.
async function floorRun(server) {
  const dir = mkdtempSync(join(tmpdir(), 'phiguard-floor-'));
  const EXTENSION = option('--extension', undefined);
  const levels = option('--levels', FLOOR_LEVELS.join(',')).split(',').map(Number).filter((l) => FLOOR_LEVELS.includes(l));
  // --compare NAME=DIR,...: more copies of extension/ measured as ours is, in the same
  // alternation (a before and after in one run).
  const compared = option('--compare', '').split(',').filter(Boolean).map((pair) => {
    const [name, path] = pair.split('=');
    return { name, floor: null, extension: resolve(path) };
  });
  const variants = [
    ...levels.map((level) => ({ name: `floor ${level}`, floor: level, extension: writeFloorExtension(dir, level) })),
    ...compared,
    { name: 'ours', floor: null, extension: EXTENSION && resolve(EXTENSION) },
  ];
  const pooled = new Map(); // `${editor}/${caret}` -> { editor, caret, chars, cells: { name -> { with, without, drawer } } }
  const loads = [];
  const log = (line) => (JSON_OUT ? console.error(line) : console.log(line));
  log(`host: ${hostPath()}${EXTENSION ? `\nextension: ${resolve(EXTENSION)}` : ''}`);
  log(`floor: ${ROUNDS} rounds of ${KEYS} keystrokes per caret position, extension and pass, post of ${SIZE} chars`);
  try {
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const [e, editor] of editors.entries()) {
        const order = (round + e + REVERSE) % 2 ? [...variants].reverse() : variants;
        for (const variant of order) {
          const load = loadavg();
          loads.push(load[0]);
          log(`  round ${round + 1}, ${editor.name}, ${variant.name}: load average ${load.map((l) => l.toFixed(2)).join(' ')}`);
          const browser = await launchBrowser({
            automation: false, extension: variant.extension, host: variant.floor === null ? hostPath() : null,
          });
          let rows;
          try {
            rows = await benchEditor(browser, server, editor, { floor: variant.floor, latency: false });
          } finally {
            await browser.close();
          }
          printTop();
          for (const r of rows) {
            for (const t of r.traced ?? []) {
              log(`    ${r.caret}: ${(t.with - t.without).toFixed(2).padStart(6)} ms/key more (${t.with.toFixed(2)} with, ${t.without.toFixed(2)} without)  ${t.name}`);
            }
            const key = `${r.editor}/${r.caret}`;
            if (!pooled.has(key)) pooled.set(key, { editor: r.editor, caret: r.caret, chars: r.chars, cells: {} });
            const cell = pooled.get(key).cells[variant.name] ??= { with: [], without: [], drawer: r.drawer };
            cell.with.push(...r.withMs);
            cell.without.push(...r.withoutMs);
          }
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const rows = [...pooled.values()].map((row) => ({
    ...row,
    cells: Object.fromEntries(Object.entries(row.cells).map(([name, c]) => {
      const base = percentile(c.without, 50);
      return [name, { drawer: c.drawer, keys: c.with.length, cpuP50: percentile(c.with, 50) - base, cpuP95: percentile(c.with, 95) - base, pageP50: base }];
    })),
  }));
  const sortedLoads = [...loads].sort((a, b) => a - b);
  const load = { min: sortedLoads[0], p50: percentile(loads, 50), max: sortedLoads[sortedLoads.length - 1] };
  if (JSON_OUT) {
    console.log(JSON.stringify({ load, rows }, null, 2));
    return;
  }
  const f = (v) => (Number.isFinite(v) ? v.toFixed(Math.abs(v) < 10 ? 2 : 0) : '–');
  const names = variants.map((v) => v.name);
  console.log(`\nextension CPU per keystroke p50 / p95 ms (page alone p50 in brackets); load average min ${f(load.min)}, p50 ${f(load.p50)}, max ${f(load.max)}`);
  console.log(`editor       caret   ${names.map((n) => n.padEnd(22)).join('')}ours draws`);
  for (const row of rows) {
    const cells = names.map((n) => {
      const c = row.cells[n];
      return (c ? `${f(c.cpuP50)} / ${f(c.cpuP95)} (${f(c.pageP50)})` : '–').padEnd(22);
    });
    console.log(`${row.editor.padEnd(12)} ${row.caret.padEnd(7)} ${cells.join('')}${row.cells.ours?.drawer ?? ''}`);
  }
}

requireHost();
const server = await fixtureServer();
try {
  await (FLOOR ? floorRun(server) : ordinaryRun(server));
} finally {
  await server.close();
}
