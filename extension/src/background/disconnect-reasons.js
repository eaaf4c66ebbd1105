// Why the native port closed, from the browser's own message. The texts are Chromium's
// (docs/browser-testing.md) and Firefox's; anything else is kept verbatim
// so the popup still shows the exact words the browser used. The summaries are in the
// extension's language (extension/_locales).

import { t } from '../shared/i18n.js';

const REASONS = [
  { reason: 'not_found', match: /not found|no such native application/i,
    summary: () => t('disconnect_not_found') },
  { reason: 'forbidden', match: /is forbidden|not allowed|allowed_extensions/i,
    summary: () => t('disconnect_forbidden') },
  { reason: 'blocked_by_policy', match: /disabled by the system administrator/i,
    summary: () => t('disconnect_blocked_by_policy') },
  { reason: 'exited', match: /has exited|exited/i,
    summary: () => t('disconnect_exited') },
  { reason: 'timeout', match: /timed out|no reply within/i,
    summary: () => t('disconnect_timeout') },
  { reason: 'protocol_error', match: /error when communicating/i,
    summary: () => t('disconnect_protocol_error') },
];

// { reason, summary, browserMessage } for a lastError / port.error message (or none).
export function classifyDisconnect(message) {
  const browserMessage = typeof message === 'string' ? message : '';
  for (const entry of REASONS) {
    if (entry.match.test(browserMessage)) {
      return { reason: entry.reason, summary: entry.summary(), browserMessage };
    }
  }
  return {
    reason: browserMessage ? 'error' : 'exited',
    summary: browserMessage ? t('disconnect_error') : t('disconnect_exited'),
    browserMessage,
  };
}
