// Messages into the service worker, routed through two handler tables by who sent them
// (after uBO Lite's background.js). Content scripts run inside pages we do not control, so
// they may only ask for a scan and report what the user did; the popup and options page,
// which are ours, may also read status and reconnect. Anything else gets an error.

export function trustTier(sender) {
  if (!sender || sender.id !== chrome.runtime.id) return 'none';
  // Our pages' URLs start with the extension's base URL (compared as text: URL.origin of a
  // chrome-extension: URL is "null" outside Chromium, e.g. in the unit tests).
  const base = chrome.runtime.getURL('');
  const ours = (sender.origin && `${sender.origin}/` === base) ||
    (!sender.origin && typeof sender.url === 'string' && sender.url.startsWith(base));
  if (ours) return 'extension';
  return sender.tab ? 'content' : 'none';
}

// tables: { content: {type: handler}, extension: {type: handler} }. Extension pages may also
// use the content handlers. Handlers take (message, sender) and return a value or promise.
export function createRouter(tables) {
  const byTier = {
    content: tables.content,
    extension: { ...tables.content, ...tables.extension },
    none: {},
  };
  return function onMessage(message, sender, sendResponse) {
    const tier = trustTier(sender);
    const type = typeof message?.type === 'string' ? message.type : '';
    const handler = Object.hasOwn(byTier[tier], type) ? byTier[tier][type] : null;
    if (!handler) {
      sendResponse({ ok: false, error: 'not_allowed', message: `${tier} may not send "${type}"` });
      return false;
    }
    Promise.resolve()
      .then(() => handler(message, sender))
      .then(sendResponse, (error) => sendResponse({ ok: false, error: 'internal', message: String(error?.message ?? error) }));
    return true; // the reply is asynchronous
  };
}
