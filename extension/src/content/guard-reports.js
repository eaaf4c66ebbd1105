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

  // "Not PHI" on one finding. The host's audit trail has no outcome for it (docs/protocol.md
  // "audit": its outcomes are a closed list), so the record stays here, in this page's
  // memory: rule id and category only, never the text.
  dismissed(finding) {
    this.#dismissed.push({ rule: finding.rule, category: finding.category, at: Date.now() });
    if (this.#dismissed.length > MAX_DISMISSED) this.#dismissed.shift();
  }

  // The "Not PHI" records kept so far (copies).
  get dismissedRecords() { return this.#dismissed.map((r) => ({ ...r })); }

  // A post of these sessions' text goes out: what categories in audit mode found in it is
  // recorded, once per text, and nothing is shown.
  posted(sessions) {
    for (const session of sessions) {
      const findings = session.auditedToRecord();
      if (!findings.length) continue;
      this.#request({
        type: 'report',
        event: {
          outcome: 'posted',
          verdict: session.auditedVerdict,
          rules: [...new Set(findings.map((f) => f.rule))],
          categories: [...new Set(findings.map((f) => f.category))],
          rules_version: session.reply?.result?.rules_version,
        },
      });
    }
  }
}
