// The popup's "Report a false alarm": one content-free audit record of the last check, with
// outcome `false_alarm` (docs/protocol.md "audit"): its site, verdict, the ids and categories
// of the rules that fired and the rules version. Never text, never what matched: the service
// worker has neither. The host records it only when audit records are on, and refuses a
// record that names a site, rule or version it does not know.

import { auditEvent } from './content-handlers.js';

const REPORT_TIMEOUT_MS = 2000;

// port: the NativePort; status: the HostStatus. The handler takes { at }, the time of the
// check the popup shows, and answers { ok, recorded } or { ok: false, error }:
// nothing_to_report when the last check found nothing, changed when it is not the one shown.
export function falseAlarmHandler({ port, status }) {
  return async function reportFalseAlarm(message = {}) {
    const check = status.snapshot().lastCheck;
    if (!check || check.error || !check.rules?.length) return { ok: false, error: 'nothing_to_report' };
    if (message.at !== undefined && message.at !== check.at) return { ok: false, error: 'changed' };
    const event = auditEvent({
      outcome: 'false_alarm', verdict: check.verdict, rules: check.rules,
      categories: check.categories, rules_version: check.rulesVersion,
    }, check.site, ['false_alarm']);
    if (!event) return { ok: false, error: 'bad_request' };
    try {
      const reply = await port.request({ type: 'audit', event }, { timeoutMs: REPORT_TIMEOUT_MS });
      const recorded = reply.recorded === true;
      if (recorded) status.markReported(check.at);
      return { ok: true, recorded };
    } catch (error) {
      return { ok: false, error: error?.code ?? 'internal', message: String(error?.message ?? '') };
    }
  };
}
