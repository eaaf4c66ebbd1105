// The popup: host status (with the browser's exact words when it is unavailable), the rules
// version, the last check (verdict, count and timings; never text), whether audit records
// are on, and "Report a false alarm" for the last check's findings (background/false-alarm.js:
// rule ids and categories to the audit record, never text).

import { localizePage, t } from '../src/shared/i18n.js';

const $ = (id) => document.getElementById(id);

// The host's verdict words; an unknown one is shown as it came.
const VERDICTS = { allow: () => t('verdict_allow'), info: () => t('verdict_info'), warn: () => t('verdict_warn'), block: () => t('verdict_block') };

function describeCheck(check) {
  if (!check) return t('popupNoneYet');
  const when = new Date(check.at).toLocaleTimeString();
  if (check.error) return t('checkFailed', when, check.error, check.site);
  const found = check.findings === 1 ? t('checkFindingsOne') : t('checkFindingsMany', check.findings);
  const timing = typeof check.roundTripMs === 'number' ? t('checkRoundTrip', check.roundTripMs.toFixed(1)) : '';
  const verdict = VERDICTS[check.verdict]?.() ?? check.verdict;
  return t('checkDone', when, verdict, found, check.site, check.scanUs, timing);
}

const STATE_TEXT = {
  ready: () => t('stateReady'),
  connecting: () => t('stateConnecting'),
  unavailable: () => t('stateUnavailable'),
  idle: () => t('stateIdle'),
};

async function refresh() {
  const reply = await chrome.runtime.sendMessage({ type: 'status' });
  if (!reply?.ok) return;
  const { host, policy, sites } = reply;
  // Retrying after a failure is still "unavailable" to the user.
  const state = host.state === 'connecting' && host.reason ? 'unavailable' : host.state;
  const stateText = STATE_TEXT[state]?.() ?? state;
  $('state').textContent = state !== host.state ? t('stateRetrying', stateText) : stateText;
  $('state').dataset.state = state;
  $('host-version').textContent = host.hostVersion ? t('popupHostVersion', host.hostVersion, host.protocol) : '–';
  $('rules-version').textContent = host.rulesVersion ?? '–';
  $('last-check').textContent = describeCheck(host.lastCheck);
  $('fail-mode').textContent = policy.failMode === 'closed' ? t('failModeClosed') : t('failModeOpen');
  const reason = $('reason');
  reason.hidden = state !== 'unavailable' && !host.rulesError;
  reason.textContent = state === 'unavailable'
    ? t('popupBrowserSaid', host.summary, host.browserMessage || t('popupBrowserSaidNothing'), host.reason)
    : t('popupRulesNotLoaded', host.rulesError ?? '');
  const missing = $('sites-missing');
  missing.hidden = !sites.missing.length;
  missing.textContent = t('popupSitesMissing', sites.missing.join(', '));
  showAudit(host, policy);
}

const AUDIT_TEXT = { true: () => t('popupAuditOn'), false: () => t('popupAuditOff') };
let reportNote = null; // what the last click on the report button came to, for this check
let shownCheckAt = null; // the last check the popup shows, which a click reports

// The audit row, and the report button when the last check found something: with audit
// records on it sends the report, with them off the popup says a report cannot be kept.
function showAudit(host, policy) {
  $('audit').textContent = AUDIT_TEXT[host.audit]?.() ?? '–';
  const check = host.lastCheck;
  const section = $('report');
  const button = $('report-false-alarm');
  section.hidden = !check || Boolean(check.error) || !check.rules?.length || host.audit === null;
  shownCheckAt = section.hidden ? null : check.at;
  if (section.hidden) return;
  if (reportNote?.at !== check.at) reportNote = null;
  section.dataset.audit = String(host.audit);
  button.hidden = host.audit !== true;
  button.disabled = Boolean(check.reported) || reportNote?.busy === true;
  button.textContent = check.reported ? t('popupReported') : t('popupReportFalseAlarm');
  const note = $('report-note');
  if (reportNote?.text) note.textContent = reportNote.text;
  else if (check.reported) note.textContent = t('popupReportRecorded');
  else if (host.audit) note.textContent = t('popupReportExplain');
  else note.textContent = policy.contactText ? t('popupReportAuditOffContact', policy.contactText) : t('popupReportAuditOff');
}

// Reports the check the popup shows; if a newer one came in meanwhile, nothing is sent.
async function reportFalseAlarm() {
  const at = shownCheckAt;
  reportNote = { at, busy: true };
  $('report-false-alarm').disabled = true;
  const reply = await chrome.runtime.sendMessage({ type: 'reportFalseAlarm', at });
  let text;
  if (reply?.ok && reply.recorded) text = t('popupReportRecorded');
  else if (reply?.ok) text = t('popupReportAuditOff');
  else if (reply?.error === 'changed') text = t('popupReportChanged');
  else text = t('popupReportFailed', reply?.error ?? 'internal');
  reportNote = { at, text, busy: false };
  await refresh();
}

localizePage(document);
$('reconnect').addEventListener('click', async () => {
  await chrome.runtime.sendMessage({ type: 'reconnect' });
  setTimeout(refresh, 500);
});
$('options').addEventListener('click', () => chrome.runtime.openOptionsPage());
$('report-false-alarm').addEventListener('click', reportFalseAlarm);
refresh();
setInterval(refresh, 2000);
