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

// As shiftFindings, but the findings after the edit are moved in place (the caller owns
// them): the same array is returned unless the edit touched a finding. A 20 KB post holds
// about 200 findings, and copying each one after the edit at every keystroke was 8 % of the
// extension's samples (issue 16).
export function shiftFindingsInPlace(findings, oldText, newText) {
  if (oldText === newText) return findings;
  const edit = editSpan(oldText, newText);
  const delta = edit.newEnd - edit.oldEnd;
  let out = null; // the findings kept, once one was dropped
  findings.forEach((finding, i) => {
    if (finding.end <= edit.start) {
      out?.push(finding);
    } else if (finding.start >= edit.oldEnd) {
      finding.start += delta;
      finding.end += delta;
      out?.push(finding);
    } else {
      out ??= findings.slice(0, i);
    }
  });
  return out ?? findings;
}
