// The popup: host status (with the browser's exact words when it is unavailable), the rules
// version, and the last check (verdict, count and timings; never text).

const $ = (id) => document.getElementById(id);

function describeCheck(check) {
  if (!check) return 'none yet';
  const when = new Date(check.at).toLocaleTimeString();
  if (check.error) return `${when}: failed (${check.error}) on ${check.site}`;
  const found = check.findings === 1 ? '1 finding' : `${check.findings} findings`;
  const timing = typeof check.roundTripMs === 'number' ? `, ${check.roundTripMs.toFixed(1)} ms round trip` : '';
  return `${when}: ${check.verdict}, ${found} on ${check.site} (scan ${check.scanUs} µs${timing})`;
}

const STATE_TEXT = {
  ready: 'Protection on',
  connecting: 'Connecting to the host…',
  unavailable: 'Protection unavailable',
  idle: 'Starting…',
};

async function refresh() {
  const reply = await chrome.runtime.sendMessage({ type: 'status' });
  if (!reply?.ok) return;
  const { host, policy, sites } = reply;
  // Retrying after a failure is still "unavailable" to the user.
  const state = host.state === 'connecting' && host.reason ? 'unavailable' : host.state;
  $('state').textContent = `${STATE_TEXT[state] ?? state}${state !== host.state ? ' (retrying…)' : ''}`;
  $('state').dataset.state = state;
  $('host-version').textContent = host.hostVersion ? `phiguard-host ${host.hostVersion} (protocol ${host.protocol})` : '–';
  $('rules-version').textContent = host.rulesVersion ?? '–';
  $('last-check').textContent = describeCheck(host.lastCheck);
  $('fail-mode').textContent = policy.failMode === 'closed' ? 'closed (posting blocked without the host)' : 'open (warns that protection is off)';
  const reason = $('reason');
  reason.hidden = state !== 'unavailable' && !host.rulesError;
  reason.textContent = state === 'unavailable'
    ? `${host.summary} Browser said: "${host.browserMessage || 'nothing'}" (${host.reason}).`
    : `Rules not loaded: ${host.rulesError ?? ''}`;
  const missing = $('sites-missing');
  missing.hidden = !sites.missing.length;
  missing.textContent = `Your organisation added ${sites.missing.join(', ')}. Allow PHI Guard there in Settings.`;
}

$('reconnect').addEventListener('click', async () => {
  await chrome.runtime.sendMessage({ type: 'reconnect' });
  setTimeout(refresh, 500);
});
$('options').addEventListener('click', () => chrome.runtime.openOptionsPage());
refresh();
setInterval(refresh, 2000);
