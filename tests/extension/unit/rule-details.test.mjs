import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withRuleDetails } from '../../../extension/src/content/rule-details.js';

const details = {
  'phi.ssn': { title: 'SSN', message: 'm', advice: 'a', category: 'ssn', kind: 'phi', severity: 'critical' },
  'health.term': { title: 'Health', message: 'h', advice: 'b', category: 'health', kind: 'health', severity: 'low' },
};

test('each finding gets its rule\'s details, and the map is dropped', () => {
  const result = withRuleDetails({
    verdict: 'block',
    findings: [
      { rule: 'phi.ssn', action: 'block', start: 4, end: 15, confidence: 0.9 },
      { rule: 'health.term', action: 'info', start: 20, end: 29, confidence: 0.6 },
      { rule: 'phi.ssn', action: 'block', start: 40, end: 51, confidence: 0.9 },
    ],
    rule_details: details,
  });
  assert.equal(result.verdict, 'block');
  assert.equal('rule_details' in result, false);
  assert.deepEqual(result.findings.map((f) => [f.rule, f.title, f.category, f.start]), [
    ['phi.ssn', 'SSN', 'ssn', 4], ['health.term', 'Health', 'health', 20], ['phi.ssn', 'SSN', 'ssn', 40],
  ]);
  assert.equal(result.findings[0].severity, 'critical');
});

test('the finding\'s own fields win over the rule\'s', () => {
  const [finding] = withRuleDetails({
    findings: [{ rule: 'phi.ssn', action: 'warn', start: 0, end: 1, confidence: 0.5 }],
    rule_details: { 'phi.ssn': { ...details['phi.ssn'], action: 'block' } },
  }).findings;
  assert.equal(finding.action, 'warn');
});

test('a reply in the full shape (an older host) is left as it is', () => {
  const result = { findings: [{ rule: 'phi.ssn', title: 'SSN', start: 0, end: 1 }], verdict: 'warn' };
  assert.equal(withRuleDetails(result), result);
  assert.equal(withRuleDetails(undefined), undefined);
});
