// The three requests content scripts may make: scan the composer's text, report what the
// user did at the pre-post guard (an audit record of identifiers only, docs/protocol.md),
// and read the policy the service worker read from managed storage.
// The site comes from the sender's origin, not from the message, so a page cannot relabel it.

import { isCategory } from '../shared/categories.js';
import { contentPolicy, JUSTIFICATIONS } from '../shared/policy.js';
import { describeSite } from '../shared/sites.js';

export const MAX_TEXT_CHARS = 1_000_000; // the host takes 4 MiB of UTF-8; this stays under it
// What content scripts may report; the popup's false-alarm report (false-alarm.js) is not
// theirs to send.
const OUTCOMES = ['edited', 'posted_anyway', 'cancelled', 'blocked', 'posted'];
// The host's audit parser takes exactly these shapes (host/src/audit/audit_event.cc).
const RULE_ID = /^[a-z0-9_.-]{1,128}$/;
const VERSION = /^[A-Za-z0-9._@+-]{0,512}$/;
const HOST = /^[a-z0-9.-]{1,253}$/;

function senderSite(sender) {
  const origin = sender.origin && sender.origin !== 'null' ? sender.origin : sender.url;
  try {
    return describeSite(new URL(origin).hostname);
  } catch {
    return { site: 'unknown', surface: 'compose' };
  }
}

// port: the NativePort; status: the HostStatus; policyState(): the service worker's
// current read of managed storage, a promise of { policy, problems, managed }.
export function contentHandlers({ port, status, policyState }) {
  async function scan(message, sender) {
    const text = message.text;
    if (typeof text !== 'string' || text.length > MAX_TEXT_CHARS) {
      return { ok: false, error: 'bad_request', summary: 'text missing or too long' };
    }
    const { site, surface } = senderSite(sender);
    const started = performance.now();
    try {
      // Rule details once per reply: the content script merges them (content/rule-details.js).
      const reply = await port.request({ type: 'scan', text, site, surface, rule_details: 'once' });
      const roundTripMs = performance.now() - started;
      const findings = Array.isArray(reply.findings) ? reply.findings : [];
      status.recordCheck({
        verdict: reply.verdict, findings: findings.length, scanUs: reply.scan_us, roundTripMs, site,
        ...firedRules(findings, reply.rule_details), rulesVersion: reply.rules_version,
      });
      return {
        ok: true,
        result: {
          verdict: reply.verdict, findings, rules_version: reply.rules_version,
          scan_us: reply.scan_us, truncated: reply.truncated === true,
          ...(reply.rule_details ? { rule_details: reply.rule_details } : {}),
        },
        host: status.brief(),
      };
    } catch (error) {
      const code = error?.code ?? 'internal';
      const kind = code === 'timeout' ? 'timeout'
        : code === 'unavailable' || code === 'disconnected' ? 'unavailable' : 'host_error';
      status.recordCheck({ error: kind, site });
      return {
        ok: false, error: kind, reason: error?.detail?.reason ?? code,
        summary: error?.message ?? '', host: status.brief(),
      };
    }
  }

  async function report(message, sender) {
    const event = auditEvent(message.event, senderSite(sender).site);
    if (!event) return { ok: false, error: 'bad_request' };
    try {
      const reply = await port.request({ type: 'audit', event }, { timeoutMs: 2000 });
      return { ok: true, recorded: reply.recorded === true };
    } catch {
      return { ok: true, recorded: false };
    }
  }

  // The policy for the page, answered once the worker's read of managed storage has
  // finished: a worker that was stopped and started again reads it again when it starts, and
  // the request waits for that. Content scripts never read managed storage themselves.
  async function policy() {
    const { policy: current } = await policyState();
    return { ok: true, policy: contentPolicy(current) };
  }

  return { scan, report, policy };
}

// The rule ids and categories of the findings a reply shows (audit-mode ones are never
// shown), for the popup's false-alarm report: identifiers only.
export function firedRules(findings, details = {}) {
  const shown = findings.filter((f) => f && f.audited !== true);
  return {
    rules: [...new Set(shown.map((f) => f.rule))].filter((r) => RULE_ID.test(r)).slice(0, 50),
    categories: [...new Set(shown.map((f) => f.category ?? details?.[f.rule]?.category))].filter(isCategory).slice(0, 30),
  };
}

// Only identifiers from closed lists get through; null when the event is malformed.
// `outcomes`: those the sender may report (content scripts: the guard's).
export function auditEvent(raw, site, outcomes = OUTCOMES) {
  if (!raw || typeof raw !== 'object' || !outcomes.includes(raw.outcome)) return null;
  if (!['allow', 'warn', 'block'].includes(raw.verdict)) return null;
  const event = {
    site: HOST.test(site) ? site : 'unknown',
    verdict: raw.verdict,
    outcome: raw.outcome,
    rules: (Array.isArray(raw.rules) ? raw.rules : []).filter((r) => RULE_ID.test(r)).slice(0, 50),
    categories: (Array.isArray(raw.categories) ? raw.categories : []).filter(isCategory).slice(0, 30),
  };
  if (JUSTIFICATIONS.includes(raw.justification)) event.justification = raw.justification;
  if (typeof raw.rules_version === 'string' && VERSION.test(raw.rules_version)) {
    event.rules_version = raw.rules_version;
  }
  return event;
}
