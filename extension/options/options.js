// The options page shows the settings in force: each managed-policy key with its value and
// whether it came from policy or is the default, the enforcement per category, the sites
// covered, and a button to grant access to sites the organisation added (a permission
// request needs this page's click; the service worker cannot ask).

import { CATEGORIES, categoryLabel } from '../src/shared/categories.js';
import { DEFAULT_POLICY } from '../src/shared/policy.js';
import { localizePage, t } from '../src/shared/i18n.js';
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

// The allow-list is a count here: it may hold a thousand names and numbers.
function show(value, key) {
  if (key === 'allowList' && value.length) return t('optionsAllowListCount', String(value.length));
  if (Array.isArray(value)) {
    // Organisation rules are objects: their ids say which they are.
    return value.length ? value.map((v) => (v && typeof v === 'object' ? v.id : v)).join(', ') : t('optionsValueNone');
  }
  if (value && typeof value === 'object') return JSON.stringify(value);
  if (value === '') return t('optionsValueNotSet');
  return String(value);
}

const LABELS = {
  failMode: () => t('setting_failMode'),
  requireJustification: () => t('setting_requireJustification'),
  helpUrl: () => t('setting_helpUrl'),
  contactText: () => t('setting_contactText'),
  extraSites: () => t('setting_extraSites'),
  audit: () => t('setting_audit'),
  bundleKeys: () => t('setting_bundleKeys'),
  rules: () => t('setting_rules'),
  allowList: () => t('setting_allowList'),
};

// The host's state in the words the popup uses.
const STATES = {
  ready: () => t('stateReady'), connecting: () => t('stateConnecting'),
  unavailable: () => t('stateUnavailable'), idle: () => t('stateIdle'),
};

async function render() {
  const reply = await chrome.runtime.sendMessage({ type: 'status' });
  if (!reply?.ok) return;
  const { policy, problems, managed, sites, host, builtInSites } = reply;
  const raw = await chrome.storage.managed.get(null).catch(() => ({}));
  $('source').textContent = managed
    ? t('optionsSourceManaged')
    : t('optionsSourceDefault');
  const body = $('settings').querySelector('tbody');
  body.replaceChildren(...Object.entries(LABELS).map(([key, label]) => row(
    [label(), show(policy[key] ?? DEFAULT_POLICY[key], key), key in raw ? t('optionsFromPolicy') : t('optionsFromDefault')], key in raw)));
  $('problems').hidden = !problems.length;
  $('problems').replaceChildren(...problems.map((p) => Object.assign(document.createElement('li'), { textContent: p })));
  $('enforcement').querySelector('tbody').replaceChildren(...CATEGORIES.map((category) => row(
    [categoryLabel(category) + ` (${category})`, policy.enforcement[category] ?? t('optionsAsRulesSay')])));
  $('builtin').textContent = builtInSites.join('; ');
  $('extra').textContent = policy.extraSites.length
    ? policy.extraSites.map((s) => (sites.missing.includes(s) ? t('optionsNotAllowedYet', s) : s)).join(', ')
    : t('optionsNone');
  $('grant-row').hidden = !sites.missing.length;
  $('grant').onclick = async () => {
    const granted = await chrome.permissions.request({ origins: extraSitePatterns(sites.missing) });
    if (granted) await chrome.runtime.sendMessage({ type: 'refreshSites' });
    render();
  };
  const ready = t('optionsHostReady', host.hostVersion, host.rulesVersion);
  $('host').textContent = host.state === 'ready'
    ? (host.configured ? t('optionsPolicySent', ready, host.configured.ok ? t('optionsPolicyAccepted') : host.configured.error) : ready)
    : `${STATES[host.state]?.() ?? host.state}: ${host.summary ?? ''} ${host.browserMessage ?? ''}`;
}

localizePage(document);
render();
