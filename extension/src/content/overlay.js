// Draws the underlines of every composer on the page, batched: a change schedules one
// requestAnimationFrame, which first reads all geometry and then writes all elements, so
// layout is computed once per frame (uBO Lite keeps DOM writes out of its observers the same
// way). Underlines are elements in our shadow root, each with data-rule and data-category,
// or, where the Custom Highlight API exists and the browser is not automated, highlights
// over Ranges in the editor (no elements at all). The editor's DOM is never touched.

import { fromTopLayer, toTopLayer } from '../ui/dom.js';
import { HIGHLIGHT_CSS } from '../ui/styles.js';

const HIGHLIGHT_NAMES = { block: 'phiguard-block', warn: 'phiguard-warn', info: 'phiguard-info' };

export class Overlay {
  #ui; #doc; #sessions = new Set(); #frame = 0; #layers = new Map(); #geometry = new Map();
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

  schedule() {
    if (this.#frame) return;
    this.#frame = this.#doc.defaultView.requestAnimationFrame(() => {
      this.#frame = 0;
      this.#paint();
    });
  }

  // The finding under a viewport point, with the rect it was hit in.
  hitTest(x, y) {
    for (const [session, items] of this.#geometry) {
      for (const { finding, rects } of items) {
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
    const item = this.#geometry.get(session)?.find((g) => g.finding === finding);
    return item?.rects[0] ?? null;
  }

  #paint() {
    // Read phase: geometry for every session.
    const plans = [];
    for (const session of this.#sessions) {
      if (!session.connected) continue;
      const clip = visibleBox(session.element);
      const findings = session.visibleFindings();
      const rects = clip ? session.rectsFor(findings, clip) : findings.map(() => []);
      const items = findings.map((finding, i) => ({
        finding,
        rects: rects[i].map((r) => clipRect(r, clip)).filter(Boolean),
      }));
      plans.push({ session, items, state: session.displayState(), ranges: this.#useHighlights ? session.rangesFor?.(findings) : null });
    }
    this.#afterRead?.();
    // Write phase.
    this.#geometry.clear();
    const highlightSets = { block: [], warn: [], info: [] };
    for (const { session, items, state, ranges } of plans) {
      this.#geometry.set(session, items);
      if (ranges) {
        items.forEach(({ finding }, i) => ranges[i] && highlightSets[finding.effective]?.push(ranges[i]));
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
    layer.dataset.state = state;
    const wanted = [];
    for (const { finding, rects } of items) for (const rect of rects) wanted.push({ finding, rect });
    while (layer.children.length > wanted.length) layer.lastChild.remove();
    while (layer.children.length < wanted.length) {
      const el = this.#doc.createElement('div');
      el.className = 'pg-underline';
      layer.append(el);
    }
    wanted.forEach(({ finding, rect }, i) => {
      const el = layer.children[i];
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
    for (const [action, name] of Object.entries(HIGHLIGHT_NAMES)) {
      if (sets[action].length) view.CSS.highlights.set(name, new view.Highlight(...sets[action]));
      else view.CSS.highlights.delete(name);
    }
  }
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

function clipRect(r, clip) {
  const left = Math.max(r.left, clip.left);
  const right = Math.min(r.left + r.width, clip.right);
  const bottom = r.top + r.height;
  if (right <= left || bottom <= clip.top || r.top >= clip.bottom + 2) return null;
  return { left, top: r.top, width: right - left, height: r.height };
}
