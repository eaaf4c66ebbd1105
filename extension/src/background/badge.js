// The toolbar badge: empty while the host answers, "!" (with the reason as the tooltip)
// while it does not, so an unavailable host is visible without opening the popup.

export function showHostState(snapshot) {
  const unavailable = snapshot.state === 'unavailable';
  const text = unavailable ? '!' : '';
  const title = unavailable
    ? `PHI Guard: protection unavailable. ${snapshot.summary} ${snapshot.browserMessage ?? ''}`.trim()
    : snapshot.state === 'ready'
      ? `PHI Guard: on (rules ${snapshot.rulesVersion ?? 'unknown'})`
      : 'PHI Guard: connecting to the host';
  chrome.action.setBadgeText({ text }).catch(() => {});
  chrome.action.setBadgeBackgroundColor({ color: '#b3261e' }).catch(() => {});
  chrome.action.setTitle({ title }).catch(() => {});
}
