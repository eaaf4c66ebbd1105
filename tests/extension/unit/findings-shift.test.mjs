// Underlines follow the text while the user types, until the next reply.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { editSpan, shiftFindings, shiftFindingsInPlace } from '../../../extension/src/content/findings-shift.js';

const f = (start, end) => ({ rule: 'r', start, end });
const rows = [
  // [what, old, new, findings, expected]
  ['typing after a finding keeps it', 'SSN 536-22-8741', 'SSN 536-22-8741 ok', [f(4, 15)], [f(4, 15)]],
  ['typing before a finding moves it', 'SSN 536-22-8741', 'My SSN 536-22-8741', [f(4, 15)], [f(7, 18)]],
  ['deleting before a finding moves it back', 'My SSN 536-22-8741', 'SSN 536-22-8741', [f(7, 18)], [f(4, 15)]],
  ['editing inside a finding drops it', 'SSN 536-22-8741', 'SSN 536-2X-8741', [f(4, 15)], []],
  ['emoji before a finding moves it by two code units', 'x SSN', '😀x SSN', [f(2, 5)], [f(4, 7)]],
  ['unchanged text keeps everything', 'abc', 'abc', [f(0, 1)], [f(0, 1)]],
  ['an edit between two findings', 'AAA mid BBB', 'AAA middle BBB', [f(0, 3), f(8, 11)], [f(0, 3), f(11, 14)]],
];
for (const [what, before, after, findings, expected] of rows) {
  test(what, () => assert.deepEqual(shiftFindings(findings, before, after), expected));
  test(`${what}, in place`, () => {
    const own = findings.map((x) => ({ ...x }));
    const shifted = shiftFindingsInPlace(own, before, after);
    assert.deepEqual(shifted, expected);
    // The same objects, moved: nothing is copied.
    assert.ok(shifted.every((x) => own.includes(x)));
  });
}

test('in place: the same array when no finding was touched, and a deletion over a finding\'s start drops it', () => {
  const own = [f(0, 3), f(8, 11)];
  assert.equal(shiftFindingsInPlace(own, 'AAA mid BBB', 'AAA middle BBB'), own);
  assert.deepEqual(own, [f(0, 3), f(11, 14)]);
  // 'AAA mid BBB' with 'mid B' deleted: [8, 11) lay across the deletion.
  assert.deepEqual(shiftFindingsInPlace([f(0, 3), f(8, 11)], 'AAA mid BBB', 'AAA BB'), [f(0, 3)]);
});

test('editSpan finds the smallest changed span', () => {
  assert.deepEqual(editSpan('hello world', 'hello brave world'), { start: 6, oldEnd: 6, newEnd: 12 });
  assert.deepEqual(editSpan('aaa', 'aa'), { start: 2, oldEnd: 3, newEnd: 2 });
});

// Issue 16: a keystroke compared the same two 20 KB texts twice (the findings, then the scan
// message); the second comparison is the first one's answer.
test('editSpan compares the same two texts once', () => {
  const before = 'a'.repeat(100);
  const after = `${before.slice(0, 50)}b${before.slice(50)}`;
  const first = editSpan(before, after);
  assert.equal(editSpan(before, after), first, 'the same answer, not a second comparison');
  assert.equal(editSpan(`${before}`, `${after}`), first, 'equal texts read again are the same texts');
  assert.ok(Object.isFrozen(first), 'a shared answer cannot be changed by one caller');
  assert.deepEqual(editSpan(after, before), { start: 50, oldEnd: 51, newEnd: 50 });
  assert.deepEqual(editSpan('aaa', 'aa'), { start: 2, oldEnd: 3, newEnd: 2 });
});

// The comparison by blocks of characters (issue 16, eighth round) gives what a walk
// character by character gives, wherever the edit is: at a block's edge, in the first or
// the last block, across several, in texts of one repeated character (where prefix and
// suffix compete for the same characters), and with UTF-16 surrogate pairs.
test('editSpan by blocks gives the smallest span a character walk gives', () => {
  const walk = (a, b) => {
    const max = Math.min(a.length, b.length);
    let p = 0;
    while (p < max && a[p] === b[p]) p += 1;
    let s = 0;
    while (s < max - p && a[a.length - 1 - s] === b[b.length - 1 - s]) s += 1;
    return { start: p, oldEnd: a.length - s, newEnd: b.length - s };
  };
  let seed = 7;
  const random = (n) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const texts = [
    'a'.repeat(2000),
    Array.from({ length: 300 }, (_, i) => `line ${i} SSN 536-22-${8000 + i}`).join('\n'),
    '😀 é\n'.repeat(400),
  ];
  const inserts = ['', 'x', 'a', '\n', 'aaaa', '😀', 'y'.repeat(700)];
  const checked = [];
  for (const text of texts) {
    for (let k = 0; k < 150; k += 1) {
      const edges = [0, 255, 256, 257, 512, text.length - 256, text.length - 1, text.length];
      const start = k < edges.length ? Math.max(0, Math.min(edges[k], text.length)) : random(text.length + 1);
      const end = Math.min(text.length, start + (k % 3 ? random(4) : random(900)));
      const after = text.slice(0, start) + inserts[k % inserts.length] + text.slice(end);
      assert.deepEqual({ ...editSpan(text, after) }, walk(text, after), `${text.slice(0, 12)}… at ${start}-${end}`);
      assert.deepEqual({ ...editSpan(after, text) }, walk(after, text));
      checked.push(start);
    }
  }
  assert.ok(checked.includes(256) && checked.includes(0));
});

test('editSpan keeps its last three comparisons', () => {
  const pairs = [['one a', 'one b'], ['two a', 'two b'], ['three a', 'three b']];
  const first = pairs.map(([a, b]) => editSpan(a, b));
  pairs.forEach(([a, b], i) => assert.equal(editSpan(a, b), first[i], `pair ${i} kept`));
  editSpan('four a', 'four b');
  assert.notEqual(editSpan(...pairs[0]), first[0], 'the oldest pair compared again');
});
