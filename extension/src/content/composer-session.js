// One composer on the page: reads its text, schedules scans, keeps the findings of the last
// reply (shifted while the user types on), and answers the two questions the rest asks:
// where are the findings on screen, and may the current text be posted right now.

import { isCapped, stricter } from '../shared/policy.js';
import { Dismissals } from './dismissals.js';
import { EditableGeometry } from './editable-geometry.js';
import { FindingDecor } from './finding-decor.js';
import { shiftFindings, shiftFindingsInPlace } from './findings-shift.js';
import { MirrorGeometry } from './mirror-geometry.js';
import { ScanScheduler } from './scan-scheduler.js';
import { EditableModel, offsetOfPosition } from './text-model.js';

let nextId = 1;

export class ComposerSession {
  #findingsText = null; // the text this.findings' offsets are into: scannedText, or a later one
  #recordedFor = { audited: null, dismissed: null }; // the text each post-time record was sent for
  #decor = new FindingDecor(); // makes the reply's findings, keeping the last ones still the same
  // found: { element, kind, editor } from composers.js. env: { scan(text, composer id), policy(), ui,
  // onReply(session) }.
  constructor(found, env) {
    this.id = `c${nextId++}`;
    this.element = found.element;
    this.kind = found.kind;
    this.editor = found.editor;
    this.env = env;
    this.scannedText = null;
    this.reply = null; // the last delivered reply: { ok, result | error, ... }
    this.repliedAt = 0;
    this.findings = []; // with `effective`, our own copies, offsets into #findingsText
    this.findingsMoved = 0; // how many times visibleFindings moved them in place (overlay.js)
    this.audited = []; // findings of categories in audit mode: never shown, only recorded
    this.auditedVerdict = 'allow'; // what the audited findings would have caused
    this.dismissed = []; // findings "Not PHI" took out of the last reply, at their level
    this.undismissedVerdict = 'allow'; // the verdict those findings would have caused
    this.verdict = 'allow';
    this.capped = false; // the host checked only the first part of the text
    this.pass = null; // { text, spentAt } after "Post anyway"
    this.dismissals = new Dismissals(); // "Not PHI" for the post being written (dismissals.js)
    this.postedText = null; // the text of the last post let through, until a new post starts
    this.mirror = this.kind === 'value' ? new MirrorGeometry(env.ui.layer('mirrors')) : null;
    this.model = this.kind === 'value' ? null : new EditableModel(this.element);
    this.geometry = this.kind === 'value' ? null : new EditableGeometry(this.element);
    this.scheduler = new ScanScheduler({
      read: () => this.text(),
      send: (text) => env.scan(text, this.id),
      deliver: (text, reply) => this.#deliver(text, reply),
    });
  }

  get connected() { return this.element.isConnected; }

  // { text, segments } now. For textarea and input the value is the text.
  read() {
    if (this.kind === 'value') return { text: this.element.value, segments: null };
    return this.model.read();
  }

  text() { return this.read().text; }

  dispose() {
    this.mirror?.dispose();
    this.model?.dispose();
  }

  // Policy changed: recompute effective actions from the same reply.
  reapplyPolicy() {
    if (this.reply?.ok) this.#apply(this.reply.result);
  }

  // "Not PHI" on `finding` (offsets into the text as it is now): it and the same words in
  // this post are no longer shown and no longer count towards the verdict. True when done.
  dismiss(finding, current = this.text()) {
    if (!this.dismissals.add(finding, current)) return false;
    this.reapplyPolicy();
    return true;
  }

  // The composer's text was read after an edit: see #newPostCheck.
  textSeen(text) {
    if (this.#newPostCheck(text)) this.reapplyPolicy();
  }

  // A post of the text as it is now was let through.
  posted() {
    this.postedText = this.text();
  }

  // A composer that was emptied, or no longer holds the text that was posted from it, holds
  // a new post: what was dismissed in the last one counts no more. True when that cleared
  // a dismissal.
  #newPostCheck(text) {
    const emptied = !text.trim();
    const postGone = this.postedText !== null && !text.startsWith(this.postedText);
    if (!emptied && !postGone) return false;
    this.postedText = null;
    if (!this.dismissals.size) return false;
    this.dismissals.clear();
    return true;
  }

  // Findings whose offsets hold for the text as it is now. They are moved in place, edit by
  // edit (they are our copies: #apply), so a finding keeps its identity while the user types
  // (the card showing it, a fix or "Not PHI" on it use its offsets in the text as it is);
  // a paint asks several times (underlines, chip) and the same text costs one comparison.
  visibleFindings(current = this.text()) {
    if (this.scannedText === null) return [];
    if (this.#findingsText !== current) {
      // Back to the text the reply was for (an undo): the findings an edit dropped on the way
      // come back from the reply.
      if (current === this.scannedText && this.reply?.ok) {
        this.#apply(this.reply.result);
        this.findingsMoved += 1;
      } else this.#shiftTo(current);
    }
    return this.findings;
  }

  // this.findings moved in place to `text` (see visibleFindings), and counted as a move.
  #shiftTo(text) {
    if (this.#findingsText === text) return;
    this.findings = shiftFindingsInPlace(this.findings, this.#findingsText, text);
    this.#findingsText = text;
    this.findingsMoved += 1;
  }

  // Audited findings that hold for the text as it is now, once per text: the post of this
  // text is recorded once, however many events the one gesture fires.
  auditedToRecord(current = this.text()) { return this.#onceForText('audited', current); }

  // Dismissed findings that hold for the text as it is now, once per text, likewise.
  dismissedToRecord(current = this.text()) { return this.#onceForText('dismissed', current); }

  // this[kind] shifted to `current`, unless that text's record of them was made already.
  #onceForText(kind, current) {
    if (this.scannedText === null || !this[kind].length || this.#recordedFor[kind] === current) return [];
    const findings = shiftFindings(this[kind], this.scannedText, current);
    if (findings.length) this.#recordedFor[kind] = current;
    return findings;
  }

  // Viewport rectangles per finding. clip: { top, bottom } of the composer on screen, when
  // only findings there are wanted (the overlay's paint).
  rectsFor(findings, clip = null) {
    if (this.kind === 'value') return this.mirror.rects(this.element, findings);
    return this.geometry.rects(this.read(), findings, clip);
  }

  // A Range per finding, for the Custom Highlight API, or null for a finding outside the band
  // band() gives ({ top, bottom } in viewport coordinates, see EditableGeometry.near); null
  // where there are none to make (a textarea's text, or a composer in a shadow root, which
  // highlights cannot reach). band is a function so that a composer drawn with elements
  // does not read the layout for it.
  rangesFor(findings, band) {
    if (this.kind === 'value' || this.element.getRootNode() !== this.element.ownerDocument) return null;
    return this.geometry.near(findings, this.geometry.ranges(this.read(), findings), band());
  }

  // What the text as it is now was found to be: 'pending' until a reply for exactly this
  // text arrived, then the verdict, or 'unavailable' when no check was possible.
  displayState(text = this.text()) {
    if (this.reply === null || !this.scheduler.isCurrent(text)) return 'pending';
    return this.reply.ok ? this.verdict : 'unavailable';
  }

  // Caret offset in the text, or -1.
  caretOffset() {
    if (this.kind === 'value') return this.element.selectionStart ?? -1;
    const root = this.element.getRootNode();
    const selection = root.getSelection?.() ?? this.element.ownerDocument.getSelection();
    if (!selection?.focusNode || !this.element.contains(selection.focusNode)) return -1;
    const { segments } = this.read();
    return offsetOfPosition(segments, selection.focusNode, selection.focusOffset);
  }

  // The pre-post decision for the text as it is now (synchronous, from the cache):
  // 'allow' | 'pass' | 'dialog' | 'unavailable' | 'stale'.
  decide(policy) {
    const text = this.text();
    if (!text.trim()) return { kind: 'allow', text };
    if (this.#passHolds(text)) return { kind: 'pass', text };
    if (!this.scheduler.isCurrent(text) || this.reply === null) return { kind: 'stale', text };
    if (!this.reply.ok) {
      // An old failure is worth one more try before the post is held or let through: forget
      // it, so the guard's flush asks the host again.
      if (Date.now() - this.repliedAt > 2000) {
        this.scheduler.invalidate();
        return { kind: 'stale', text };
      }
      return { kind: policy.failMode === 'closed' ? 'unavailable' : 'allow', text, unavailable: true };
    }
    if (this.verdict === 'allow') return { kind: 'allow', text };
    return { kind: 'dialog', text, verdict: this.verdict };
  }

  // "Post anyway" lets the next real post attempt through for this exact text. The pass is
  // spent by that attempt, with a second's grace for the events of the same gesture (a click
  // on a submit button is followed by the form's submit event).
  grantPass(text) {
    this.pass = { text, spentAt: 0 };
  }

  spendPass() {
    if (this.pass && !this.pass.spentAt) this.pass.spentAt = Date.now();
  }

  #passHolds(text) {
    return this.pass?.text === text && (!this.pass.spentAt || Date.now() - this.pass.spentAt < 1000);
  }

  #deliver(text, reply) {
    // The findings shown until now, moved to the reply's text: those the reply finds again
    // keep their objects (#apply).
    if (reply?.ok && this.#findingsText !== null) this.#shiftTo(text);
    this.reply = reply;
    this.repliedAt = Date.now();
    this.scannedText = text;
    this.capped = Boolean(reply?.ok && isCapped(reply.result));
    this.#newPostCheck(text);
    if (reply?.ok) this.#apply(reply.result);
    else {
      this.#findingsText = text;
      this.findings = [];
      this.audited = [];
      this.dismissed = [];
      this.verdict = 'allow';
    }
    if (this.pass && this.pass.text !== text) this.pass = null;
    this.env.onReply(this);
  }

  // The verdict is recomputed from the findings that were not dismissed, each at its level.
  // Levels come first, so a dismissal never takes away what the policy now blocks. `result`
  // is a reply's, with its rule details (rule-details.js); the findings shown until now that
  // it finds again are kept, when they are at its text's offsets (finding-decor.js).
  #apply(result) {
    const previous = this.#findingsText === this.scannedText ? this.findings : [];
    const applied = this.#decor.apply(result, this.env.policy(), previous);
    const shown = this.dismissals.keep(applied.findings, this.scannedText);
    this.findings = shown;
    this.#findingsText = this.scannedText;
    this.audited = applied.audited;
    this.auditedVerdict = applied.auditedVerdict;
    // A reply that says it was capped but carries no finding for it still is not clean.
    const unclean = (verdict) => (this.capped && verdict === 'allow' ? 'warn' : verdict);
    this.verdict = unclean(shown === applied.findings
      ? applied.verdict : shown.reduce((verdict, f) => stricter(verdict, f.effective), 'allow'));
    // What "Not PHI" took away, and the verdict it would have made: a post that goes out
    // without it is recorded (guard-reports.js `posted`).
    if (shown.length === applied.findings.length) this.dismissed = [];
    else {
      const kept = new Set(shown);
      this.dismissed = applied.findings.filter((f) => !kept.has(f) && f.effective !== 'info');
    }
    this.undismissedVerdict = unclean(applied.verdict);
  }
}

