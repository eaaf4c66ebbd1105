// The content script: finds composers as the user reaches them, scans their text through
// the service worker, draws underlines and cards, shows host problems according to the
// fail mode, and guards posting. It keeps no text beyond the composer's current one.

import { t } from '../shared/i18n.js';
import { FindingCard } from '../ui/card.js';
import { openDialog } from '../ui/dialog.js';
import { Notices } from '../ui/notices.js';
import { UiRoot } from '../ui/ui-root.js';
import { ComposerSession } from './composer-session.js';
import { composerFromElement, composerFromEvent } from './composers.js';
import { Overlay } from './overlay.js';
import { rangeForOffsets } from './offsets.js';
import { PolicyFeed } from './policy-feed.js';
import { withRuleDetails } from './rule-details.js';
import { SubmitGuard } from './submit-guard.js';
import { WorkerChannel } from './worker-channel.js';

const SCAN_TIMEOUT_MS = 6000;

const doc = document;
const win = window;
const ui = new UiRoot(doc);
const overlay = new Overlay(ui, doc);
const card = new FindingCard(ui);
const notices = new Notices(ui);
const sessions = new Map(); // element -> ComposerSession
let focused = null; // the session the user is in

const worker = new WorkerChannel({ timeoutMs: SCAN_TIMEOUT_MS });
// The policy from the service worker. Until it has answered, a failed check does not count
// as fail-open: the guard holds the post (submit-guard.js).
const policyFeed = new PolicyFeed({
  request: (message, options) => worker.request(message, options),
  onChange: policyChanged,
});

// The policy can arrive after the first scan did, and change later: redo what depended on it.
function policyChanged() {
  for (const session of sessions.values()) {
    session.reapplyPolicy();
    updateHostNotices(session);
  }
  overlay.schedule();
}

async function scan(text) {
  const reply = await worker.request({ type: 'scan', text });
  return reply?.ok ? { ...reply, result: withRuleDetails(reply.result) } : reply;
}

function report(session, outcome, extra = {}) {
  const findings = session.findings;
  const event = {
    outcome,
    verdict: session.verdict,
    rules: [...new Set(findings.map((f) => f.rule))],
    categories: [...new Set(findings.map((f) => f.category))],
    rules_version: session.reply?.result?.rules_version,
    ...extra,
  };
  worker.request({ type: 'report', event });
}

// A post goes out: what categories in audit mode found in it is recorded (identifiers only),
// and nothing is shown.
function recordAudited(sessions) {
  for (const session of sessions) {
    const findings = session.auditedToRecord();
    if (!findings.length) continue;
    worker.request({
      type: 'report',
      event: {
        outcome: 'posted',
        verdict: session.auditedVerdict,
        rules: [...new Set(findings.map((f) => f.rule))],
        categories: [...new Set(findings.map((f) => f.category))],
        rules_version: session.reply?.result?.rules_version,
      },
    });
  }
}

function sessionFor(found) {
  let session = sessions.get(found.element);
  if (!session) {
    session = new ComposerSession(found, { scan, policy: () => policyFeed.policy, ui, onReply });
    sessions.set(found.element, session);
    overlay.track(session);
    found.element.addEventListener('scroll', () => overlay.schedule(), { passive: true });
    resizeObserver.observe(found.element);
    watchEdits(session);
  }
  return session;
}

// --- Every edit, with or without an `input` event --------------------------------------
// Editors change their text without `input`: Backspace and undo/redo in Draft.js and
// Lexical, undo and paste in Quill all prevent the browser's default and rewrite the DOM
// themselves. So a rich composer is also watched with a MutationObserver, and paste, drop,
// cut and beforeinput look at the text once the editor has applied them. Whatever the
// route, a change of the text arms a rescan and redraws; the same text does nothing.
const lastText = new WeakMap(); // session -> the text the last edit left
const observers = new WeakMap(); // session -> MutationObserver

function textChanged(session) {
  if (!session.connected) return;
  const text = session.text();
  if (lastText.get(session) === text) return;
  lastText.set(session, text);
  session.scheduler.inputHappened();
  overlay.schedule();
}

function watchEdits(session) {
  lastText.set(session, session.text());
  if (session.kind === 'editable') {
    const observer = new MutationObserver(() => textChanged(session));
    observer.observe(session.element, { subtree: true, childList: true, characterData: true });
    observers.set(session, observer);
  }
  // The editor applies these after the event (or instead of its default): look a task later.
  for (const type of ['beforeinput', 'paste', 'drop', 'cut']) {
    session.element.addEventListener(type, () => setTimeout(() => textChanged(session), 0), true);
  }
}

function unwatchEdits(session) {
  observers.get(session)?.disconnect();
  observers.delete(session);
}

function liveSessions() {
  for (const [element, session] of sessions) {
    if (!element.isConnected) {
      overlay.forget(session);
      resizeObserver.unobserve(element);
      unwatchEdits(session);
      session.dispose();
      sessions.delete(element);
    }
  }
  return [...sessions.values()];
}

function onReply(session) {
  overlay.schedule();
  updateHostNotices(session);
  if (card.open && focused === session && cardSource === 'caret') showCardAtCaret();
}

function updateHostNotices(session) {
  const reply = session.reply;
  if (reply?.ok) {
    notices.clearHostProblems();
    return;
  }
  if (!reply || reply.error === 'bad_request') return;
  const summary = reply.summary || t('hostNoAnswer');
  notices.clearHostProblems();
  if (policyFeed.policy.failMode === 'closed') notices.showBlockedBanner(summary);
  else notices.showUnavailableBadge(summary, session.element.getBoundingClientRect());
}

// --- Following the user ---------------------------------------------------------------
const resizeObserver = new ResizeObserver(() => overlay.schedule());

win.addEventListener('focusin', (event) => {
  const found = composerFromEvent(event);
  if (!found) return;
  const isNew = !sessions.has(found.element);
  focused = sessionFor(found);
  // A composer that already holds text (a draft, a share dialog) is checked straight away.
  if (isNew && focused.text().trim()) focused.scheduler.flush();
}, true);

win.addEventListener('input', (event) => {
  const found = composerFromEvent(event);
  if (!found) return;
  const session = sessionFor(found);
  focused = session;
  lastText.set(session, session.text());
  if (!event.isComposing) session.scheduler.inputHappened();
  overlay.schedule();
}, true);

win.addEventListener('compositionstart', (event) => {
  const found = composerFromEvent(event);
  if (found) sessionFor(found).scheduler.compositionStarted();
}, true);

win.addEventListener('compositionend', (event) => {
  const found = composerFromEvent(event);
  if (found) sessionFor(found).scheduler.compositionEnded();
}, true);

win.addEventListener('scroll', () => overlay.schedule(), { capture: true, passive: true });
win.addEventListener('resize', () => overlay.schedule(), { passive: true });

// --- Cards: on hover, at the caret, and from the keyboard ---------------------------------
// A card opened by hover or by the caret only informs: it lets clicks through (the site's
// Post button may be under it) and closes when the pointer or the caret leaves the finding.
// Alt+Shift+P opens it for the keyboard: then it takes focus and clicks, until Escape.
let cardSource = null; // 'hover' | 'caret' | 'keyboard'

function openCard(session, finding, rect, source) {
  cardSource = source;
  card.show(finding, rect, {
    announce: source !== 'hover', interactive: source === 'keyboard',
    onBack: () => { cardSource = null; focusComposer(session); }, helpUrl: policyFeed.policy.helpUrl,
  });
}

function closeCard(source) {
  if (card.open && cardSource === source) {
    card.hide();
    cardSource = null;
  }
}

let hoverFrame = 0;
win.addEventListener('mousemove', (event) => {
  if (hoverFrame) return;
  const { clientX: x, clientY: y } = event;
  hoverFrame = win.requestAnimationFrame(() => {
    hoverFrame = 0;
    const hit = overlay.hitTest(x, y);
    if (hit && cardSource !== 'keyboard') openCard(hit.session, hit.finding, hit.rect, 'hover');
    else if (!hit) closeCard('hover');
  });
}, { passive: true });

doc.addEventListener('selectionchange', () => {
  if (focused && cardSource !== 'keyboard') showCardAtCaret();
});

function findingAtCaret(session) {
  const caret = session.caretOffset();
  if (caret < 0) return null;
  return session.visibleFindings().find((f) => caret >= f.start && caret <= f.end) ?? null;
}

function showCardAtCaret() {
  const finding = focused && findingAtCaret(focused);
  if (!finding) {
    closeCard('caret');
    return;
  }
  const rect = focused.rectsFor([finding])[0][0];
  if (rect) openCard(focused, finding, rect, 'caret');
}

// Alt+Shift+P: from a composer, move focus into the card of the finding at the caret (or the
// first finding); Escape in the card comes back.
win.addEventListener('keydown', (event) => {
  if (!(event.altKey && event.shiftKey && event.code === 'KeyP')) return;
  const found = composerFromEvent(event);
  const session = found && sessions.get(found.element);
  if (!session) return;
  const finding = findingAtCaret(session) ?? session.visibleFindings()[0];
  if (!finding) return;
  event.preventDefault();
  event.stopImmediatePropagation();
  focused = session;
  const rect = session.rectsFor([finding])[0][0] ?? session.element.getBoundingClientRect();
  openCard(session, finding, rect, 'keyboard');
  card.focus();
}, true);

function focusComposer(session, finding = null) {
  session.element.focus({ preventScroll: false });
  if (!finding) return;
  if (session.kind === 'value') {
    session.element.setSelectionRange(finding.start, finding.end);
    return;
  }
  const range = rangeForOffsets(session.read().segments, finding.start, finding.end, doc);
  const selection = session.element.getRootNode().getSelection?.() ?? doc.getSelection();
  if (range && selection) {
    selection.removeAllRanges();
    selection.addRange(range);
  }
}

// --- The pre-post guard ----------------------------------------------------------------------
const dialogs = {
  // how: 'button' or 'key', the kind of post attempt the dialog interrupted.
  open(mode, targets, how = 'button') {
    return new Promise((resolve) => {
      const session = targets.find((s) => s.verdict === 'block') ?? targets.find((s) => s.verdict === 'warn') ?? targets[0];
      const findings = targets.flatMap((s) => s.visibleFindings().filter((f) => f.effective !== 'info'));
      const firstBad = session.visibleFindings().find((f) => f.effective !== 'info') ?? null;
      card.hide();
      cardSource = null;
      if (mode === 'block') report(session, 'blocked');
      openDialog(ui, {
        mode, findings, policy: policyFeed.policy, reason: session.reply?.summary, capped: targets.some((s) => s.capped),
        onEdit() {
          if (mode === 'warn') report(session, 'edited');
          focusComposer(session, firstBad);
          resolve();
        },
        onCancel() {
          report(session, 'cancelled');
          focusComposer(session);
          resolve();
        },
        onPostAnyway(justification) {
          for (const s of targets) s.grantPass(s.text());
          report(session, 'posted_anyway', justification ? { justification } : {});
          notices.toast(how === 'key' ? t('toastAgainKey') : t('toastAgainButton'));
          focusComposer(session);
          resolve();
        },
      });
    });
  },
};

new SubmitGuard({
  sessions: liveSessions,
  sessionFor,
  policy: () => policyFeed.policy,
  policyKnown: () => policyFeed.known,
  policyReady: () => policyFeed.ready,
  dialogs,
  toast: (text, options) => notices.toast(text, options),
  clearToast: () => notices.clearToast(),
  posted: recordAudited,
}).install(win);

policyFeed.start();

// A composer focused before this script ran (it loads at document_idle).
const active = deepActiveElement(doc);
const activeComposer = active && composerFromElement(active);
if (activeComposer) {
  focused = sessionFor(activeComposer);
  if (focused.text().trim()) focused.scheduler.flush();
}

function deepActiveElement(root) {
  let el = root.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return el && el !== root.body ? el : null;
}
