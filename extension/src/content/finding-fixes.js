// One-click fixes for findings whose advice is mechanical (issue #16): a name becomes "a
// patient", a date keeps only its year (or goes when it has none), a number-like identifier
// goes. Which fix applies follows from the finding's category (docs/design.md
// "Categories"); the capped finding and every other category get none.
//
// A fix is made the way the user would make it, through the editor's own input path:
// select the finding's text and insert the replacement (execCommand insertText, or delete),
// which textarea, input, Draft.js, Lexical, ProseMirror and Quill all take as an edit of
// their own, with their undo. Nothing here writes the editor's DOM directly.

import { t } from '../shared/i18n.js';
import { CAPPED_RULE } from '../shared/policy.js';
import { rangeForOffsets } from './offsets.js';

// Identifiers that are only a number or an address: the fix removes them.
export const REMOVED_CATEGORIES = Object.freeze(new Set([
  'ssn', 'mrn', 'phone', 'fax', 'account', 'health_plan', 'license', 'other_id', 'ip', 'url', 'email',
]));

const YEAR = /(?<!\d)(\d{4})(?!\d)/;

// The fix for `finding` in `text` (the composer's text now; the finding's offsets hold for
// it): { kind: 'name' | 'year' | 'remove', start, end, replacement, label }, or null when
// none applies. start/end may reach past the finding to take one space with a removal.
export function fixFor(finding, text) {
  if (!finding || finding.rule === CAPPED_RULE) return null;
  const { start, end } = finding;
  if (!(end > start) || end > text.length) return null;
  const span = text.slice(start, end);
  if (!span.trim()) return null;
  if (finding.category === 'name') {
    const replacement = atSentenceStart(text, start) ? capitalise(t('fixNameReplacement')) : t('fixNameReplacement');
    return { kind: 'name', start, end, replacement, label: t('fixReplaceName', t('fixNameReplacement')) };
  }
  if (finding.category === 'date') {
    const year = YEAR.exec(span)?.[1];
    if (year) return { kind: 'year', start, end, replacement: year, label: t('fixKeepYear', year) };
    return { kind: 'remove', ...removalSpan(text, start, end), replacement: '', label: t('fixRemoveDate') };
  }
  if (REMOVED_CATEGORIES.has(finding.category)) {
    return { kind: 'remove', ...removalSpan(text, start, end), replacement: '', label: t('fixRemove') };
  }
  return null;
}

// What the text becomes with `fix` applied.
export function fixedText(text, fix) {
  return text.slice(0, fix.start) + fix.replacement + text.slice(fix.end);
}

// A removal takes one neighbouring space with it, so "SSN 536-22-8741." becomes "SSN." and
// not "SSN ." (and a removal at the start of a line takes the space after it).
export function removalSpan(text, start, end) {
  const before = text[start - 1];
  const after = text[end];
  if ((before === ' ' || before === '\t') && (after === undefined || /[\s.,;:!?)\]]/.test(after))) {
    return { start: start - 1, end };
  }
  if ((after === ' ' || after === '\t') && (start === 0 || text[start - 1] === '\n')) {
    return { start, end: end + 1 };
  }
  return { start, end };
}

function atSentenceStart(text, start) {
  const before = text.slice(0, start).trimEnd();
  return before === '' || /[.!?\n]$/.test(before);
}

function capitalise(words) {
  return words.charAt(0).toLocaleUpperCase() + words.slice(1);
}

// Makes `fix` in `session`'s composer as a user edit would. Resolves true when the
// composer's text is then what the fix meant it to be.
export async function applyFix(session, fix) {
  const element = session.element;
  const doc = element.ownerDocument;
  const before = session.text();
  const expected = fixedText(before, fix);
  if (session.kind === 'value') {
    element.focus({ preventScroll: true });
    element.setSelectionRange(fix.start, fix.end);
    // execCommand keeps the field's own undo (Ctrl+Z brings the text back).
    insert(doc, fix.replacement);
    if (element.value !== expected && element.value === before) {
      // A browser without execCommand on fields: the value's own edit, announced as input.
      element.setRangeText(fix.replacement, fix.start, fix.end, 'end');
      element.dispatchEvent(new InputEvent('input', {
        bubbles: true, composed: true, inputType: fix.replacement ? 'insertReplacementText' : 'deleteContent',
        data: fix.replacement || null,
      }));
    }
    return element.value === expected;
  }
  const range = rangeForOffsets(session.read().segments, fix.start, fix.end, doc);
  if (!range) return false;
  element.focus({ preventScroll: true });
  select(session, range);
  // `selectionchange` comes a task later: an editor that keeps its own copy of the
  // selection has it before the edit arrives (docs/browser-testing.md).
  await nextTask();
  if (!sameRange(selectionRange(session), range)) select(session, range);
  insert(doc, fix.replacement);
  // Editors that re-render (React) settle the DOM after the event.
  for (let i = 0; i < 10 && session.text() !== expected; i += 1) await nextTask();
  return session.text() === expected;
}

function insert(doc, replacement) {
  if (replacement) doc.execCommand('insertText', false, replacement);
  else doc.execCommand('delete', false);
}

function selectionOf(session) {
  const root = session.element.getRootNode();
  return root.getSelection?.() ?? session.element.ownerDocument.getSelection();
}

function select(session, range) {
  const selection = selectionOf(session);
  selection.removeAllRanges();
  selection.addRange(range);
}

function selectionRange(session) {
  const selection = selectionOf(session);
  return selection?.rangeCount ? selection.getRangeAt(0) : null;
}

function sameRange(a, b) {
  return Boolean(a && b) && a.startContainer === b.startContainer && a.startOffset === b.startOffset &&
    a.endContainer === b.endContainer && a.endOffset === b.endOffset;
}

function nextTask() {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
