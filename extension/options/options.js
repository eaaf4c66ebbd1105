// The options page shows the settings in force: each managed-policy key with its value and
// whether it came from policy or is the default, the enforcement per category, the sites
// covered, and a button to grant access to sites the organisation added (a permission
// request needs this page's click; the service worker cannot ask).

import { CATEGORIES, categoryLabel } from '../src/shared/categories.js';
import { DEFAULT_POLICY } from '../src/shared/policy.js';
import { extraSitePatterns } from '../src/shared/sites.js';

const $ = (id) => document.getElementById(id);

function row(cells, fromManaged) {
  const tr = document.createElement('tr');
  cells.forEach((text, i) => {
    const td = document.createElement(i === 0 ? 'th' : 'td');
    if (i === 0) td.scope = 'row';
    td.textContent = text;
    if (i === 2 && fromManaged) td.className = 'from-managed';
    tr.append(td);
  });
  return tr;
}

function show(value) {
  if (Array.isArray(value)) {
    // Organisation rules are objects: their ids say which they are.
    return value.length ? value.map((v) => (v && typeof v === 'object' ? v.id : v)).join(', ') : '(none)';
  }
  if (value && typeof value === 'object') return JSON.stringify(value);
  if (value === '') return '(not set)';
  return String(value);
}

const LABELS = {
  failMode: 'When the host is unavailable',
  requireJustification: 'Justification required for "Post anyway"',
  helpUrl: 'Help URL',
  contactText: 'Contact text',
  extraSites: 'Extra sites',
  audit: 'Audit trail',
  bundleKeys: 'Rule bundle keys',
  rules: 'Organisation rules',
};

async function render() {
  const reply = await chrome.runtime.sendMessage({ type: 'status' });
  if (!reply?.ok) return;
  const { policy, problems, managed, sites, host, builtInSites } = reply;
  const raw = await chrome.storage.managed.get(null).catch(() => ({}));
  $('source').textContent = managed
    ? 'Your organisation manages these settings (browser policy). They cannot be changed here.'
    : 'No policy from your organisation: defaults are in force.';
  const body = $('settings').querySelector('tbody');
  body.replaceChildren(...Object.entries(LABELS).map(([key, label]) => row(
    [label, show(policy[key] ?? DEFAULT_POLICY[key]), key in raw ? 'policy' : 'default'], key in raw)));
  $('problems').hidden = !problems.length;
  $('problems').replaceChildren(...problems.map((p) => Object.assign(document.createElement('li'), { textContent: p })));
  $('enforcement').querySelector('tbody').replaceChildren(...CATEGORIES.map((category) => row(
    [categoryLabel(category) + ` (${category})`, policy.enforcement[category] ?? 'as the rules say'])));
  $('builtin').textContent = builtInSites.join('; ');
  $('extra').textContent = policy.extraSites.length
    ? policy.extraSites.map((s) => `${s}${sites.missing.includes(s) ? ' (not allowed yet)' : ''}`).join(', ')
    : 'none';
  $('grant-row').hidden = !sites.missing.length;
  $('grant').onclick = async () => {
    const granted = await chrome.permissions.request({ origins: extraSitePatterns(sites.missing) });
    if (granted) await chrome.runtime.sendMessage({ type: 'refreshSites' });
    render();
  };
  $('host').textContent = host.state === 'ready'
    ? `phiguard-host ${host.hostVersion}, rules ${host.rulesVersion}${host.configured ? `; policy sent to the host: ${host.configured.ok ? 'accepted' : host.configured.error}` : ''}`
    : `${host.state}: ${host.summary ?? ''} ${host.browserMessage ?? ''}`;
}

render();
