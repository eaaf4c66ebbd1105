// The pre-post guard. Capture-phase listeners on window see a post attempt (a click on a
// post button and the pointer events before it, Ctrl/Cmd+Enter in a composer, plain Enter
// in one that sends on Enter (enter-sends.js), a form's submit) before the site's own handlers, and decide synchronously from the cached
// verdict for the text as it is now. Anything but "allow" stops the event there; the dialog
// or a rescan follows. We never post for the user: after "Post anyway" or a clean rescan,
// the user's next real attempt goes through.

import { t } from '../shared/i18n.js';
import { composedContains, composedParent, composerFromEvent, composersWithin } from './composers.js';
import { enterSends } from './enter-sends.js';
import { postButtonFromEvent } from './post-buttons.js';

const POINTER_EVENTS = ['pointerdown', 'mousedown', 'pointerup', 'mouseup', 'click'];
const ORDER = { allow: 0, pass: 1, stale: 2, dialog: 3, unavailable: 4 };

export class SubmitGuard {
  #env; #busy = false;
  #heldEnter = null; // the composer whose Enter keydown was held: its keyup is held too

  // env: { sessions(): ComposerSession[], sessionFor(found), policy(), policyKnown(),
  // policyReady(): Promise, dialogs: { open(mode, sessions) }, toast(text, opts), clearToast(),
  // posted(sessions): a post attempt of these sessions' text is let through }
  constructor(env) { this.#env = env; }

  install(win) {
    for (const type of POINTER_EVENTS) win.addEventListener(type, (e) => this.#onPointer(e), true);
    win.addEventListener('keyup', (e) => this.#onKeyUp(e), true);
    win.addEventListener('submit', (e) => this.#onSubmit(e), true);
  }

  #onPointer(event) {
    if (event.type !== 'click' && event.button !== undefined && event.button !== 0) return;
    const button = postButtonFromEvent(event);
    if (!button) return;
    const sessions = this.#sessionsForButton(button);
    this.#guard(event, sessions, event.type === 'click');
  }

  // Enter that posts. Called by the content guard's one keydown listener (content-guard.js).
  keyDown(event) {
    if (event.key !== 'Enter' || event.isComposing || event.keyCode === 229) return;
    if (event.shiftKey || event.altKey) return;
    const found = composerFromEvent(event);
    if (!found) return;
    const submits = event.ctrlKey || event.metaKey || enterSends(found.element);
    if (!submits) return;
    const held = this.#guard(event, [this.#env.sessionFor(found)], true, 'key');
    this.#heldEnter = held ? found.element : null;
  }

  // A page that sends on keyup (rather than keydown) must not see the Enter we held either.
  #onKeyUp(event) {
    if (event.key !== 'Enter' || !this.#heldEnter) return;
    const found = composerFromEvent(event);
    if (found?.element !== this.#heldEnter) return;
    this.#heldEnter = null;
    event.preventDefault();
    event.stopImmediatePropagation();
  }

  #onSubmit(event) {
    const form = event.composedPath()[0];
    const sessions = this.#env.sessions().filter((s) => composedContains(form, s.element));
    this.#guard(event, sessions, true);
  }

  // Stops `event` unless every session may post; `act` says this event is the attempt itself
  // (not a pointerdown before it), so dialogs open and passes are spent here. `how` is
  // 'button' or 'key', for what the toasts ask the user to do again. True when held.
  #guard(event, sessions, act, how = 'button') {
    const policy = this.#env.policy();
    let worst = { kind: 'allow' };
    const decided = sessions.map((session) => ({ session, decision: session.decide(policy) }));
    for (const d of decided) if (ORDER[d.decision.kind] > ORDER[worst.kind]) worst = d.decision;
    // A failed check may only be let through once the policy says fail-open.
    if (worst.kind === 'allow' && worst.unavailable && !this.#env.policyKnown()) worst = { kind: 'stale' };
    if (worst.kind === 'allow' || worst.kind === 'pass') {
      if (act && event.isTrusted) {
        this.#spendPasses(decided);
        this.#env.posted?.(decided.map((d) => d.session));
      }
      return false;
    }
    event.preventDefault();
    event.stopImmediatePropagation();
    if (worst.kind === 'stale') {
      // Start the rescan at pointerdown already: the reply is usually back before the click.
      for (const { session, decision } of decided) if (decision.kind === 'stale') session.scheduler.flush();
    }
    if (act && !this.#busy) this.#respond(worst, decided.map((d) => d.session), how);
    return true;
  }

  #spendPasses(decided) {
    for (const { session, decision } of decided) {
      if (decision.kind !== 'pass') continue;
      session.spendPass();
    }
  }

  async #respond(decision, sessions, how) {
    this.#busy = true;
    try {
      let current = decision;
      if (current.kind === 'stale') {
        this.#env.toast(t('toastChecking'), { sticky: true });
        await Promise.all([this.#env.policyReady(), ...sessions.map((s) => s.scheduler.flush())]);
        current = this.#worst(sessions);
        if (current.kind === 'allow' || current.kind === 'pass') {
          this.#env.toast(how === 'key' ? t('toastNothingKey') : t('toastNothingButton'));
          return;
        }
        if (current.kind === 'stale') {
          this.#env.toast(how === 'key' ? t('toastChangedKey') : t('toastChangedButton'));
          return;
        }
      }
      this.#env.clearToast?.();
      await this.#env.dialogs.open(current.kind === 'unavailable' ? 'unavailable' : current.verdict, sessions, how);
    } finally {
      this.#busy = false;
    }
  }

  #worst(sessions) {
    const policy = this.#env.policy();
    let worst = { kind: 'allow' };
    for (const s of sessions) {
      const d = s.decide(policy);
      if (ORDER[d.kind] > ORDER[worst.kind]) worst = d;
    }
    return worst;
  }

  // The composers a post button belongs to: the ones with text in the nearest container the
  // button shares with them. A composer the user never focused (text put
  // there by the site) is picked up from the same container. A composer in another item of
  // a list (another review, comment or post) is not this button's: "Reply" on one review
  // only opens a reply box, and the text waiting in another review's box is not posted by it.
  #sessionsForButton(button) {
    const withText = this.#env.sessions().filter((s) => s.connected && s.text().trim());
    // In a top-level page, a button and a composer that share nothing below <body> are
    // unrelated (a feed's "Share" and the composer at the top). A frame is one widget, so
    // there <body> counts.
    const view = button.ownerDocument.defaultView;
    const stopAt = view && view.top !== view ? 'HTML' : 'BODY';
    let levels = 0;
    for (let node = composedParent(button); node && node.nodeName !== stopAt; node = composedParent(node)) {
      if (node.nodeType !== 1) continue;
      // NOTE: a post button sits within a few levels of its composer on every site we cover;
      // the cap keeps a "Share" click on a long feed from searching the whole page.
      if (++levels > 8) break;
      const related = (element) => composedContains(node, element) && !inOtherItem(node, button, element);
      const mine = withText.filter((s) => related(s.element));
      if (mine.length) return mine;
      const fresh = composersWithin(node, 20).filter((found) => related(found.element))
        .map((found) => this.#env.sessionFor(found)).filter((s) => s.text().trim());
      if (fresh.length) return fresh;
    }
    return [];
  }
}

// An item of a list: a review, a comment, a post in a feed.
function isItem(element) {
  if (element.nodeType !== 1) return false;
  const role = element.getAttribute('role');
  return element.localName === 'article' || role === 'article' || role === 'comment';
}

// Is `element` or `button` inside an item below `ancestor` that the other is not in? Then
// they belong to different items of one list.
function inOtherItem(ancestor, button, element) {
  for (const start of [button, element]) {
    for (let n = composedParent(start); n && n !== ancestor; n = composedParent(n)) {
      if (isItem(n)) return true;
    }
  }
  return false;
}
