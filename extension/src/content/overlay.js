// Draws the underlines of every composer on the page, batched: a change schedules one
// requestAnimationFrame, which first reads all geometry and then writes all elements, so
// layout is computed once per frame (uBO Lite keeps DOM writes out of its observers the same
// way). Underlines are elements in our shadow root, each with data-rule and data-category,
// or, where the Custom Highlight API exists and the browser is not automated, highlights
// over Ranges in the editor (no elements at all), registered only for the findings within a
// screen of the part of the composer on screen (nearBand). The editor's DOM is never touched.

import { fromTopLayer, toTopLayer } from '../ui/dom.js';
import { HIGHLIGHT_CSS } from '../ui/styles.js';

const HIGHLIGHT_NAMES = { block: 'phiguard-block', warn: 'phiguard-warn', info: 'phiguard-info' };

export class Overlay {
  #ui; #doc; #sessions = new Set(); #frame = 0; #layers = new Map();
  #geometry = new Map(); // session -> what the last paint drew: { findings, items } (see #itemsOf)
  #moved = true; // the text or the page may have moved since the last paint
  #written = new WeakMap(); // underline element -> what was last written to it
  #useHighlights; #highlightsInstalled = false; #afterRead; #afterPaint;

  // options.useHighlights forces the drawing method (the in-browser unit test of the
  // highlight path uses it: an automated browser would otherwise always get elements).
  // options.afterRead() and options.afterPaint(): run at the end of each paint's read phase
  // and at its end, in the same frame (the status chips read, then write).
  constructor(ui, doc, { useHighlights, afterRead, afterPaint } = {}) {
    this.#ui = ui;
    this.#doc = doc;
    this.#afterRead = afterRead;
    this.#afterPaint = afterPaint;
    const view = doc.defaultView;
    const supported = Boolean(view.CSS?.highlights && view.Highlight);
    // Under automation (navigator.webdriver) underlines are always elements, so tests can
    // find them (Harper does the same).
    this.#useHighlights = supported && (useHighlights ?? !view.navigator.webdriver);
  }

  get usesHighlights() { return this.#useHighlights; }

  track(session) {
    this.#sessions.add(session);
    this.schedule();
  }

  forget(session) {
    this.#sessions.delete(session);
    this.#layers.get(session)?.remove();
    this.#layers.delete(session);
    this.#geometry.delete(session);
    this.schedule();
  }

  // Paints in the next frame. moved: false when only the findings or the verdict may have
  // changed (a reply, the policy), not where anything is on screen: a composer whose
  // findings are the same spans as the last paint drew then keeps the rects measured for
  // it, and its underlines are not written again. NOTE: a reply paint that re-measured
  // 200 findings and rewrote every underline and highlight was about a third of the
  // extension's work per keystroke on a 20 KB post (docs/performance.md, issue 16).
  schedule({ moved = true } = {}) {
    if (moved) this.#moved = true;
    if (this.#frame) return;
    this.#frame = this.#doc.defaultView.requestAnimationFrame(() => {
      this.#frame = 0;
      this.#paint();
    });
  }

  // A reply for `session`. When its findings draw the same underlines as the last paint drew
  // and unchanged() says nothing else we show changes with it (the status chip), no frame is
  // asked for: the reply's findings take the drawn ones' place (for hover and the card) and
  // the layer's state, which no style rule reads, is written now. Otherwise it paints, as
  // schedule({ moved: false }) does.
  // NOTE: a reply's frame restyled, painted and committed the page once more ~300 ms after
  // every key, even when nothing on screen moved (issue 16, docs/performance.md).
  replied(session, unchanged = () => false) {
    const last = this.#geometry.get(session);
    const layer = this.#layers.get(session);
    if (this.#frame || this.#moved || !last || !layer?.isConnected || !session.connected) {
      this.schedule({ moved: false });
      return;
    }
    const findings = session.visibleFindings();
    if (!sameDrawn(last, session, findings) || !unchanged()) {
      this.schedule({ moved: false });
      return;
    }
    this.#geometry.set(session, { findings, moves: session.findingsMoved, items: itemsFor(last, findings) });
    const state = session.displayState();
    if (layer.dataset.state !== state) layer.dataset.state = state;
  }

  // The finding under a viewport point, with the rect it was hit in.
  hitTest(x, y) {
    for (const session of this.#geometry.keys()) {
      for (const { finding, rects } of this.#itemsOf(session)) {
        for (const r of rects) {
          if (x >= r.left && x <= r.left + r.width && y >= r.top - 4 && y <= r.top + r.height + 4) {
            return { session, finding, rect: r };
          }
        }
      }
    }
    return null;
  }

  // The first on-screen rect of a finding, as last painted.
  rectOf(session, finding) {
    const item = this.#itemsOf(session).find((g) => g.finding === finding);
    return item?.rects[0] ?? null;
  }

  // [{ finding, rects }] for what the last paint drew for `session`. Highlights need no
  // rects to be drawn, so theirs are measured here, when a hover or a card first asks after
  // a paint: a paint then reads no layout at all.
  #itemsOf(session) {
    const drawn = this.#geometry.get(session);
    if (!drawn) return [];
    drawn.items ??= measure(session, drawn.findings);
    return drawn.items;
  }

  #paint() {
    const moved = this.#moved;
    this.#moved = false;
    // Read phase: geometry for every session that needs it.
    const plans = [];
    for (const session of this.#sessions) {
      if (!session.connected) continue;
      const findings = session.visibleFindings();
      const ranges = this.#useHighlights ? session.rangesFor?.(findings, () => nearBand(session.element)) : null;
      const last = this.#geometry.get(session);
      let items = null;
      if (!moved && last?.items && sameDrawn(last, session, findings)) {
        items = itemsFor(last, findings);
      } else if (!ranges) {
        items = measure(session, findings);
      }
      plans.push({ session, findings, items, state: session.displayState(), ranges });
    }
    this.#afterRead?.();
    // Write phase.
    this.#geometry.clear();
    const highlightSets = { block: [], warn: [], info: [] };
    for (const { session, findings, items, state, ranges } of plans) {
      this.#geometry.set(session, { findings, moves: session.findingsMoved, items });
      if (ranges) {
        findings.forEach((finding, i) => ranges[i] && highlightSets[finding.effective]?.push(ranges[i]));
        this.#draw(session, [], state);
      } else {
        this.#draw(session, items, state);
      }
    }
    if (this.#useHighlights) this.#applyHighlights(highlightSets);
    this.#afterPaint?.();
  }

  // state ('pending', 'allow', 'warn', 'block', 'unavailable') and the editor's name are set
  // on the composer's layer: they say what PHI Guard thinks of the text now, for tests and
  // for anyone inspecting the page.
  #draw(session, items, state) {
    let layer = this.#layers.get(session);
    if (!layer?.isConnected) {
      layer = this.#doc.createElement('div');
      layer.className = 'pg-layer';
      layer.dataset.composer = session.id;
      layer.dataset.editor = session.editor;
      this.#layers.set(session, layer);
    }
    this.#place(layer, session);
    if (layer.dataset.state !== state) layer.dataset.state = state;
    const wanted = [];
    for (const { finding, rects } of items) for (const rect of rects) wanted.push({ finding, rect });
    while (layer.children.length > wanted.length) layer.lastChild.remove();
    while (layer.children.length < wanted.length) {
      const el = this.#doc.createElement('div');
      el.className = 'pg-underline';
      layer.append(el);
    }
    const children = layer.children;
    wanted.forEach(({ finding, rect }, i) => {
      const el = children[i];
      // An underline that is already right is left alone: a write, even of the same value,
      // can make the browser restyle it. The same finding object with the same action and
      // the same rect object (a piece of a line the key did not edit: mirror-geometry.js
      // keeps its rects, and measure() keeps a rect the clip leaves whole) is right without
      // looking further; NOTE: a key string for every underline at every paint (issue 16).
      const written = this.#written.get(el);
      if (written && written.rect === rect && written.finding === finding && written.effective === finding.effective) return;
      const key = `${finding.rule}|${finding.category}|${finding.effective}|${rect.left}|${rect.top}|${rect.height}|${rect.width}`;
      this.#written.set(el, { key, finding, rect, effective: finding.effective });
      if (written?.key === key) return;
      el.dataset.rule = finding.rule;
      el.dataset.category = finding.category;
      el.dataset.action = finding.effective;
      el.style.setProperty('left', `${rect.left}px`);
      el.style.setProperty('top', `${rect.top + rect.height - 2}px`);
      el.style.setProperty('width', `${rect.width}px`);
    });
  }

  // The composer's layer goes in <phiguard-ui>, or, while the composer is in a site's open
  // modal dialog, into our element in that dialog (ui-root.js), in the top layer: a modal
  // dialog is painted above everything outside the top layer, <phiguard-ui> included.
  #place(layer, session) {
    const main = this.#ui.layer('underlines');
    const container = this.#ui.layerNear(session.element, 'underlines');
    if (layer.parentNode === container) return;
    if (container === main) {
      fromTopLayer(layer);
      main.append(layer);
    } else {
      container.append(layer);
      toTopLayer(layer);
    }
  }

  #applyHighlights(sets) {
    const view = this.#doc.defaultView;
    if (!this.#highlightsInstalled) {
      const sheet = new view.CSSStyleSheet();
      sheet.replaceSync(HIGHLIGHT_CSS);
      this.#doc.adoptedStyleSheets = [...this.#doc.adoptedStyleSheets, sheet];
      this.#highlightsInstalled = true;
    }
    // Each highlight is changed range by range, and not at all when it holds the same Ranges
    // (the paint after a reply, and after a keystroke the Ranges that followed the edit:
    // editable-geometry.js): a new Highlight makes the browser repaint all its text.
    for (const [action, name] of Object.entries(HIGHLIGHT_NAMES)) {
      const wanted = sets[action];
      const current = view.CSS.highlights.get(name);
      if (!wanted.length) {
        if (current) view.CSS.highlights.delete(name);
      } else if (!current) {
        view.CSS.highlights.set(name, new view.Highlight(...wanted));
      } else {
        const keep = new Set(wanted);
        for (const range of [...current]) if (!keep.has(range)) current.delete(range);
        for (const range of wanted) if (!current.has(range)) current.add(range);
      }
    }
  }
}

// [{ finding, rects }]: each finding's viewport rects, clipped to the part of the composer
// on screen (none when it is off screen).
function measure(session, findings) {
  const clip = visibleBox(session.element);
  const rects = clip ? session.rectsFor(findings, clip) : null;
  return findings.map((finding, i) => ({
    finding,
    rects: !rects?.[i].length ? NONE : rects[i].map((r) => clipRect(r, clip)).filter(Boolean),
  }));
}

const NONE = Object.freeze([]);

// The items of `drawn` (a #geometry entry whose findings draw the same as `findings`) for
// `findings`: the same items when the findings are the same objects.
function itemsFor(drawn, findings) {
  const items = drawn.items;
  if (!items) return null;
  if (drawn.findings === findings || items.every((item, i) => item.finding === findings[i])) return items;
  return items.map(({ rects }, i) => ({ finding: findings[i], rects }));
}

// True when `findings` would draw what `drawn` (a #geometry entry) drew. The session moves
// its findings in place as the text changes (composer-session.js visibleFindings), so the
// same objects may hold other offsets now than when they were drawn: those are not the same.
function sameDrawn(drawn, session, findings) {
  return drawn.moves === session.findingsMoved && sameSpans(drawn.findings, findings);
}

// True when two lists of findings would draw the same underlines.
function sameSpans(a, b) {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  return a.every((f, i) => f === b[i] || (f.start === b[i].start && f.end === b[i].end && f.effective === b[i].effective &&
    f.rule === b[i].rule && f.category === b[i].category));
}

// The part of an element's height within a screen of the window ({ top, bottom }, viewport
// coordinates; empty when bottom < top): the findings there get highlights. Chromium keeps
// a highlight's Ranges as document markers and rebuilds them all at each change of the
// DOM, so a registered Range costs at every keystroke wherever it is; the screen above and
// below are included so a scroll finds its highlights there, and a scroll repaints.
// NOTE: with all 204 findings of a 20 KB post registered, this rebuild and the repaint of
// the text it marks were most of the extension's cost per keystroke in the editors drawn
// with highlights (docs/performance.md, issue 16).
function nearBand(element) {
  const r = element.getBoundingClientRect();
  const margin = element.ownerDocument.defaultView.innerHeight;
  return { top: Math.max(r.top, -margin), bottom: Math.min(r.bottom, 2 * margin) };
}

// The part of an element's box that is on screen, or null when none is.
function visibleBox(element) {
  const r = element.getBoundingClientRect();
  const view = element.ownerDocument.defaultView;
  const box = {
    left: Math.max(r.left, 0), top: Math.max(r.top, 0),
    right: Math.min(r.right, view.innerWidth), bottom: Math.min(r.bottom, view.innerHeight),
  };
  return box.right > box.left && box.bottom > box.top ? box : null;
}

// `r` within `clip`: r itself when the clip leaves it whole (so a kept rect keeps its
// identity: #draw), null when nothing is left.
function clipRect(r, clip) {
  const left = Math.max(r.left, clip.left);
  const right = Math.min(r.left + r.width, clip.right);
  const bottom = r.top + r.height;
  if (right <= left || bottom <= clip.top || r.top >= clip.bottom + 2) return null;
  if (left === r.left && right === r.left + r.width) return r;
  return { left, top: r.top, width: right - left, height: r.height };
}
