// The floor of the keystroke benchmark (keystroke.mjs --floor, docs/performance.md "In the
// page: the floor"): minimal MV3 extensions that do the least any composer checker must do,
// so the bench's CPU-per-keystroke measure can be read against what it gives for them. Each
// has our manifest's content-script entry (the same matches, all frames, match_origin_as_fallback,
// run_at), a service worker, and no host. Levels, each the one before plus one thing:
//   0: a content script that does nothing per keystroke (the harness's own difference
//      between the page it runs on and the copy it does not);
//   1: reads the composer's whole text (value, or textContent) at each edit: `input` in a
//      field, a MutationObserver on a contenteditable (see below why);
//   2: posts a 40-char edit to the service worker on a runtime Port 300 ms after the last
//      input (as content/scan-scheduler.js does), and receives a reply of our reply's size
//      (204 findings as objects, rule details once: what a 20 KB fixture post gets), drawing
//      nothing;
//   3: once the post is in (the bench says when), registers its findings once as a CSS Custom Highlight
//      (document-rooted contenteditables) or as absolutely positioned elements in a shadow
//      root (textarea, and a contenteditable inside shadow DOM), as our overlay draws them,
//      and updates nothing per key.
// Every level marks the composer's document once when loaded (and levels 2 and 3 once when
// ready) so the bench can tell it ran; never per keystroke.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXTENSION_DIR } from '../lib/paths.mjs';

export const FLOOR_LEVELS = [0, 1, 2, 3];
// What the real host finds in the bench's 20 KB post (overlay.js: 204 findings).
const FINDINGS = 204;

// Runs in the page's isolated world, in every frame. Serialised into content.js, so it may
// use nothing from this module.
function floorContent(level) {
  const root = document.documentElement;
  root.dataset.phiguardFloor = String(level);
  if (level < 1) return;
  // The composer edited last (events from a shadow root arrive retargeted: composedPath).
  let composer = null;
  let text = '';
  let port = null;
  let timer = 0;
  let drawAfterReply = false;
  // A field's edits fire `input`; a contenteditable's are watched by a MutationObserver,
  // attached when it gets focus, because some editors insert the text themselves after
  // cancelling beforeinput and fire no `input` (Lexical: the bench's first try waited in vain).
  addEventListener('input', (event) => {
    const target = event.composedPath()[0];
    if (target.value !== undefined) edited(target);
  }, true);
  let observed = null;
  const observer = new MutationObserver(() => edited(observed));
  addEventListener('focusin', (event) => {
    let host = event.composedPath()[0];
    if (!host?.isContentEditable) return;
    while (host.parentElement?.isContentEditable) host = host.parentElement;
    if (host === observed) return;
    observer.disconnect();
    observed = host;
    observer.observe(host, { childList: true, characterData: true, subtree: true });
  }, true);

  function edited(element) {
    composer = element;
    text = element.value ?? element.textContent;
    if (level < 2) return;
    clearTimeout(timer);
    timer = setTimeout(send, 300);
  }

  // The bench asks for the drawing once the whole post is in (a reply while it is typed in
  // would hold findings for part of it only): a scan of the text now, drawn when it answers.
  if (level >= 3) {
    addEventListener('phiguard-floor-draw', () => {
      drawAfterReply = true;
      send();
    }, { once: true });
  }

  function send() {
    if (!port) {
      port = chrome.runtime.connect({ name: 'phiguard-floor' });
      port.onMessage.addListener(({ reply }) => {
        if (drawAfterReply) draw(reply.result.findings);
        root.dataset.phiguardFloorReady ||= '1'; // written once: `||=` does not write a set one
      });
    }
    port.postMessage({ type: 'scan', rid: Date.now(), length: text.length, edit: { start: Math.max(0, text.length - 40), text: text.slice(-40) } });
  }

  // Once: the findings' spans as ranges, drawn as our overlay draws them, never touched again.
  function draw(findings) {
    drawAfterReply = false;
    const inShadow = composer.getRootNode() !== document;
    const isField = composer.value !== undefined;
    const ranges = isField ? [] : rangesOf(composer, findings);
    if (!isField && !inShadow && globalThis.CSS?.highlights) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync('::highlight(phiguard-floor) { text-decoration: underline wavy #e37400; text-decoration-thickness: 2px; text-decoration-skip-ink: none; }');
      document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
      CSS.highlights.set('phiguard-floor', new Highlight(...ranges));
    } else {
      // Elements where the spans were, or, in a textarea (no ranges), a grid over its box.
      const box = composer.getBoundingClientRect();
      const rects = isField
        ? findings.map((_, i) => ({ left: box.left + (i % 5) * (box.width / 5), top: box.top + 16 + Math.floor(i / 5) * 18, width: box.width / 6 }))
        : ranges.map((r) => r.getBoundingClientRect());
      const host = document.createElement('phiguard-floor-ui');
      const shadow = host.attachShadow({ mode: 'open' });
      const layer = document.createElement('div');
      layer.style.cssText = 'position:absolute;left:0;top:0;width:0;height:0;pointer-events:none;';
      for (const r of rects) {
        const line = document.createElement('div');
        line.style.cssText = `position:absolute;left:${r.left + scrollX}px;top:${r.top + scrollY + (r.height ?? 14) - 2}px;width:${r.width}px;height:2px;background:#e37400;`;
        layer.append(line);
      }
      shadow.append(layer);
      root.append(host);
    }
    root.dataset.phiguardFloorDrawn = '1';
  }

  function rangesOf(element, spans) {
    const out = [];
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    let node = walker.nextNode();
    let base = 0;
    for (const { start, end } of spans) {
      while (node && base + node.data.length <= start) {
        base += node.data.length;
        node = walker.nextNode();
      }
      if (!node) break;
      const range = document.createRange();
      range.setStart(node, start - base);
      range.setEnd(node, Math.min(end - base, node.data.length));
      out.push(range);
    }
    return out;
  }
}

// The service worker: answers each scan with findings spread over the text, in our reply's
// shape (background/content-handlers.js, rule_details once: docs/protocol.md).
function floorWorker(findingCount) {
  const RULES = ['phi.name', 'phi.ssn', 'phi.phone', 'phi.condition'];
  const DETAILS = Object.fromEntries(RULES.map((rule) => [rule, {
    title: `Title of ${rule}`, message: 'A sentence of about this length says what was found here.',
    advice: 'A sentence of about this length says what to do about it.', category: rule.slice(4), kind: 'phi', severity: 'high',
  }]));
  chrome.runtime.onConnect.addListener((port) => {
    port.onMessage.addListener((message) => {
      const step = Math.max(1, Math.floor((message.length ?? 0) / findingCount));
      const findings = [];
      for (let i = 0; i < findingCount && (i + 1) * step <= message.length; i += 1) {
        findings.push({ rule: RULES[i % 4], action: i % 4 === 1 ? 'block' : 'warn', start: i * step, end: i * step + Math.min(step, 10), confidence: 0.9 });
      }
      port.postMessage({
        rid: message.rid,
        reply: {
          ok: true,
          result: { verdict: 'block', findings, rules_version: 'health-terms@0.3.0+phi-identifiers@0.5.0', scan_us: 900, truncated: false, rule_details: DETAILS },
          host: { state: 'ready', version: '0.1.0' },
        },
      });
    });
  });
}

// Writes the level's extension to `dir`/extension-floor-N and returns its path.
export function writeFloorExtension(dir, level) {
  const ours = JSON.parse(readFileSync(join(EXTENSION_DIR, 'manifest.json'), 'utf8'));
  const out = join(dir, `extension-floor-${level}`);
  mkdirSync(out, { recursive: true });
  const { matches, all_frames, match_origin_as_fallback, run_at } = ours.content_scripts[0];
  writeFileSync(join(out, 'manifest.json'), JSON.stringify({
    manifest_version: 3,
    name: `PHI Guard floor ${level}`,
    version: '0.0.1',
    background: { service_worker: 'worker.js' },
    host_permissions: [...ours.host_permissions],
    content_scripts: [{ matches: [...matches], js: ['content.js'], all_frames, match_origin_as_fallback, run_at }],
  }, null, 2));
  writeFileSync(join(out, 'content.js'), `(${floorContent})(${level});\n`);
  writeFileSync(join(out, 'worker.js'), `(${floorWorker})(${FINDINGS});\n`);
  return out;
}
