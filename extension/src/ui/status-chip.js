// The status chip of one composer (issue 16): a small button by the composer's bottom-right
// corner that says what PHI Guard thinks of its text now: checking, N findings (with the
// worst one's sign: octagon for block, triangle for warn), clean, or not checked. Clicking
// it, or Enter/Space on it, opens the card of the first finding (content/composer-chips.js
// decides what it opens). It lives in our shadow root like everything else we show, never
// in the site's DOM (for a composer inside a site's modal dialog, in our own element in that
// dialog: ui-root.js), and is placed so it never covers the text or the post button
// (chipPosition below).

import { t } from '../shared/i18n.js';
import { h, toTopLayer } from './dom.js';

// The gap between the chip and what it sits beside.
const GAP = 4;

export class StatusChip {
  #ui; #element; #button; #icon; #words; #live;
  #announced = null; // the settled state said last through the live region
  #sizes = new Map(); // render key -> { width, height }, for the viewport size in #sizesFor
  #sizesFor = '';
  #key = null; // what render() last wrote: `${state}:${count}:${severity}`
  #placed = null; // what place() last wrote: 'hidden' or `${where}:${top}:${left}`

  // onActivate(): the chip was clicked, or Enter/Space pressed on it.
  constructor(ui, composerId, onActivate) {
    this.#ui = ui;
    const doc = ui.host.ownerDocument;
    this.#icon = h(doc, 'span', { class: 'pg-icon', 'aria-hidden': 'true' });
    this.#words = h(doc, 'span', { class: 'pg-chip-words' });
    this.#button = h(doc, 'button', { class: 'pg-chip-button', type: 'button' }, this.#icon, this.#words);
    // State changes are said politely, once settled ("checking" would be said at every
    // pause in typing), and only when they differ from the last one said.
    this.#live = h(doc, 'span', { class: 'pg-sr', role: 'status', 'aria-live': 'polite' });
    this.#element = h(doc, 'div', { class: 'pg-chip', 'data-phiguard': 'chip', 'data-composer': composerId },
      this.#button, this.#live);
    this.#button.addEventListener('click', (event) => {
      event.preventDefault();
      onActivate();
    });
    // The chip's clicks and keys are ours: a site that closes its composer on a click
    // outside it, or has single-key shortcuts, does not see them bubble up.
    for (const type of ['pointerdown', 'mousedown', 'pointerup', 'mouseup', 'click', 'keydown', 'keyup', 'keypress']) {
      this.#element.addEventListener(type, (event) => event.stopPropagation());
    }
    this.attach(ui.layer('chips'));
  }

  // Puts the chip in `layer` (ui-root.js layerNear: <phiguard-ui>, or the site's open modal
  // dialog, outside which nothing takes a click), in the top layer, unless it is there.
  attach(layer) {
    if (this.#element.parentNode === layer) return;
    layer.append(this.#element);
    toTopLayer(this.#element);
  }

  get element() { return this.#element; }
  get connected() { return this.#element.isConnected; }

  // True once render() was called: the chip says something.
  get said() { return this.#key !== null; }

  // What it says now, as a string (null before the first render).
  get key() { return this.#key; }

  // True when render(state) would write nothing.
  says({ state, count = 0, severity = null }) { return this.#key === `${state}:${count}:${severity}`; }

  // state: 'pending' | 'clean' | 'findings' | 'unavailable'; for 'findings', count and
  // severity ('block' | 'warn').
  render({ state, count = 0, severity = null }) {
    const el = this.#element;
    // Kept in a field, not read back from the DOM, and nothing is written when it is the same.
    const key = `${state}:${count}:${severity}`;
    if (this.#key === key) return;
    this.#key = key;
    el.dataset.key = key;
    el.dataset.state = state;
    el.dataset.count = String(count);
    if (severity) el.dataset.severity = severity;
    else delete el.dataset.severity;
    const words = chipWords(state, count);
    this.#words.textContent = words;
    this.#icon.dataset.severity = state === 'findings' ? severity : state;
    const status = chipStatus(state, severity, words);
    this.#button.setAttribute('aria-label', status);
    this.#button.toggleAttribute('aria-busy', state === 'pending');
    // What a click does, as a tooltip and the button's description, when it has a card to open.
    if (state === 'findings') this.#button.setAttribute('title', t('chipHint'));
    else this.#button.removeAttribute('title');
    if (state !== 'pending' && status !== this.#announced) {
      this.#announced = status;
      this.#live.textContent = '';
      // A change after a tick is announced even when the same words come back.
      setTimeout(() => { this.#live.textContent = status; }, 50);
    }
  }

  // Puts the chip beside `composer` (a viewport rect), clear of `avoid` (the post buttons'
  // rects), and of `spare` (the other controls around them) where it can. Hidden when the
  // composer is off screen or no place is free.
  place(composer, avoid, spare = []) {
    const el = this.#element;
    const view = this.#ui.host.ownerDocument.defaultView;
    const viewport = { width: view.innerWidth, height: view.innerHeight };
    const size = this.#size(viewport);
    const at = !composer ? null
      : (spare.length ? chipPosition(composer, size, [...avoid, ...spare], viewport) : null) ??
        chipPosition(composer, size, avoid, viewport);
    // Written only when it changed: each paint places the chip, and a write, even of the same
    // value, can make the browser restyle it.
    const placed = at ? `${at.where}:${Math.round(at.top)}:${Math.round(at.left)}` : 'hidden';
    if (placed === this.#placed) return;
    this.#placed = placed;
    el.toggleAttribute('data-hidden', !at);
    if (!at) return;
    el.dataset.place = at.where;
    el.style.setProperty('inset', `${Math.round(at.top)}px auto auto ${Math.round(at.left)}px`);
  }

  remove() { this.#element.remove(); }

  // The chip's size for what it says now. Read once per thing it says (reading it just after
  // render() wrote the words lays the page out again), and again after the viewport changed
  // (a zoom changes it).
  #size(viewport) {
    const el = this.#element;
    const at = `${viewport.width}x${viewport.height}`;
    if (at !== this.#sizesFor) {
      this.#sizes.clear();
      this.#sizesFor = at;
    }
    let size = this.#sizes.get(this.#key);
    if (!size) {
      size = { width: el.offsetWidth, height: el.offsetHeight };
      if (!size.width || !size.height) return { width: size.width || 96, height: size.height || 24 };
      this.#sizes.set(this.#key, size);
    }
    return size;
  }
}

function chipWords(state, count) {
  if (state === 'pending') return t('chipChecking');
  if (state === 'unavailable') return t('chipUnavailable');
  if (state === 'clean') return t('chipClean');
  return count === 1 ? t('chipFindingsOne') : t('chipFindingsMany', count);
}

// The chip's accessible name: its words, with what the worst finding means for the post.
function chipStatus(state, severity, words) {
  if (state === 'findings' && severity === 'block') return t('chipStatusBlock', words);
  if (state === 'findings') return t('chipStatusWarn', words);
  return t('chipStatus', words);
}

const overlaps = (a, b) => a.left < b.left + b.width && b.left < a.left + a.width &&
  a.top < b.top + b.height && b.top < a.top + a.height;

// Where the chip goes: { left, top, where } in viewport pixels, or null. composer: the
// composer's rect { left, top, width, height }; chip: { width, height }; avoid: rects the
// chip must not cover (the post button); view: { width, height }.
//
// In order: just below the composer's bottom-right corner; on the same line but left of
// whatever it would cover there (a post button under the corner), not past the composer's
// left edge; just right of the corner; just above the top-right corner; and last, inside the
// bottom-right corner, which may cover the end of a long line but never the post button.
// Outside the composer the chip cannot cover the text being typed.
export function chipPosition(composer, chip, avoid, view) {
  const c = composer;
  if (c.width <= 0 || c.height <= 0) return null;
  if (c.left + c.width <= 0 || c.top + c.height <= 0 || c.left >= view.width || c.top >= view.height) return null;
  const right = c.left + c.width;
  const bottom = c.top + c.height;
  const bands = [
    ['below', right - chip.width, bottom + GAP, true],
    ['right', right + GAP, bottom - chip.height, false],
    ['above', right - chip.width, c.top - chip.height - GAP, true],
    ['inside', right - chip.width - GAP, bottom - chip.height - GAP, true],
  ];
  const fits = (box) => box.left >= 0 && box.top >= 0 && box.left + box.width <= view.width &&
    box.top + box.height <= view.height;
  const clear = (box) => !avoid.some((a) => overlaps(box, a));
  for (const [where, left, top, slides] of bands) {
    // Along the composer's foot or head it may move in from the viewport's right edge.
    let box = { left: slides ? Math.min(left, view.width - chip.width) : left, top, width: chip.width, height: chip.height };
    // Slide left past what it would cover, as long as it stays under (or over) the composer.
    for (let i = 0; slides && i <= avoid.length && !clear(box); i += 1) {
      const hit = avoid.filter((a) => overlaps(box, a)).reduce((min, a) => Math.min(min, a.left), Infinity);
      box = { ...box, left: hit - GAP - chip.width };
    }
    if (slides && box.left < c.left) continue;
    if (fits(box) && clear(box)) return { left: box.left, top: box.top, where };
  }
  return null;
}
