// A reply's findings made whole for the page: each rule's details merged back into its
// findings (rule-details.js) and the policy's action set as `effective` (shared/policy.js
// applyPolicy), with what applyPolicy returns. A finding that is the same as one of the
// last decoration's, moved to the reply's text (the same rule, span, host fields and rule
// details, under the same policy), keeps that decorated object instead of a new one: a
// reply after a keystroke on a 20 KB post carries ~200 findings of which the key changed
// one or none, and rebuilding every one of them (the details spread into each, then the
// policy's copy of each) made the reply's handling scale with the post's findings, not with
// the edit (issue 16, docs/performance.md "ninth round"). Kept objects also keep their
// identity for the card and the overlay across replies.

import { applyPolicy, effectiveAction, isAudited, stricter } from '../shared/policy.js';
import { withRuleDetails } from './rule-details.js';

// On each finding made: { raw: the host's finding, count: its fields, details: its rule's },
// not enumerable (copies, spreads and comparisons of findings do not see it).
const MADE = Symbol('made');

export class FindingDecor {
  #policy = null; // the policy the findings made last were decorated under
  #details = new Map(); // rule id -> its details object as last seen (one object per equal details)

  // `result`: a scan reply's result ({ findings, rule_details? }). `previous`: findings this
  // returned before (any of them; those not made by this decor are ignored), at offsets into
  // the text `result` is for. Returns { verdict, findings, audited, auditedVerdict } as
  // applyPolicy(withRuleDetails(result).findings, policy) does, with equal content.
  apply(result, policy, previous = []) {
    const raws = Array.isArray(result?.findings) ? result.findings : [];
    const details = this.#detailsOf(result);
    if (policy !== this.#policy) {
      this.#policy = policy;
      previous = [];
    }
    const n = raws.length;
    const m = previous.length;
    const out = new Array(n);
    // The findings before and after what changed are most often the same, in the same
    // order: they are matched in place, and the rest by span and rule.
    let lo = 0;
    while (lo < n && lo < m && this.#same(previous[lo], raws[lo], details)) {
      out[lo] = previous[lo];
      lo += 1;
    }
    let hiN = n;
    let hiM = m;
    while (hiN > lo && hiM > lo && this.#same(previous[hiM - 1], raws[hiN - 1], details)) {
      hiN -= 1;
      hiM -= 1;
      out[hiN] = previous[hiM];
    }
    let byKey = null;
    for (let i = lo; i < hiN; i += 1) {
      const raw = raws[i];
      if (!byKey && hiM > lo) {
        byKey = new Map();
        for (let j = hiM - 1; j >= lo; j -= 1) byKey.set(keyOf(previous[j]), previous[j]);
      }
      const key = byKey && keyOf(raw);
      const candidate = byKey?.get(key);
      if (candidate && this.#same(candidate, raw, details)) {
        byKey.delete(key); // one object is never two findings
        out[i] = candidate;
      } else {
        out[i] = this.#make(raw, details, policy);
      }
    }
    let verdict = 'allow';
    let auditedVerdict = 'allow';
    let shown = out;
    const audited = [];
    for (let i = 0; i < n; i += 1) {
      const finding = out[i];
      if (isAudited(finding, policy)) {
        if (shown === out) shown = out.slice(0, i);
        audited.push(finding);
        auditedVerdict = stricter(auditedVerdict, finding.effective);
      } else {
        if (shown !== out) shown.push(finding);
        verdict = stricter(verdict, finding.effective);
      }
    }
    return { verdict, findings: shown, audited, auditedVerdict };
  }

  #make(raw, details, policy) {
    const ruleDetails = details?.get(raw.rule) ?? null;
    const finding = { ...(ruleDetails ?? {}), ...raw };
    finding.effective = effectiveAction(finding, policy);
    let count = 0;
    for (const key in raw) if (key) count += 1;
    Object.defineProperty(finding, MADE, { value: { raw, count, details: ruleDetails, by: this } });
    return finding;
  }

  // True when `finding` (made by this decor) is what `raw` would be made into now: the same
  // rule and span, the same rule details (by identity: #detailsOf), the same other fields.
  // NOTE: it runs for every finding of every reply; a WeakMap of what each was made from and
  // a two-way field walk cost more in the page than the copies they spare (issue 16).
  #same(finding, raw, details) {
    const made = finding?.[MADE];
    if (!made || made.by !== this || finding.start !== raw.start || finding.end !== raw.end || finding.rule !== raw.rule) return false;
    if (made.details !== (details?.get(raw.rule) ?? null)) return false;
    const was = made.raw;
    let count = 0;
    for (const key in raw) {
      count += 1;
      if (key !== 'start' && key !== 'end' && was[key] !== raw[key]) return false;
    }
    return count === made.count;
  }

  // The result's rule details as rule id -> object, each the object kept from an earlier
  // reply when its fields are the same (so a finding's details compare by identity).
  #detailsOf(result) {
    const given = result?.rule_details;
    if (!given || typeof given !== 'object') return null;
    const out = new Map();
    for (const rule of Object.keys(given)) {
      const now = given[rule];
      const kept = this.#details.get(rule);
      if (kept && sameFields(kept, now)) out.set(rule, kept);
      else {
        this.#details.set(rule, now);
        out.set(rule, now);
      }
    }
    return out;
  }
}

// The plain decoration, nothing kept: what FindingDecor.apply's result must equal.
export function decorateFresh(result, policy) {
  return applyPolicy(withRuleDetails(result)?.findings ?? [], policy);
}

function keyOf(f) { return `${f.start}|${f.end}|${f.rule}`; }

// Same fields with the same values (a rule's details, from a message: no inherited fields).
function sameFields(a, b) {
  if (a === b) return true;
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object') return false;
  let count = 0;
  for (const key in a) {
    count += 1;
    if (a[key] !== b[key]) return false;
  }
  for (const key in b) if (key) count -= 1;
  return count === 0;
}
