// "Not PHI": findings the user dismissed in one composer, for the post being written there
// (issue #16). A dismissal is the finding's category and the text it covered, so the same
// words typed again in the same post stay dismissed wherever they appear. It lives in the
// composer's session only (memory, this tab): a new composer starts with none, and so does
// the next post in the same composer (the text was emptied). The capped finding (text left
// unchecked) cannot be dismissed, and neither can a finding the organisation's policy blocks:
// "Not PHI" on it would let the post out with nothing held and nothing recorded, which is
// what `block` forbids (the fix, an edit or "Report a false alarm" remain). A post that goes
// out with dismissed warnings is recorded (guard-reports.js `posted`).

import { CAPPED_RULE } from '../shared/policy.js';

export function canDismiss(finding) {
  return Boolean(finding) && finding.rule !== CAPPED_RULE && finding.effective !== 'block';
}

export class Dismissals {
  #keys = new Set();

  get size() { return this.#keys.size; }

  // `text` is the text the finding's offsets hold for.
  add(finding, text) {
    if (!canDismiss(finding)) return false;
    const key = keyOf(finding, text);
    if (!key) return false;
    this.#keys.add(key);
    return true;
  }

  has(finding, text) {
    if (!this.#keys.size || !canDismiss(finding)) return false;
    const key = keyOf(finding, text);
    return key !== null && this.#keys.has(key);
  }

  // The findings of a reply for `text` that were not dismissed.
  keep(findings, text) {
    return this.#keys.size ? findings.filter((f) => !this.has(f, text)) : findings;
  }

  clear() { this.#keys.clear(); }
}

// Category and covered words; spacing and letter case do not make the words new.
function keyOf(finding, text) {
  const words = text.slice(finding.start, finding.end).replace(/\s+/g, ' ').trim().toLocaleLowerCase();
  return words ? `${finding.category}\u0000${words}` : null;
}
