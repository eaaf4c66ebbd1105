// The golden exchanges the host is tested against (tests/e2e/golden, docs/protocol.md) read
// from the extension's side: every finding's start/end are UTF-16 offsets that slice the text
// that was sent, and the extension's verdict from the findings (no policy) is the host's.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../lib/paths.mjs';
import { applyPolicy, normalizePolicy } from '../../../extension/src/shared/policy.js';
import { isCategory } from '../../../extension/src/shared/categories.js';

const GOLDEN = join(REPO_ROOT, 'tests/e2e/golden');
const lines = (name) => readFileSync(join(GOLDEN, name), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));

const requests = lines('scan_findings.request.jsonl');
const responses = lines('scan_findings.response.jsonl');

test('the golden files pair every scan with a result', () => {
  assert.equal(requests.length, responses.length);
  assert.ok(requests.length > 0);
});

requests.forEach((request, i) => {
  const response = responses[i];
  test(`golden scan ${request.id}: offsets are UTF-16 slices and the verdict matches`, () => {
    assert.equal(response.type, 'result');
    assert.equal(response.id, request.id);
    for (const finding of response.findings) {
      assert.ok(Number.isInteger(finding.start) && Number.isInteger(finding.end));
      assert.ok(finding.start >= 0 && finding.end <= request.text.length && finding.start < finding.end);
      // A slice never splits a surrogate pair.
      const slice = request.text.slice(finding.start, finding.end);
      assert.doesNotMatch(slice, /^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
      assert.ok(isCategory(finding.category), finding.category);
      assert.ok(!JSON.stringify(response).includes(slice) || slice.length < 3, 'replies never echo matched text');
    }
    const { verdict } = applyPolicy(response.findings, normalizePolicy({}).policy);
    assert.equal(verdict, response.verdict);
  });
});

test('the SSN in the golden text is where the host says, counted in UTF-16 (an emoji comes first)', () => {
  const request = requests[0];
  const ssn = responses[0].findings.find((f) => f.category === 'ssn');
  assert.equal(request.text.slice(ssn.start, ssn.end), '219\u201044\u20107816');
});
