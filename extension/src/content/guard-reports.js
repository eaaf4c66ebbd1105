// What the content script reports to the service worker for the audit trail: what the user
// did at the pre-post guard, and what categories in audit mode found in a post that went
// out. Identifiers only (rule ids, categories, verdicts, the rules version); the worker
// keeps nothing else (background/content-handlers.js auditEvent) and adds the site.

// How many "Not PHI" records a page keeps (dismissed()).
const MAX_DISMISSED = 200;

export class GuardReports {
  #request;
  #dismissed = []; // { rule, category, at } per "Not PHI", newest last: see dismissed()

  // request(message): a request to the service worker (WorkerChannel.request).
  constructor(request) { this.#request = request; }

  // The user's choice at the guard for `session`'s findings: outcome is 'blocked',
  // 'edited', 'cancelled' or 'posted_anyway'; extra: { justification }.
  outcome(session, outcome, extra = {}) {
    const findings = session.findings;
    this.#request({
      type: 'report',
      event: {
        outcome,
        verdict: session.verdict,
        rules: [...new Set(findings.map((f) => f.rule))],
        categories: [...new Set(findings.map((f) => f.category))],
        rules_version: session.reply?.result?.rules_version,
        ...extra,
      },
    });
  }

  // "Not PHI" on one finding: rule id and category only, never the text, kept in this
  // page's memory. The audit trail hears of it only if the post goes out (posted()).
  dismissed(finding) {
    this.#dismissed.push({ rule: finding.rule, category: finding.category, at: Date.now() });
    if (this.#dismissed.length > MAX_DISMISSED) this.#dismissed.shift();
  }

  // The "Not PHI" records kept so far (copies).
  get dismissedRecords() { return this.#dismissed.map((r) => ({ ...r })); }

  // A post of these sessions' text goes out, each recorded once per text: what categories in
  // audit mode found in it (nothing was shown), and warnings the user dismissed as "Not
  // PHI". Going on past a warning by dismissing it is going on past it, so it is recorded as
  // `posted_anyway` with the justification the user gave by that button; otherwise a post
  // would leave the audit trail with no sign of what was found.
  posted(sessions) {
    for (const session of sessions) {
      const audited = session.auditedToRecord();
      if (audited.length) this.#record('posted', session.auditedVerdict, audited, session);
      const dismissed = session.dismissedToRecord();
      if (dismissed.length) {
        this.#record('posted_anyway', session.undismissedVerdict, dismissed, session,
          { justification: 'not_patient_information' });
      }
    }
  }

  #record(outcome, verdict, findings, session, extra = {}) {
    this.#request({
      type: 'report',
      event: {
        outcome,
        verdict,
        rules: [...new Set(findings.map((f) => f.rule))],
        categories: [...new Set(findings.map((f) => f.category))],
        rules_version: session.reply?.result?.rules_version,
        ...extra,
      },
    });
  }
}
