// When an administrator changes the managed policy, the service worker tells the content
// scripts already running in open tabs (content/policy-feed.js listens). Most tabs have no
// content script of ours, so most sends fail with "Receiving end does not exist": that is
// expected and ignored. Neither call needs the "tabs" permission: tabs.query without it
// still gives each tab's id, and tabs.sendMessage reaches our own content scripts, in every
// frame of the tab.

import { contentPolicy } from '../shared/policy.js';

// The message content scripts receive: { type: POLICY_MESSAGE, policy } (contentPolicy()).
export const POLICY_MESSAGE = 'policy';

// Resolves once every tab was tried, with how many took the message.
export async function sendPolicyToTabs(policy) {
  const message = { type: POLICY_MESSAGE, policy: contentPolicy(policy) };
  let tabs;
  try {
    tabs = await chrome.tabs.query({});
  } catch {
    return 0;
  }
  const sends = tabs.filter((tab) => Number.isInteger(tab.id) && tab.id >= 0).map(async (tab) => {
    try {
      await chrome.tabs.sendMessage(tab.id, message);
      return true;
    } catch {
      return false; // no content script in this tab, or the tab went away
    }
  });
  return (await Promise.all(sends)).filter(Boolean).length;
}
