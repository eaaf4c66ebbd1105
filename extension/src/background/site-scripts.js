// Sites added by policy (extraSites, e.g. Mastodon instances): the content script is
// registered for them at run time, for the hosts this extension holds a permission for.
// The manifest asks for them as optional host permissions; the options page requests the
// missing ones (a permission request needs a user gesture, which a worker never has).

import { extraSitePatterns } from '../shared/sites.js';

const SCRIPT_ID = 'phiguard-extra-sites';

// { granted: [host], missing: [host], matches: [pattern] } for the policy's extra sites. A
// host counts as granted when either scheme is (an intranet site may be http only).
export async function partitionByPermission(hosts) {
  const granted = [];
  const missing = [];
  const matches = [];
  for (const host of hosts) {
    const allowed = [];
    for (const pattern of extraSitePatterns([host])) {
      if (await chrome.permissions.contains({ origins: [pattern] }).catch(() => false)) allowed.push(pattern);
    }
    (allowed.length ? granted : missing).push(host);
    matches.push(...allowed);
  }
  return { granted, missing, matches };
}

export async function registerExtraSites(hosts) {
  const { granted, missing, matches } = await partitionByPermission(hosts);
  const existing = await chrome.scripting.getRegisteredContentScripts({ ids: [SCRIPT_ID] });
  if (existing.length) await chrome.scripting.unregisterContentScripts({ ids: [SCRIPT_ID] });
  if (matches.length) {
    await chrome.scripting.registerContentScripts([{
      id: SCRIPT_ID,
      matches,
      js: ['src/content/loader.js'],
      allFrames: true,
      matchOriginAsFallback: true,
      runAt: 'document_idle',
      persistAcrossSessions: false,
    }]);
  }
  return { granted, missing };
}
