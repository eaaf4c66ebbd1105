// Parts of the content script that run without a page: the audit events it reports
// (identifiers only, audited findings once per posted text) and the edit watch (a change of
// text without an `input` event arms a rescan; the same text, or one `input` handled, does
// not). The browser suites cover them on real editors (e2e/edits.test.mjs, audit-mode).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { EditWatch } from '../../../extension/src/content/edit-watch.js';
import { GuardReports } from '../../../extension/src/content/guard-reports.js';

describe('GuardReports', () => {
  const finding = (rule, category) => ({ rule, category, start: 0, end: 4, effective: 'warn' });
  const session = {
    verdict: 'warn',
    findings: [finding('phi.name_given', 'name'), finding('phi.name_given', 'name'), finding('health.diagnosis', 'health')],
    reply: { ok: true, result: { rules_version: 'phi-people@0.1.0' } },
  };

  test('the user\'s choice carries rule ids, categories and the verdict, each once', () => {
    const sent = [];
    new GuardReports((m) => sent.push(m)).outcome(session, 'posted_anyway', { justification: 'consent_on_file' });
    assert.deepEqual(sent, [{
      type: 'report',
      event: {
        outcome: 'posted_anyway', verdict: 'warn', rules: ['phi.name_given', 'health.diagnosis'],
        categories: ['name', 'health'], rules_version: 'phi-people@0.1.0', justification: 'consent_on_file',
      },
    }]);
  });

  test('a post records what audit-mode categories found, only for sessions that have some', () => {
    const sent = [];
    const audited = {
      auditedVerdict: 'block', reply: session.reply,
      auditedToRecord: () => [finding('phi.ssn', 'ssn')], dismissedToRecord: () => [],
    };
    const clean = { auditedToRecord: () => [], dismissedToRecord: () => [] };
    new GuardReports((m) => sent.push(m)).posted([clean, audited]);
    assert.deepEqual(sent, [{
      type: 'report',
      event: { outcome: 'posted', verdict: 'block', rules: ['phi.ssn'], categories: ['ssn'], rules_version: 'phi-people@0.1.0' },
    }]);
  });
});

describe('GuardReports: "Not PHI"', () => {
  test('a post that goes out without dismissed warnings records them as posted anyway, not PHI', () => {
    const sent = [];
    const dismissedPost = {
      undismissedVerdict: 'warn', reply: { ok: true, result: { rules_version: 'phi-people@0.1.0' } },
      auditedToRecord: () => [],
      dismissedToRecord: () => [{ rule: 'phi.name_full', category: 'name', start: 0, end: 4, effective: 'warn' }],
    };
    const clean = { auditedToRecord: () => [], dismissedToRecord: () => [] };
    new GuardReports((m) => sent.push(m)).posted([clean, dismissedPost]);
    assert.deepEqual(sent, [{
      type: 'report',
      event: {
        outcome: 'posted_anyway', verdict: 'warn', rules: ['phi.name_full'], categories: ['name'],
        rules_version: 'phi-people@0.1.0', justification: 'not_patient_information',
      },
    }]);
  });

  test('is kept in the page as rule id and category only, and sent nowhere until a post', () => {
    const sent = [];
    const reports = new GuardReports((m) => sent.push(m));
    reports.dismissed({ rule: 'phi.name_full', category: 'name', start: 8, end: 22, title: 'Full name', effective: 'warn' });
    assert.deepEqual(sent, []);
    const records = reports.dismissedRecords;
    assert.equal(records.length, 1);
    assert.deepEqual(Object.keys(records[0]).sort(), ['at', 'category', 'rule']);
    assert.equal(records[0].rule, 'phi.name_full');
    assert.equal(records[0].category, 'name');
  });
});

describe('EditWatch', () => {
  // A composer element as far as the watch uses it.
  function fakeSession(kind, text) {
    const listeners = {};
    return {
      kind, text: () => text, connected: true,
      set: (next) => { text = next; },
      element: {
        addEventListener: (type, fn, capture) => { assert.equal(capture, true); listeners[type] = fn; },
        fire: (type) => listeners[type](),
        listened: () => Object.keys(listeners),
      },
    };
  }
  const tick = () => new Promise((r) => setTimeout(r, 5));
  let observers;
  beforeEach(() => {
    observers = [];
    globalThis.MutationObserver = class {
      constructor(callback) { this.callback = callback; this.disconnected = false; observers.push(this); }
      observe(target, options) { this.target = target; this.options = options; }
      disconnect() { this.disconnected = true; }
    };
  });
  afterEach(() => { delete globalThis.MutationObserver; });

  test('paste, drop, cut and beforeinput look at the text a task later; only a change counts', async () => {
    const edits = [];
    const watch = new EditWatch({ onEdit: (s) => edits.push(s.text()) });
    const session = fakeSession('value', 'draft');
    watch.watch(session);
    assert.equal(observers.length, 0, 'a textarea needs no observer');
    session.element.fire('paste');
    await tick();
    assert.deepEqual(edits, [], 'the same text is no edit');
    session.set('draft pasted');
    session.element.fire('paste');
    assert.deepEqual(edits, [], 'not before the editor applied it');
    await tick();
    session.set('draft');
    session.element.fire('cut');
    await tick();
    assert.deepEqual(edits, ['draft pasted', 'draft']);
  });

  test('a contenteditable is observed until it is let go; an input event already handled is no change', () => {
    const edits = [];
    const watch = new EditWatch({ onEdit: (s) => edits.push(s.text()) });
    const session = fakeSession('editable', 'a');
    watch.watch(session);
    const [observer] = observers;
    assert.equal(observer.target, session.element);
    // The attributes that hide text in the model too (text-model.js): the observer sees every
    // change of the text, so no event listener is added (issue 16).
    assert.deepEqual(observer.options, {
      subtree: true, childList: true, characterData: true, attributes: true,
      attributeFilter: ['hidden', 'aria-hidden'],
    });
    assert.deepEqual(session.element.listened(), [], 'no late look after events');
    session.set('ab');
    watch.inputHandled(session);
    observer.callback();
    assert.deepEqual(edits, []);
    session.set('a'); // undo, without an input event
    observer.callback();
    assert.deepEqual(edits, ['a']);
    watch.unwatch(session);
    assert.equal(observer.disconnected, true);
  });

  test('a composer that left the page is not read', () => {
    const edits = [];
    const watch = new EditWatch({ onEdit: (s) => edits.push(s.text()) });
    const session = fakeSession('editable', 'a');
    watch.watch(session);
    session.connected = false;
    session.set('b');
    observers[0].callback();
    assert.deepEqual(edits, []);
  });
});
