// What the content script reports to the service worker for the audit trail: what the user
// did at the pre-post guard, and what categories in audit mode found in a post that went
// out. Identifiers only (rule ids, categories, verdicts, the rules version); the worker
// keeps nothing else (background/content-handlers.js auditEvent) and adds the site.

export class GuardReports {
  #request;

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
