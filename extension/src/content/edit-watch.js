// Every edit, with or without an `input` event. Editors change their text without `input`:
// Backspace and undo/redo in Draft.js and Lexical, undo and paste in Quill all prevent the
// browser's default and rewrite the DOM themselves. So a rich composer is also watched with
// a MutationObserver; in a textarea or input, whose value changes no DOM, paste, drop, cut
// and beforeinput look at the value once the page has applied them. Whatever the route, a
// change of the text calls onEdit(session), which arms a rescan and redraws; the same text
// does nothing.

// The editor applies these after the event (or instead of its default): look a task later.
const LATE_EVENTS = ['beforeinput', 'paste', 'drop', 'cut'];

export class EditWatch {
  #lastText = new WeakMap(); // session -> the text the last edit left
  #observers = new WeakMap(); // session -> MutationObserver, for contenteditable composers
  #onEdit;

  // onEdit(session, text): the session's text changed (to `text`) without an `input` event.
  constructor({ onEdit }) { this.#onEdit = onEdit; }

  watch(session) {
    this.#lastText.set(session, session.text());
    if (session.kind === 'editable') {
      // Sees every change the text model reads (text-model.js), the attributes that hide
      // text included, whichever event or none brought it. So a rich composer needs no late
      // look after beforeinput and the rest: that was a listener and a timer per keystroke
      // (issue 16).
      const observer = new MutationObserver(() => this.#textChanged(session));
      observer.observe(session.element, {
        subtree: true, childList: true, characterData: true, attributes: true,
        attributeFilter: ['hidden', 'aria-hidden'],
      });
      this.#observers.set(session, observer);
      return;
    }
    for (const type of LATE_EVENTS) {
      session.element.addEventListener(type, () => setTimeout(() => this.#textChanged(session), 0), true);
    }
  }

  // The composer left the page.
  unwatch(session) {
    this.#observers.get(session)?.disconnect();
    this.#observers.delete(session);
  }

  // An `input` event handled this edit already: its text is no change for the watch.
  // Returns the text, read once for both.
  inputHandled(session) {
    const text = session.text();
    this.#lastText.set(session, text);
    return text;
  }

  #textChanged(session) {
    if (!session.connected) return;
    const text = session.text();
    if (this.#lastText.get(session) === text) return;
    this.#lastText.set(session, text);
    this.#onEdit(session, text);
  }
}
