// The managed policy as the service worker sees it: read once, re-read when an
// administrator changes it (storage.onChanged, area "managed").

import { normalizePolicy } from '../shared/policy.js';

export async function readManagedPolicy() {
  try {
    return normalizePolicy(await chrome.storage.managed.get(null));
  } catch (error) {
    // No managed storage (Firefox without policies.json, or a browser without the API).
    return { ...normalizePolicy({}), problems: [`managed storage unavailable: ${error?.message ?? error}`] };
  }
}

export function onManagedPolicyChange(listener) {
  chrome.storage.onChanged.addListener((_changes, area) => {
    if (area === 'managed') readManagedPolicy().then(listener);
  });
}
