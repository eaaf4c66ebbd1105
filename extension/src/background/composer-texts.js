// The last text each composer sent on one content port, so a scan may carry only what
// changed since (content/worker-channel.js): { type: 'scan', composer, seq, base, length,
// edit: { start, end, text } } is the text of scan `base` with [start, end) replaced by
// `text`, `length` code units long. Sending a 20 KB post whole at every pause in typing cost
// the page's thread the copy and serialisation of the whole text on each keystroke (issue
// 16); an edit is a few characters. The texts live in the service worker's memory for as
// long as the port, never anywhere else.

import { MAX_TEXT_CHARS } from './content-handlers.js';

// Composers per frame whose last text is kept; one is typed into at a time.
const MAX_COMPOSERS = 8;

export class ComposerTexts {
  #texts = new Map(); // composer id -> { seq, text }, the most recently sent last

  // The scan request with its whole text, or null when its edit does not apply to the text
  // kept (the content script then sends the whole text: a reply { error: 'resend' }).
  // Anything but a scan from a composer is returned as it is.
  resolve(message) {
    if (message?.type !== 'scan' || typeof message.composer !== 'string') return message;
    const { composer, seq, base, length, edit, ...rest } = message;
    let text = rest.text;
    if (edit !== undefined) {
      const kept = this.#texts.get(composer);
      if (!kept || kept.seq !== base || !validEdit(edit, kept.text)) return null;
      text = kept.text.slice(0, edit.start) + edit.text + kept.text.slice(edit.end);
      if (text.length !== length) return null;
    }
    this.#texts.delete(composer);
    if (typeof text === 'string' && text.length <= MAX_TEXT_CHARS && Number.isSafeInteger(seq)) {
      this.#texts.set(composer, { seq, text });
      if (this.#texts.size > MAX_COMPOSERS) this.#texts.delete(this.#texts.keys().next().value);
    }
    return { ...rest, text };
  }
}

function validEdit(edit, text) {
  return Boolean(edit) && typeof edit.text === 'string' && Number.isSafeInteger(edit.start) &&
    Number.isSafeInteger(edit.end) && edit.start >= 0 && edit.start <= edit.end && edit.end <= text.length;
}
