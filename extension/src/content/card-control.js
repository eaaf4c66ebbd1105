// Which finding's card shows, and why: on hover, at the caret, and from the keyboard. A card
// opened by hover or by the caret only informs: it lets clicks through (the site's Post
// button may be under it), except on its fix and "Not PHI" buttons (finding-actions.js),
// and closes when the pointer or the caret leaves the finding (the pointer may move onto the
// card). Alt+Shift+P opens it for the keyboard: then it takes focus and clicks, until Escape.

import { focusComposer } from './composer-focus.js';
import { composerFromEvent } from './composers.js';

// How far around a hover card the pointer may be and still keep it open: the card sits 6 px
// below the underline, whose hit area reaches 4 px below the text.
const HOVER_MARGIN_PX = 8;

export class CardControl {
  #card; #overlay; #env;
  #source = null; // what opened the card showing now: 'hover' | 'caret' | 'keyboard'
  #hoverFrame = 0; // the animation frame that will hit-test the last pointer position
  #acting = false; // a fix or "Not PHI" from the card is running: its selection opens no card

  // card: the FindingCard; overlay: the Overlay (hit tests). env: { focused(): the session
  // the user is in, setFocused(session), sessionOf(element): its session if it has one,
  // helpUrl(): the policy's help link, actions(session, finding): the finding's fix and
  // "Not PHI" (FindingActions.for) }.
  constructor(card, overlay, env) {
    this.#card = card;
    this.#overlay = overlay;
    this.#env = env;
  }

  install(win, doc) {
    win.addEventListener('mousemove', (event) => this.#onMouseMove(win, event), { passive: true });
    doc.addEventListener('selectionchange', () => {
      if (this.#env.focused() && this.#source !== 'keyboard' && !this.#acting) this.#showAtCaret();
    });
  }

  // A new reply for `session`: a card at its caret follows what it found.
  replied(session) {
    if (this.#card.open && this.#env.focused() === session && this.#source === 'caret') this.#showAtCaret();
  }

  // Something else takes over (the pre-post dialog): no card, from any source.
  hide() {
    this.#card.hide();
    this.#source = null;
  }

  #open(session, finding, rect, source) {
    this.#source = source;
    this.#card.show(finding, rect, {
      announce: source !== 'hover', interactive: source === 'keyboard',
      onBack: () => { this.#source = null; focusComposer(session); }, helpUrl: this.#env.helpUrl(),
      actions: this.#actionsFor(session, finding), near: session.element,
    });
  }

  // The card's buttons for `finding`; pressing one closes the card (FindingCard) and runs it.
  #actionsFor(session, finding) {
    const actions = this.#env.actions?.(session, finding) ?? [];
    return actions.map((action) => ({
      ...action,
      run: async () => {
        this.#source = null;
        this.#acting = true;
        try {
          return await action.run();
        } finally {
          this.#acting = false;
        }
      },
    }));
  }

  #close(source) {
    if (this.#card.open && this.#source === source) {
      this.#card.hide();
      this.#source = null;
    }
  }

  #onMouseMove(win, event) {
    if (this.#hoverFrame) return;
    const { clientX: x, clientY: y } = event;
    this.#hoverFrame = win.requestAnimationFrame(() => {
      this.#hoverFrame = 0;
      // The pointer on its way to the card's buttons, or on them, keeps the card.
      if (this.#source === 'hover' && this.#card.isOver(x, y, HOVER_MARGIN_PX)) return;
      const hit = this.#overlay.hitTest(x, y);
      if (hit && this.#source !== 'keyboard') this.#open(hit.session, hit.finding, hit.rect, 'hover');
      else if (!hit) this.#close('hover');
    });
  }

  #showAtCaret() {
    const focused = this.#env.focused();
    const finding = focused && findingAtCaret(focused);
    if (!finding) {
      this.#close('caret');
      return;
    }
    const rect = focused.rectsFor([finding])[0][0];
    if (rect) this.#open(focused, finding, rect, 'caret');
  }

  // Alt+Shift+P: from a composer, move focus into the card of the finding at the caret (or
  // the first finding); Escape in the card comes back.
  // Alt+Shift+P opens the card of the finding at the caret. Called by the content guard's one
  // keydown listener (content-guard.js); true when the key was taken.
  keyDown(event) {
    if (!(event.altKey && event.shiftKey && event.code === 'KeyP')) return false;
    const found = composerFromEvent(event);
    const session = found && this.#env.sessionOf(found.element);
    if (!session) return false;
    const finding = findingAtCaret(session) ?? session.visibleFindings()[0];
    if (!finding) return false;
    event.preventDefault();
    event.stopImmediatePropagation();
    this.openFor(session, finding);
    return true;
  }

  // Opens `finding`'s card with focus in it, as Alt+Shift+P does (the composer's status chip
  // does it too); Escape or "Back to post" returns to the composer.
  openFor(session, finding) {
    this.#env.setFocused(session);
    const rect = session.rectsFor([finding])[0][0] ?? session.element.getBoundingClientRect();
    this.#open(session, finding, rect, 'keyboard');
    this.#card.focus();
  }
}

function findingAtCaret(session) {
  const caret = session.caretOffset();
  if (caret < 0) return null;
  return session.visibleFindings().find((f) => caret >= f.start && caret <= f.end) ?? null;
}
