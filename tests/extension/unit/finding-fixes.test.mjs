// Which one-click fix a finding gets (content/finding-fixes.js) and what "Not PHI" keeps
// (content/dismissals.js), without a page. The browser suite (e2e/fixes.test.mjs) makes the
// fixes in the real editors.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Dismissals } from '../../../extension/src/content/dismissals.js';
import { REMOVED_CATEGORIES, fixFor, fixedText, removalSpan } from '../../../extension/src/content/finding-fixes.js';
import { CATEGORIES } from '../../../extension/src/shared/categories.js';
import { CAPPED_RULE } from '../../../extension/src/shared/policy.js';

// A finding over the first occurrence of `words` in `text`.
function over(text, words, category, rule = `phi.${category}`) {
  const start = text.indexOf(words);
  assert.ok(start >= 0, words);
  return { rule, category, start, end: start + words.length, action: 'warn' };
}

const apply = (text, finding) => fixedText(text, fixFor(finding, text));

describe('fixFor', () => {
  test('a name becomes "a patient", capitalised at the start of a sentence', () => {
    const text = 'Visited Maria Gonzalez today. Maria Gonzalez is better';
    const first = over(text, 'Maria Gonzalez', 'name');
    assert.equal(fixFor(first, text).kind, 'name');
    assert.equal(fixFor(first, text).label, 'Replace with “a patient”');
    assert.equal(apply(text, first), 'Visited a patient today. Maria Gonzalez is better');
    const second = { ...first, start: 30, end: 44 };
    assert.equal(apply(text, second), 'Visited Maria Gonzalez today. A patient is better');
  });

  test('a date keeps its four-digit year, and goes when it has none', () => {
    const text = 'after her 03/14/2024 surgery';
    assert.deepEqual(fixFor(over(text, '03/14/2024', 'date'), text).replacement, '2024');
    assert.equal(fixFor(over(text, '03/14/2024', 'date'), text).label, 'Keep only the year (2024)');
    assert.equal(apply(text, over(text, '03/14/2024', 'date')), 'after her 2024 surgery');
    const written = 'admitted on March 3 with pneumonia';
    const fix = fixFor(over(written, 'March 3', 'date'), written);
    assert.equal(fix.kind, 'remove');
    assert.equal(fix.label, 'Remove the date');
    assert.equal(fixedText(written, fix), 'admitted on with pneumonia');
    // Digits that run on are no year.
    const long = 'seen 20240314 here';
    assert.equal(fixFor(over(long, '20240314', 'date'), long).kind, 'remove');
  });

  test('number-like identifiers are removed with one neighbouring space', () => {
    for (const category of REMOVED_CATEGORIES) {
      const text = 'Call 555-0100 now';
      assert.equal(apply(text, over(text, '555-0100', category)), 'Call now', category);
    }
    const end = 'surgery. SSN 536-22-8741';
    assert.equal(apply(end, over(end, '536-22-8741', 'ssn')), 'surgery. SSN');
    const beforeStop = 'SSN 536-22-8741. Thanks';
    assert.equal(apply(beforeStop, over(beforeStop, '536-22-8741', 'ssn')), 'SSN. Thanks');
    const lineStart = 'Hello\n536-22-8741 is hers';
    assert.equal(apply(lineStart, over(lineStart, '536-22-8741', 'ssn')), 'Hello\nis hers');
    assert.deepEqual(removalSpan('a(b)c', 2, 3), { start: 2, end: 3 });
  });

  test('other categories, the capped finding and spans that do not hold get no fix', () => {
    const fixed = new Set(['name', 'date', ...REMOVED_CATEGORIES]);
    const text = 'some words here';
    for (const category of CATEGORIES.filter((c) => !fixed.has(c))) {
      assert.equal(fixFor(over(text, 'words', category), text), null, category);
    }
    assert.equal(fixFor(over(text, 'words', 'other_id', CAPPED_RULE), text), null);
    assert.equal(fixFor({ rule: 'phi.ssn', category: 'ssn', start: 10, end: 40 }, text), null);
    assert.equal(fixFor({ rule: 'phi.ssn', category: 'ssn', start: 4, end: 5 }, text), null, 'only a space');
  });
});

describe('Dismissals', () => {
  test('keeps out the same category and words wherever they are, in any spacing or case', () => {
    const d = new Dismissals();
    const text = 'Maria Gonzalez called. MARIA  GONZALEZ again. Maria Gonzalez, 536-22-8741';
    const name = over(text, 'Maria Gonzalez', 'name');
    assert.equal(d.add(name, text), true);
    const findings = [
      name,
      { rule: 'phi.name_full', category: 'name', start: 23, end: 38 },
      { rule: 'phi.name_full', category: 'geo', start: 46, end: 60 },
      over(text, '536-22-8741', 'ssn'),
    ];
    assert.deepEqual(d.keep(findings, text).map((f) => f.category), ['geo', 'ssn']);
    d.clear();
    assert.equal(d.keep(findings, text).length, 4);
  });

  test('the capped finding cannot be dismissed', () => {
    const d = new Dismissals();
    const text = 'long text';
    assert.equal(d.add({ rule: CAPPED_RULE, category: 'other_id', start: 0, end: 4 }, text), false);
    assert.equal(d.size, 0);
  });

  test('a finding the policy blocks cannot be dismissed; the same words at warn can', () => {
    const d = new Dismissals();
    const text = 'SSN 536-22-8741';
    const ssn = { rule: 'phi.ssn', category: 'ssn', start: 4, end: 15 };
    assert.equal(d.add({ ...ssn, effective: 'block' }, text), false);
    assert.equal(d.size, 0);
    assert.equal(d.add({ ...ssn, effective: 'warn' }, text), true);
    // Dismissed at warn, it still counts once the policy blocks it.
    assert.equal(d.keep([{ ...ssn, effective: 'block' }], text).length, 1);
    assert.equal(d.keep([{ ...ssn, effective: 'warn' }], text).length, 0);
  });
});
