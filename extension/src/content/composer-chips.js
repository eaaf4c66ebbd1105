// One status chip per guarded composer (ui/status-chip.js): what it says, where it goes, and
// when it goes away. A chip appears once its composer first holds text, and only for
// composers this content script guards (ComposerSession exists only for them). It is
// measured in the overlay's read phase and updated and placed in its write phase (after the
// underlines, in the same animation frame), which runs on typing, replies, policy changes,
// scrolling, resizing and the
// composer's ResizeObserver; a light poll catches the composer moving without any of those
// (the page's layout changing around it) and leaving the page. A paint that finds the
// composer where it was and the chip saying the same reads no button again (until the
// buttons are looked up again, once a second) and does not place the chip again.
// While the user types, the chip keeps what it says until the check of the new text answers
// (the underlines follow the text meanwhile); it says "Checking…" only when that takes longer
// than CHECKING_AFTER_MS after the last edit, or when it has said nothing yet.
// NOTE: "Checking…" at each keystroke and the count back at each reply made the browser
// style, lay out, paint and commit the page once more ~300 ms after every key, even when
// nothing else moved (issue 16, docs/performance.md).

import { StatusChip } from '../ui/status-chip.js';
import { composedParent } from './composers.js';
import { BUTTON_SELECTOR, isPostButton } from './post-buttons.js';

const POLL_MS = 400;
const BUTTONS_TTL_MS = 1000;
export const CHECKING_AFTER_MS = 500;

export class ComposerChips {
  #ui; #win; #env;
  #chips = new Map(); // session -> { chip, rect: last placed composer rect, buttons, controls, buttonsAt }
  #poll = 0;
  #plans = null; // what measure() read for this frame's paint()
  #paintedSinceCheck = false; // a paint placed every chip after the poll's last look
  #young = new Set(); // sessions edited less than CHECKING_AFTER_MS ago: no "Checking…" yet
  #youngTimer = 0;

  // env: { sessions(): the ComposerSessions, repaint(): schedule the overlay's paint,
  // open(session, finding): open the card of `finding` and move focus into it }. win gives
  // the timers (a fake one in tests).
  constructor(ui, win, env) {
    this.#ui = ui;
    this.#win = win;
    this.#env = env;
  }

  // The user edited `session`'s text: its chip keeps what it says for CHECKING_AFTER_MS
  // unless the check answers first. One timer for all sessions, moved on by each edit: when
  // it runs, every session was last edited that long ago or longer.
  edited(session) {
    this.#young.add(session);
    if (this.#youngTimer) this.#win.clearTimeout(this.#youngTimer);
    this.#youngTimer = this.#win.setTimeout(() => {
      this.#youngTimer = 0;
      const waiting = [...this.#young].some((s) => s.connected && s.displayState() === 'pending');
      this.#young.clear();
      if (waiting) this.#env.repaint();
    }, CHECKING_AFTER_MS);
  }

  // True when `session`'s chip says what it would say now, so a reply for it needs no paint
  // of the chips (overlay.js replied).
  unchanged(session) {
    const entry = this.#chips.get(session);
    if (!session.connected) return !entry;
    const text = session.text();
    if (!entry) return !text.trim();
    const state = chipState(session, text, !this.#young.has(session));
    return !state || entry.chip.says(state);
  }

  // The overlay's read phase: what each chip will say, and where its composer and the
  // buttons beside it are, all read before this frame writes anything (a read after a write
  // would make the browser lay the page out again).
  measure() {
    this.#plans = [];
    const view = { width: this.#win.innerWidth, height: this.#win.innerHeight };
    for (const session of this.#env.sessions()) {
      let entry = this.#chips.get(session);
      if (!session.connected) continue;
      const text = session.text();
      if (!entry) {
        if (!text.trim()) continue;
        entry = {
          chip: new StatusChip(this.#ui, session.id, () => this.#activate(session)),
          rect: null, buttons: [], controls: [], buttonsAt: 0, near: null, placed: null,
        };
        this.#chips.set(session, entry);
        this.#startPolling();
      }
      const rect = plain(session.element.getBoundingClientRect());
      const moved = !sameRect(entry.rect, rect) || entry.near?.view.width !== view.width ||
        entry.near?.view.height !== view.height;
      entry.rect = rect;
      const { buttons, controls } = this.#nearby(session, entry);
      // The buttons' rects are read again when the lookup was made again (at most once a
      // second) or the composer or the window moved; otherwise those read last hold. NOTE:
      // each paint read every button and control beside the composer, at every key (issue 16).
      if (moved || entry.near?.buttons !== buttons) {
        const rects = (list) => list.map((b) => plain(b.getBoundingClientRect())).filter((r) => r.width > 0 && r.height > 0);
        entry.near = { buttons, view, buttonRects: rects(buttons), controlRects: rects(controls) };
      }
      // null: the chip keeps what it says, unless it has said nothing yet.
      const state = chipState(session, text, !this.#young.has(session)) ?? (entry.chip.said ? null : { state: 'pending' });
      this.#plans.push({ session, entry, state, buttons: entry.near.buttonRects, controls: entry.near.controlRects });
    }
  }

  // The overlay's write phase (after measure(), or alone): every chip says its composer's
  // state and sits beside it.
  paint() {
    if (!this.#plans) this.measure();
    for (const { session, entry, state, buttons, controls } of this.#plans) {
      // Inside a site's open modal dialog the chip goes there, where clicks still reach it.
      entry.chip.attach(this.#ui.layerNear(session.element, 'chips'));
      if (state) entry.chip.render(state);
      // Placed again only when what places it changed: what it says (its size), the
      // composer's rect, the rects it keeps clear of (new ones when read again).
      const placed = { rect: entry.rect, buttons, controls, key: entry.chip.key };
      const last = entry.placed;
      if (last && last.key === placed.key && last.buttons === buttons && last.controls === controls &&
        sameRect(last.rect, entry.rect) && entry.chip.connected) continue;
      entry.placed = placed;
      entry.chip.place(entry.rect, buttons, controls);
    }
    this.#plans = null;
    this.#paintedSinceCheck = true;
    for (const session of this.#chips.keys()) if (!session.connected) this.forget(session);
  }

  // The composer left the page (or its session was let go).
  forget(session) {
    this.#chips.get(session)?.chip.remove();
    this.#chips.delete(session);
    this.#young.delete(session);
    if (!this.#chips.size) this.#stopPolling();
  }

  #activate(session) {
    const finding = firstFinding(session);
    if (finding) this.#env.open(session, finding);
    else session.element.focus();
  }

  // The post buttons near the composer (within a few levels, as submit-guard.js pairs them),
  // which the chip must never cover, and the other controls in the same container (a
  // toolbar's buttons, a character count's link), which it keeps clear of when it can.
  // Looked up again at most once a second.
  #nearby(session, entry) {
    const now = Date.now();
    if (now - entry.buttonsAt < BUTTONS_TTL_MS && entry.buttons.every((b) => b.isConnected)) return entry;
    entry.buttonsAt = now;
    entry.buttons = []; // a new list: its rects are read again (measure)
    entry.controls = [];
    let levels = 0;
    for (let node = composedParent(session.element); node && node.nodeType === 1 && node.nodeName !== 'BODY'; node = composedParent(node)) {
      if (++levels > 8) break;
      const all = [...node.querySelectorAll(`${BUTTON_SELECTOR}, a[href], select`)];
      const found = all.filter((b) => b.matches(BUTTON_SELECTOR) && isPostButton(b));
      if (found.length) {
        entry.buttons = found;
        entry.controls = all.filter((c) => !found.includes(c)).slice(0, 40);
        break;
      }
    }
    return entry;
  }

  #startPolling() {
    if (this.#poll) return;
    this.#poll = this.#win.setInterval(() => this.#check(), POLL_MS);
  }

  #stopPolling() {
    if (this.#poll) this.#win.clearInterval(this.#poll);
    this.#poll = 0;
  }

  // A composer that moved or left without an event we listen to: paint again. Not looked
  // at when a paint measured every composer since the last look: while the user types that
  // is every time, and reading a composer's rect just after a keystroke made the browser
  // lay the page out before its frame (issue 16).
  #check() {
    if (this.#win.document.hidden) return;
    if (this.#paintedSinceCheck) {
      this.#paintedSinceCheck = false;
      return;
    }
    for (const [session, entry] of this.#chips) {
      if (!session.connected || !entry.chip.connected || !sameRect(entry.rect, session.element.getBoundingClientRect())) {
        this.#env.repaint();
        return;
      }
    }
  }
}

// What the chip says for `session`'s text as it is now; null while this text's check has not
// answered and `slow` is false (the check began less than CHECKING_AFTER_MS ago): the chip
// then keeps what it says.
export function chipState(session, text = session.text(), slow = true) {
  if (!text.trim()) return { state: 'clean' };
  const display = session.displayState(text);
  if (display === 'pending') return slow ? { state: 'pending' } : null;
  if (display === 'unavailable') return { state: display };
  const shown = session.visibleFindings(text).filter((f) => f.effective === 'block' || f.effective === 'warn');
  if (!shown.length && display === 'allow') return { state: 'clean' };
  const severity = shown.some((f) => f.effective === 'block') || display === 'block' ? 'block' : 'warn';
  return { state: 'findings', count: Math.max(1, shown.length), severity };
}

// The finding the chip opens: the first in the text that is underlined as block or warn.
export function firstFinding(session) {
  const findings = session.visibleFindings();
  const shown = findings.filter((f) => f.effective === 'block' || f.effective === 'warn');
  return [...(shown.length ? shown : findings)].sort((a, b) => a.start - b.start)[0] ?? null;
}

function plain(r) {
  return { left: r.left, top: r.top, width: r.width, height: r.height };
}

function sameRect(a, r) {
  return Boolean(a) && a.left === r.left && a.top === r.top && a.width === r.width && a.height === r.height;
}
