// Managed policy: normalisation with defaults and problems, enforcement that tightens (audit hides),
// and agreement with the deployment templates' example configuration.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { REPO_ROOT } from '../lib/paths.mjs';
import {
  DEFAULT_POLICY, applyPolicy, effectiveAction, hostConfiguration, normalizePolicy,
} from '../../../extension/src/shared/policy.js';

const ORG_RULE = {
  id: 'org.project-falcon', title: 'Project Falcon', category: 'confidential', kind: 'policy',
  severity: 'high', action: 'block', terms: ['Project Falcon'],
  message: 'Project Falcon is internal.', examples: ['Project Falcon kickoff'],
};

describe('normalizePolicy', () => {
  const cases = [
    // [name, raw, expected subset, problems count]
    ['nothing managed', {}, { failMode: 'open', extraSites: [], requireJustification: false }, 0],
    ['undefined storage', undefined, { failMode: 'open' }, 0],
    ['fail closed', { failMode: 'closed' }, { failMode: 'closed' }, 0],
    ['bad fail mode falls back to open', { failMode: 'sometimes' }, { failMode: 'open' }, 1],
    ['enforcement kept per known category', { enforcement: { ssn: 'block', name: 'audit' } }, { enforcement: { ssn: 'block', name: 'audit' } }, 0],
    ['unknown category reported', { enforcement: { shoe_size: 'block' } }, { enforcement: {} }, 1],
    ['bad level reported', { enforcement: { ssn: 'forbid' } }, { enforcement: {} }, 1],
    ['sites lower-cased and deduplicated', { extraSites: ['Mastodon.Social', 'mastodon.social', '*.example.org'] }, { extraSites: ['mastodon.social', '*.example.org'] }, 0],
    ['a pasted URL becomes its host', { extraSites: ['https://forum.example.org/latest'] }, { extraSites: ['forum.example.org'] }, 0],
    ['junk sites reported', { extraSites: ['not a host', 42] }, { extraSites: [] }, 2],
    ['help URL must be http(s)', { helpUrl: 'javascript:alert(1)' }, { helpUrl: '' }, 1],
    ['help URL kept', { helpUrl: 'https://intranet.example.org/policy' }, { helpUrl: 'https://intranet.example.org/policy' }, 0],
    ['justification only when exactly true', { requireJustification: 'yes' }, { requireJustification: false }, 0],
    ['audit settings', { audit: { enabled: true } }, { audit: { enabled: true, syslog: false } }, 0],
    ['organisation rules kept as written', { rules: [ORG_RULE] }, { rules: [ORG_RULE] }, 0],
    ['rules must be a list', { rules: { id: 'x' } }, { rules: [] }, 1],
    ['a rule without an id is reported, the others kept', { rules: [{ title: 'no id' }, 'text', ORG_RULE] }, { rules: [ORG_RULE] }, 2],
    ['allow-list kept as written', { allowList: ['Jordan Rivera', '(555) 555-2000'] }, { allowList: ['Jordan Rivera', '(555) 555-2000'] }, 0],
    ['allow-list must be a list', { allowList: 'Jordan Rivera' }, { allowList: [] }, 1],
    ['allow-list entries that are not text, blank or over 200 bytes are reported, the others kept',
      { allowList: [7, '  ', 'é'.repeat(101), 'Jordan Rivera'] }, { allowList: ['Jordan Rivera'] }, 3],
    ['allow-list cut at 1000 entries', { allowList: Array(1001).fill('a') }, { allowList: Array(1000).fill('a') }, 1],
  ];
  for (const [name, raw, expected, problemCount] of cases) {
    test(name, () => {
      const { policy, problems } = normalizePolicy(raw);
      for (const [key, value] of Object.entries(expected)) assert.deepEqual(policy[key], value, key);
      assert.equal(problems.length, problemCount, problems.join('; '));
    });
  }

  test('the deployment example configuration is valid as it stands', () => {
    const example = JSON.parse(readFileSync(join(REPO_ROOT, 'manifests/policy/managed-config.example.json'), 'utf8'));
    const { policy, problems, managed } = normalizePolicy(example);
    assert.deepEqual(problems, []);
    assert.equal(managed, true);
    assert.equal(policy.failMode, example.failMode);
    assert.deepEqual(policy.enforcement, example.enforcement);
  });

  test('every key of the managed schema is read by the extension', () => {
    const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'extension/managed_schema.json'), 'utf8'));
    assert.deepEqual(Object.keys(schema.properties).sort(), Object.keys(DEFAULT_POLICY).sort());
  });
});

describe('enforcement only tightens', () => {
  const policy = normalizePolicy({ enforcement: { name: 'block', phone: 'warn', ssn: 'audit', health: 'warn' } }).policy;
  const rows = [
    // [category, host action, effective]
    ['name', 'warn', 'block'],
    ['phone', 'info', 'warn'],
    ['ssn', 'block', 'block'], // an audited finding keeps its action, for the record
    ['health', 'block', 'block'],
    ['mrn', 'warn', 'warn'], // no policy for the category: the host decides
    ['mrn', 'bogus', 'info'],
  ];
  for (const [category, action, expected] of rows) {
    test(`${category}: host ${action} -> ${expected}`, () => {
      assert.equal(effectiveAction({ category, action }, policy), expected);
    });
  }

  test('the verdict follows the effective actions', () => {
    const findings = [{ category: 'phone', action: 'info' }, { category: 'health', action: 'info' }];
    assert.equal(applyPolicy(findings, normalizePolicy({}).policy).verdict, 'allow');
    const applied = applyPolicy(findings, policy);
    assert.equal(applied.verdict, 'warn');
    assert.deepEqual(applied.findings.map((f) => f.effective), ['warn', 'warn']);
    assert.equal(applyPolicy([{ category: 'name', action: 'warn' }], policy).verdict, 'block');
  });

  test('audited categories are not shown and count for nothing in the verdict', () => {
    const applied = applyPolicy([{ category: 'ssn', action: 'block' }, { category: 'phone', action: 'info' }], policy);
    assert.equal(applied.verdict, 'warn');
    assert.deepEqual(applied.findings.map((f) => f.category), ['phone']);
    assert.deepEqual(applied.audited.map((f) => [f.category, f.effective]), [['ssn', 'block']]);
    assert.equal(applied.auditedVerdict, 'block', 'what the audited findings would have caused');
  });

  test('unchecked text is never audited away', () => {
    const audited = normalizePolicy({ enforcement: { other_id: 'audit' } }).policy;
    const applied = applyPolicy([{ rule: 'scan.capped', category: 'other_id', action: 'warn' }], audited);
    assert.equal(applied.verdict, 'warn');
    assert.deepEqual(applied.audited, []);
  });
});

test('hostConfiguration sends enforcement, keys, audit, extra sites, allow-list and organisation rules, nothing else', () => {
  const { policy } = normalizePolicy({
    enforcement: { ssn: 'block' }, bundleKeys: ['a2V5'], audit: { enabled: true, syslog: true },
    helpUrl: 'https://example.org', contactText: 'x', failMode: 'closed', rules: [ORG_RULE],
    extraSites: ['forum.example.org'], allowList: ['Jordan Rivera'],
  });
  assert.deepEqual(hostConfiguration(policy), {
    policy: {
      enforcement: { ssn: 'block' }, bundleKeys: ['a2V5'], audit: { enabled: true, syslog: true },
      sites: ['forum.example.org'], allowList: ['Jordan Rivera'],
    },
    rules: [ORG_RULE],
  });
  assert.deepEqual(hostConfiguration(normalizePolicy({}).policy), { policy: { enforcement: {} } });
});

test('the protocol page\'s configure example is what hostConfiguration would send', () => {
  // docs/protocol.md shows the request; the extension must send that shape.
  const doc = readFileSync(join(REPO_ROOT, 'docs/protocol.md'), 'utf8');
  const example = doc.match(/```json\n(\{"type":"configure"[\s\S]*?)\n\{"type":"configured"/)[1];
  const request = JSON.parse(example);
  const { policy } = normalizePolicy({ ...request.policy, extraSites: request.policy.sites, rules: request.rules });
  assert.deepEqual({ type: 'configure', id: request.id, ...hostConfiguration(policy) }, request);
});
