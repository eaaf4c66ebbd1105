// Why the native port closed, from the browser's own message. The texts are Chromium's
// (docs/browser-testing.md) and Firefox's; anything else is kept verbatim
// so the popup still shows the exact words the browser used.

const REASONS = [
  { reason: 'not_found', match: /not found|no such native application/i,
    summary: 'The PHI Guard host is not installed (the browser found no host manifest).' },
  { reason: 'forbidden', match: /is forbidden|not allowed|allowed_extensions/i,
    summary: 'The host manifest does not allow this extension (check allowed_origins).' },
  { reason: 'blocked_by_policy', match: /disabled by the system administrator/i,
    summary: 'Browser policy blocks the native host (NativeMessagingBlocklist).' },
  { reason: 'exited', match: /has exited|exited/i,
    summary: 'The PHI Guard host exited.' },
  { reason: 'timeout', match: /timed out|no reply within/i,
    summary: 'The PHI Guard host started but did not answer in time.' },
  { reason: 'protocol_error', match: /error when communicating/i,
    summary: 'The host sent something the browser could not read.' },
];

// { reason, summary, browserMessage } for a lastError / port.error message (or none).
export function classifyDisconnect(message) {
  const browserMessage = typeof message === 'string' ? message : '';
  for (const entry of REASONS) {
    if (entry.match.test(browserMessage)) {
      return { reason: entry.reason, summary: entry.summary, browserMessage };
    }
  }
  return {
    reason: browserMessage ? 'error' : 'exited',
    summary: browserMessage ? 'The connection to the host failed.' : 'The PHI Guard host exited.',
    browserMessage,
  };
}
