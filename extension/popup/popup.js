// The popup: host status (with the browser's exact words when it is unavailable), the rules
// version, and the last check (verdict, count and timings; never text).

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
}

localizePage(document);
$('reconnect').addEventListener('click', async () => {
  await chrome.runtime.sendMessage({ type: 'reconnect' });
  setTimeout(refresh, 500);
});
$('options').addEventListener('click', () => chrome.runtime.openOptionsPage());
refresh();
setInterval(refresh, 2000);
