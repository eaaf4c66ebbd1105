// Messages into the service worker, routed through two handler tables by who sent them
// (after uBO Lite's background.js). Content scripts run inside pages we do not control, so
// they may only ask for a scan and report what the user did; the popup and options page,
// which are ours, may also read status and reconnect. Anything else gets an error.

import { ComposerTexts } from './composer-texts.js';

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
// Returns dispatch(message, sender) -> Promise of the reply.
export function createRouter(tables) {
  const byTier = {
    content: tables.content,
    extension: { ...tables.content, ...tables.extension },
    none: {},
  };
  return async function dispatch(message, sender) {
    const tier = trustTier(sender);
    const type = typeof message?.type === 'string' ? message.type : '';
    const handler = Object.hasOwn(byTier[tier], type) ? byTier[tier][type] : null;
    if (!handler) return { ok: false, error: 'not_allowed', message: `${tier} may not send "${type}"` };
    try {
      return await handler(message, sender);
    } catch (error) {
      return { ok: false, error: 'internal', message: String(error?.message ?? error) };
    }
  };
}

// chrome.runtime.onMessage listener around dispatch (one-off messages: popup, options).
export function messageListener(dispatch) {
  return (message, sender, sendResponse) => {
    dispatch(message, sender).then(sendResponse);
    return true; // the reply is asynchronous
  };
}

// chrome.runtime.onConnect listener: content scripts keep one port per frame, so a scan
// costs one message each way instead of opening a channel per message (sendMessage). The
// port's sender decides the tier, as for messages. Replies carry the request's `rid`.
export const CONTENT_PORT = 'phiguard-content';

export function portListener(dispatch) {
  return (port) => {
    if (port.name !== CONTENT_PORT) {
      port.disconnect();
      return;
    }
    const texts = new ComposerTexts(); // a scan may be only an edit of the last (composer-texts.js)
    port.onMessage.addListener((message) => {
      const rid = message?.rid;
      const whole = texts.resolve(message);
      const reply = whole ? dispatch(whole, port.sender) : Promise.resolve({ ok: false, error: 'resend' });
      reply.then((reply) => {
        try { port.postMessage({ rid, reply }); } catch { /* the frame went away */ }
      });
    });
  };
}
