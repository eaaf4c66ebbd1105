// Keeps underlines on the right characters while the user types, until the next scan
// replies: findings before the edit stay, findings after it move by the edit's length, and
// findings the edit touched are dropped. The edit is the span between the common prefix and
// the common suffix of the old and new text.

export function editSpan(oldText, newText) {
  const max = Math.min(oldText.length, newText.length);
  let prefix = 0;
  while (prefix < max && oldText.charCodeAt(prefix) === newText.charCodeAt(prefix)) prefix += 1;
  let suffix = 0;
  while (suffix < max - prefix &&
    oldText.charCodeAt(oldText.length - 1 - suffix) === newText.charCodeAt(newText.length - 1 - suffix)) {
    suffix += 1;
  }
  return { start: prefix, oldEnd: oldText.length - suffix, newEnd: newText.length - suffix };
}

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
