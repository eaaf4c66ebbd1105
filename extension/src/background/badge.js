// The toolbar badge: empty while the host answers, "!" (with the reason as the tooltip)
// while it does not, so an unavailable host is visible without opening the popup.

import { t } from '../shared/i18n.js';

export function showHostState(snapshot) {
  const unavailable = snapshot.state === 'unavailable';
  const text = unavailable ? '!' : '';
  const title = unavailable
    ? t('badgeUnavailable', snapshot.summary, snapshot.browserMessage ?? '').trim()
    : snapshot.state === 'ready'
      ? t('badgeOn', snapshot.rulesVersion ?? t('badgeRulesUnknown'))
      : t('badgeConnecting');
  chrome.action.setBadgeText({ text }).catch(() => {});
  chrome.action.setBadgeBackgroundColor({ color: '#b3261e' }).catch(() => {});
  chrome.action.setTitle({ title }).catch(() => {});
}
