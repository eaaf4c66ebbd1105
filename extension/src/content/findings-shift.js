// Keeps underlines on the right characters while the user types, until the next scan
// replies: findings before the edit stay, findings after it move by the edit's length, and
// findings the edit touched are dropped. The edit is the span between the common prefix and
// the common suffix of the old and new text.

import { editSpan } from '../shared/text-edit.js';

export { editSpan };

export function shiftFindings(findings, oldText, newText) {
  if (oldText === newText) return findings;
  const edit = editSpan(oldText, newText);
  const delta = edit.newEnd - edit.oldEnd;
  const out = [];
  for (const finding of findings) {
    if (finding.end <= edit.start) out.push(finding);
    else if (finding.start >= edit.oldEnd) {
      out.push({ ...finding, start: finding.start + delta, end: finding.end + delta });
    }
  }
  return out;
}
