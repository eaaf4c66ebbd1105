// Managed policy (chrome.storage.managed, schema in managed_schema.json): normalised into one
// plain object with defaults, plus the problems found, so the options page can show both.
// Enforcement only tightens: a category's level raises the least action its findings get and
// never lowers what the rules say (docs/it-guide.md); "audit" records without raising.

import { isCategory } from './categories.js';

export const LEVELS = Object.freeze(['audit', 'warn', 'block']);
export const JUSTIFICATIONS = Object.freeze([
  'consent_on_file', 'public_information', 'not_patient_information', 'false_positive', 'other',
]);

export const DEFAULT_POLICY = Object.freeze({
  enforcement: Object.freeze({}),
  failMode: 'open',
  extraSites: Object.freeze([]),
  helpUrl: '',
  contactText: '',
  requireJustification: false,
  audit: null,
  bundleKeys: Object.freeze([]),
  rules: Object.freeze([]),
  allowList: Object.freeze([]),
});

// Organisation rules travel to the host as they are; the host checks them fully (compile,
// examples, ids, limits). Here only their shape is checked, so the options page can say
// what is wrong before the host is asked.
const MAX_ORGANISATION_RULES = 1000;
// The host's limits on the allow-list (host/src/protocol/limits.h): a configure over them is
// refused whole, so entries past them are left out here and reported instead.
const MAX_ALLOW_LIST_ENTRIES = 1000;
const MAX_ALLOW_LIST_ENTRY_BYTES = 200;

const ACTION_RANK = { info: 0, warn: 1, block: 2 };
const HOST_NAME = /^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*(:\d{1,5})?$/;

// Returns { policy, problems, managed } from whatever storage.managed.get() returned.
export function normalizePolicy(raw) {
  const problems = [];
  const source = raw && typeof raw === 'object' ? raw : {};
  const policy = {
    enforcement: readEnforcement(source.enforcement, problems),
    failMode: readEnum(source.failMode, ['open', 'closed'], 'failMode', problems) ?? 'open',
    extraSites: readSites(source.extraSites, problems),
    helpUrl: readUrl(source.helpUrl, problems),
    contactText: readString(source.contactText, 'contactText', problems).slice(0, 500),
    requireJustification: source.requireJustification === true,
    audit: readAudit(source.audit),
    bundleKeys: Array.isArray(source.bundleKeys)
      ? source.bundleKeys.filter((k) => typeof k === 'string') : [],
    rules: readRules(source.rules, problems),
    allowList: readAllowList(source.allowList, problems),
  };
  return { policy, problems, managed: Object.keys(source).length > 0 };
}

function readEnforcement(value, problems) {
  const out = {};
  if (value === undefined) return out;
  if (!value || typeof value !== 'object') {
    problems.push('enforcement must be an object');
    return out;
  }
  for (const [category, level] of Object.entries(value)) {
    if (!isCategory(category)) problems.push(`enforcement: unknown category "${category}"`);
    else if (!LEVELS.includes(level)) problems.push(`enforcement.${category}: must be audit, warn or block`);
    else out[category] = level;
  }
  return out;
}

function readEnum(value, allowed, key, problems) {
  if (value === undefined) return undefined;
  if (allowed.includes(value)) return value;
  problems.push(`${key}: must be one of ${allowed.join(', ')}`);
  return undefined;
}

function readString(value, key, problems) {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  problems.push(`${key}: must be text`);
  return '';
}

function readUrl(value, problems) {
  const text = readString(value, 'helpUrl', problems);
  if (!text) return '';
  try {
    const url = new URL(text);
    if (url.protocol === 'https:' || url.protocol === 'http:') return url.href;
  } catch { /* reported below */ }
  problems.push('helpUrl: must be an http(s) URL');
  return '';
}

// Host names, lower-cased; a full URL is reduced to its host so a pasted address still works.
function readSites(value, problems) {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push('extraSites must be a list of host names');
    return [];
  }
  const sites = new Set();
  for (const entry of value) {
    let host = typeof entry === 'string' ? entry.trim().toLowerCase() : '';
    if (host.includes('://')) {
      try { host = new URL(host).host; } catch { host = ''; }
    }
    if (HOST_NAME.test(host)) sites.add(host);
    else problems.push(`extraSites: "${String(entry)}" is not a host name`);
  }
  return [...sites];
}

function readRules(value, problems) {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push('rules must be a list of rules');
    return [];
  }
  const rules = [];
  for (const [i, rule] of value.entries()) {
    if (!rule || typeof rule !== 'object' || Array.isArray(rule) || typeof rule.id !== 'string') {
      problems.push(`rules[${i}]: must be a rule with an "id"`);
    } else if (rules.length >= MAX_ORGANISATION_RULES) {
      problems.push(`rules: only the first ${MAX_ORGANISATION_RULES} rules are used`);
      break;
    } else {
      rules.push(rule);
    }
  }
  return rules;
}

// The organisation's own names, numbers and addresses, which the host does not flag. The
// problems say which entry is wrong, never what it holds.
function readAllowList(value, problems) {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push('allowList must be a list of names, numbers and addresses');
    return [];
  }
  const entries = [];
  for (const [i, entry] of value.entries()) {
    if (typeof entry !== 'string' || !entry.trim()) {
      problems.push(`allowList[${i}]: must be non-empty text`);
    } else if (new TextEncoder().encode(entry).length > MAX_ALLOW_LIST_ENTRY_BYTES) {
      problems.push(`allowList[${i}]: longer than ${MAX_ALLOW_LIST_ENTRY_BYTES} bytes`);
    } else if (entries.length >= MAX_ALLOW_LIST_ENTRIES) {
      problems.push(`allowList: only the first ${MAX_ALLOW_LIST_ENTRIES} entries are used`);
      break;
    } else {
      entries.push(entry);
    }
  }
  return entries;
}

function readAudit(value) {
  if (!value || typeof value !== 'object') return null;
  return { enabled: value.enabled === true, syslog: value.syslog === true };
}

// The finding a capped reply ends with (docs/protocol.md "scan"): the rest of the text was
// not checked.
export const CAPPED_RULE = 'scan.capped';

// Was part of the text left unchecked? `result` is a scan reply's result.
export function isCapped(result) {
  return result?.capped === true || Boolean(result?.findings?.some((f) => f.rule === CAPPED_RULE));
}

// The action the extension applies to one finding under the policy. Unchecked text is never
// let through as clean: the capped finding warns at least, whatever the host said.
export function effectiveAction(finding, policy) {
  let hostAction = finding.action in ACTION_RANK ? finding.action : 'info';
  if (finding.rule === CAPPED_RULE && ACTION_RANK[hostAction] < ACTION_RANK.warn) hostAction = 'warn';
  const level = policy.enforcement[finding.category];
  if (level === 'warn' || level === 'block') {
    return ACTION_RANK[level] > ACTION_RANK[hostAction] ? level : hostAction;
  }
  return hostAction;
}

// A finding whose category is in audit mode is never shown (no underline, no dialog, no
// hold); it is kept only for the record written when the post goes out (docs/design.md
// "Policy"). Unchecked text is never audited away.
export function isAudited(finding, policy) {
  return finding.rule !== CAPPED_RULE && policy.enforcement[finding.category] === 'audit';
}

export function stricter(verdict, action) {
  if (action === 'block') return 'block';
  return action === 'warn' && verdict !== 'block' ? 'warn' : verdict;
}

// The findings to show, with `effective` set, and the verdict they add up to; apart, the
// audited findings and the verdict they would have caused.
export function applyPolicy(findings, policy) {
  let verdict = 'allow';
  let auditedVerdict = 'allow';
  const shown = [];
  const audited = [];
  for (const finding of findings) {
    const effective = effectiveAction(finding, policy);
    if (isAudited(finding, policy)) {
      audited.push({ ...finding, effective });
      auditedVerdict = stricter(auditedVerdict, effective);
    } else {
      shown.push({ ...finding, effective });
      verdict = stricter(verdict, effective);
    }
  }
  return { verdict, findings: shown, audited, auditedVerdict };
}

// What content scripts get of the policy (background/content-handlers.js, the "policy"
// request, and what the service worker sends to tabs when it changes): what decides how
// findings are shown and posts are guarded. Organisation rules, bundle keys, audit settings,
// extra sites and the allow-list concern only the service worker and the host, and stay there.
export function contentPolicy(policy) {
  return {
    enforcement: { ...policy.enforcement },
    failMode: policy.failMode,
    helpUrl: policy.helpUrl,
    contactText: policy.contactText,
    requireJustification: policy.requireJustification,
  };
}

// The fields of the host's `configure` request that come from the policy
// (docs/protocol.md): { policy: { enforcement, bundleKeys?, audit?, sites?, allowList? }, rules? }.
// `coveredHosts`: sites this build of the extension runs on beyond the built-in ones (a
// self-hosted build's added sites), which audit records may name as extraSites may.
export function hostConfiguration(policy, { coveredHosts = [] } = {}) {
  const config = { enforcement: { ...policy.enforcement } };
  if (policy.bundleKeys.length) config.bundleKeys = [...policy.bundleKeys];
  if (policy.audit) config.audit = { ...policy.audit };
  // The host records audit events only for sites it knows are covered.
  const sites = [...new Set([...policy.extraSites, ...coveredHosts])];
  if (sites.length) config.sites = sites;
  if (policy.allowList.length) config.allowList = [...policy.allowList];
  const request = { policy: config };
  if (policy.rules.length) request.rules = policy.rules.map((rule) => ({ ...rule }));
  return request;
}
