// The one <phiguard-ui> element per page and its open shadow root (docs/design.md "Extension
// contract"): site CSS cannot reach inside, and tests find everything under it. Created on
// first use, attached to <html> so it survives pages that replace <body>'s children.
//
// One exception: while a site's modal <dialog> (opened with showModal()) is open, the browser
// makes everything outside it inert, <phiguard-ui> included: nothing there takes a click or
// focus. What a composer inside such a dialog needs to be used (its status chip, its card)
// goes into a <phiguard-ui-modal> element appended to that dialog, with its own open shadow
// root and the same stylesheet (layerNear, announceNear). Those are popovers in the top
// layer, so they still show above the dialog and are placed in the viewport.

import { uiDirection, uiLanguage } from '../shared/i18n.js';
import { CHIP_CSS, UI_CSS } from './styles.js';

// One shadow-rooted element of ours: named layers inside, and a polite live region.
class ShadowUi {
  #doc; #tag; #parent; #host = null; #shadow = null; #layers = new Map(); #live = null;

  // parent(): where the element goes (<html>, or a site's dialog).
  constructor(doc, tag, parent) {
    this.#doc = doc;
    this.#tag = tag;
    this.#parent = parent;
  }

  get shadow() {
    if (!this.#shadow || !this.#parent().contains(this.#host)) this.#create();
    return this.#shadow;
  }

  get host() {
    void this.shadow;
    return this.#host;
  }

  layer(name) {
    let layer = this.#layers.get(name);
    if (!layer || layer.getRootNode() !== this.shadow) {
      layer = this.#doc.createElement('div');
      layer.className = `pg-layer pg-layer-${name}`;
      this.shadow.append(layer);
      this.#layers.set(name, layer);
    }
    return layer;
  }

  announce(text) {
    if (!this.#live || this.#live.getRootNode() !== this.shadow) {
      this.#live = this.#doc.createElement('div');
      this.#live.className = 'pg-sr';
      this.#live.setAttribute('role', 'status');
      this.#live.setAttribute('aria-live', 'polite');
      this.shadow.append(this.#live);
    }
    this.#live.textContent = '';
    // A change after a tick is announced even when the same words repeat.
    setTimeout(() => { this.#live.textContent = text; }, 50);
  }

  #create() {
    this.#host?.remove();
    this.#host = this.#doc.createElement(this.#tag);
    // Our words run in the extension's language and direction, not the page's: an RTL page
    // must not flip the card (the direction is pinned inline too, above any site rule).
    const direction = uiDirection();
    this.#host.setAttribute('dir', direction);
    this.#host.setAttribute('lang', uiLanguage());
    const style = this.#host.style;
    for (const [name, value] of [['direction', direction], ['position', 'fixed'], ['top', '0'], ['left', '0'],
      ['width', '0'], ['height', '0'], ['z-index', '2147483647'], ['display', 'block'],
      ['overflow', 'visible'], ['pointer-events', 'none'], ['contain', 'none'], ['margin', '0'],
      ['padding', '0'], ['border', '0']]) {
      style.setProperty(name, value, 'important');
    }
    this.#shadow = this.#host.attachShadow({ mode: 'open' });
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(UI_CSS + CHIP_CSS);
    this.#shadow.adoptedStyleSheets = [sheet];
    this.#layers.clear();
    this.#live = null;
    this.#parent().append(this.#host);
  }
}

export class UiRoot {
  #doc; #main; #modals = new WeakMap(); // dialog -> its ShadowUi

  constructor(doc) {
    this.#doc = doc;
    this.#main = new ShadowUi(doc, 'phiguard-ui', () => doc.documentElement);
  }

  get shadow() { return this.#main.shadow; }

  get host() { return this.#main.host; }

  // A named container inside the shadow root (underlines, notices, dialog...).
  layer(name) { return this.#main.layer(name); }

  // Says `text` to screen readers through a polite live region.
  announce(text) { this.#main.announce(text); }

  // The layer `name` that can be used beside `element`: in <phiguard-ui>, or, while a site's
  // modal dialog holding `element` is open, in that dialog's <phiguard-ui-modal>.
  layerNear(element, name) { return this.#near(element).layer(name); }

  // announce(), heard beside `element` (a live region outside an open modal dialog is inert).
  announceNear(text, element) { this.#near(element).announce(text); }

  #near(element) {
    const dialog = element && openModalOf(element);
    if (!dialog) return this.#main;
    let ui = this.#modals.get(dialog);
    if (!ui) {
      ui = new ShadowUi(this.#doc, 'phiguard-ui-modal', () => dialog);
      this.#modals.set(dialog, ui);
    }
    return ui;
  }
}

// The open modal <dialog> that holds `node` (through shadow roots), or null.
export function openModalOf(node) {
  for (let n = node; n; n = n.parentNode?.nodeType === 11 ? n.parentNode.host : n.parentNode) {
    if (n.nodeName === 'DIALOG' && n.open && n.matches(':modal')) return n;
  }
  return null;
}
