// The one <phiguard-ui> element per page and its open shadow root (docs/design.md "Extension
// contract"): site CSS cannot reach inside, and tests find everything under it. Created on
// first use, attached to <html> so it survives pages that replace <body>'s children.

import { uiDirection, uiLanguage } from '../shared/i18n.js';
import { CHIP_CSS, UI_CSS } from './styles.js';

export class UiRoot {
  #doc; #host = null; #shadow = null; #layers = new Map(); #live = null;

  constructor(doc) { this.#doc = doc; }

  get shadow() {
    if (!this.#shadow || !this.#host.isConnected) this.#create();
    return this.#shadow;
  }

  get host() {
    void this.shadow;
    return this.#host;
  }

  // A named container inside the shadow root (underlines, notices, dialog...).
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

  // Says `text` to screen readers through a polite live region.
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
    this.#host = this.#doc.createElement('phiguard-ui');
    // Our words run in the extension's language and direction, not the page's: an RTL page
    // must not flip the card (the direction is pinned inline too, above any site rule).
    const direction = uiDirection();
    this.#host.setAttribute('dir', direction);
    this.#host.setAttribute('lang', uiLanguage());
    const style = this.#host.style;
    for (const [name, value] of [['direction', direction], ['position', 'fixed'], ['top', '0'], ['left', '0'],
      ['width', '0'], ['height', '0'], ['z-index', '2147483647'], ['display', 'block'],
      ['overflow', 'visible'], ['pointer-events', 'none'], ['contain', 'none']]) {
      style.setProperty(name, value, 'important');
    }
    this.#shadow = this.#host.attachShadow({ mode: 'open' });
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(UI_CSS + CHIP_CSS);
    this.#shadow.adoptedStyleSheets = [sheet];
    this.#layers.clear();
    this.#live = null;
    this.#doc.documentElement.append(this.#host);
  }
}
