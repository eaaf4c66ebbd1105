// Sites added by policy (extraSites, e.g. Mastodon instances): the content script is
// registered for them at run time, for the hosts this extension holds a permission for.
// The manifest asks for them as optional host permissions; the options page requests the
// missing ones (a permission request needs a user gesture, which a worker never has).

import { extraSitePatterns } from '../shared/sites.js';

const SCRIPT_ID = 'phiguard-extra-sites';

// { granted: [host], missing: [host] } for the policy's extra sites.
export async function partitionByPermission(hosts) {
  const granted = [];
  const missing = [];
  for (const host of hosts) {
    const origins = extraSitePatterns([host]);
    const has = await chrome.permissions.contains({ origins }).catch(() => false);
    (has ? granted : missing).push(host);
  }
  return { granted, missing };
}

export async function registerExtraSites(hosts) {
  const { granted, missing } = await partitionByPermission(hosts);
  const existing = await chrome.scripting.getRegisteredContentScripts({ ids: [SCRIPT_ID] });
  if (existing.length) await chrome.scripting.unregisterContentScripts({ ids: [SCRIPT_ID] });
  if (granted.length) {
    await chrome.scripting.registerContentScripts([{
      id: SCRIPT_ID,
      matches: extraSitePatterns(granted),
      js: ['src/content/loader.js'],
      allFrames: true,
      matchOriginAsFallback: true,
      runAt: 'document_idle',
      persistAcrossSessions: false,
    }]);
  }
  return { granted, missing };
}
