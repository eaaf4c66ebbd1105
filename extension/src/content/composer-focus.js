// Gives the focus back to a composer (from the card, after the pre-post dialog), and with a
// finding, selects its text so "Edit post" lands on what to change.

import { rangeForOffsets } from './offsets.js';

export function focusComposer(session, finding = null) {
  session.element.focus({ preventScroll: false });
  if (!finding) return;
  if (session.kind === 'value') {
    session.element.setSelectionRange(finding.start, finding.end);
    return;
  }
  const doc = session.element.ownerDocument;
  const range = rangeForOffsets(session.read().segments, finding.start, finding.end, doc);
  const selection = session.element.getRootNode().getSelection?.() ?? doc.getSelection();
  if (range && selection) {
    selection.removeAllRanges();
    selection.addRange(range);
  }
}
