// The status chip's decisions without a page: where it goes beside a composer (never over the
// post button, never over the composer unless nothing else is free) and what it says for a
// composer's state. e2e/chip.test.mjs checks the same in real Chromium on fixture editors.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { chipState, firstFinding } from '../../../extension/src/content/composer-chips.js';
import { chipPosition } from '../../../extension/src/ui/status-chip.js';

const view = { width: 1280, height: 900 };
const chip = { width: 90, height: 24 };
const composer = { left: 300, top: 200, width: 600, height: 120 }; // right 900, bottom 320
const rect = (left, top, width, height) => ({ left, top, width, height });
const overlaps = (a, b) => a.left < b.left + b.width && b.left < a.left + a.width &&
  a.top < b.top + b.height && b.top < a.top + a.height;

describe('chipPosition', () => {
  test('just below the bottom-right corner when nothing is there', () => {
    assert.deepEqual(chipPosition(composer, chip, [], view), { left: 810, top: 324, where: 'below' });
  });

  test('a post button under the corner: the chip moves left of it, still under the composer', () => {
    const post = rect(830, 330, 70, 36);
    const at = chipPosition(composer, chip, [post], view);
    assert.equal(at.where, 'below');
    assert.ok(!overlaps({ ...at, ...chip }, post));
    assert.ok(at.left + chip.width <= post.left);
    assert.ok(at.left >= composer.left);
  });

  test('no room below (the composer at the viewport\'s foot): beside the corner, then above', () => {
    const low = { ...composer, top: 770 }; // bottom 890
    assert.equal(chipPosition(low, chip, [], view).where, 'right');
    const wide = { left: 0, top: 770, width: 1280, height: 120 };
    assert.deepEqual(chipPosition(wide, chip, [], view), { left: 1190, top: 770 - 24 - 4, where: 'above' });
  });

  test('inside the corner only when nothing outside is free, and never over the post button', () => {
    const full = { left: 0, top: 0, width: 1280, height: 900 };
    assert.equal(chipPosition(full, chip, [], view).where, 'inside');
    const post = rect(1100, 850, 180, 50);
    const at = chipPosition(full, chip, [post], view);
    assert.ok(at === null || !overlaps({ ...at, ...chip }, post));
  });

  test('off screen or without a box: no place', () => {
    assert.equal(chipPosition({ ...composer, top: -500 }, chip, [], view), null);
    assert.equal(chipPosition({ ...composer, width: 0 }, chip, [], view), null);
  });
});

describe('chipState', () => {
  const finding = (start, effective) => ({ rule: `r${start}`, category: 'name', start, end: start + 4, effective });
  const session = ({ text = 'some text', display = 'allow', findings = [] } = {}) => ({
    text: () => text, displayState: () => display, visibleFindings: () => findings,
  });

  test('empty text is clean; no reply for this text yet is checking; a failed check is not checked', () => {
    assert.deepEqual(chipState(session({ text: '  ' })), { state: 'clean' });
    assert.deepEqual(chipState(session({ display: 'pending' })), { state: 'pending' });
    assert.deepEqual(chipState(session({ display: 'unavailable' })), { state: 'unavailable' });
  });

  test('a check younger than CHECKING_AFTER_MS leaves the chip as it is; an empty text is clean at once', () => {
    assert.equal(chipState(session({ display: 'pending' }), 'some text', false), null);
    assert.deepEqual(chipState(session({ display: 'pending' }), 'some text', true), { state: 'pending' });
    assert.deepEqual(chipState(session({ text: ' ', display: 'pending' }), ' ', false), { state: 'clean' });
    assert.deepEqual(chipState(session({ display: 'warn', findings: [finding(0, 'warn')] }), 'some text', false),
      { state: 'findings', count: 1, severity: 'warn' });
  });

  test('findings: their count without info ones, and the worst level', () => {
    assert.deepEqual(chipState(session({ display: 'allow', findings: [finding(0, 'info')] })), { state: 'clean' });
    assert.deepEqual(chipState(session({ display: 'warn', findings: [finding(0, 'warn'), finding(9, 'info')] })),
      { state: 'findings', count: 1, severity: 'warn' });
    assert.deepEqual(chipState(session({ display: 'block', findings: [finding(0, 'warn'), finding(9, 'block')] })),
      { state: 'findings', count: 2, severity: 'block' });
  });

  test('the chip opens the first block or warn finding in the text', () => {
    const s = session({ findings: [finding(20, 'block'), finding(2, 'info'), finding(8, 'warn')] });
    assert.equal(firstFinding(s).start, 8);
    assert.equal(firstFinding(session()), null);
  });
});
