// The content script, one per frame: finds composers as the user reaches them, scans their
// text through the service worker, draws underlines and cards, shows host problems
// according to the fail mode, and guards posting. It keeps no text beyond the composers'
// current ones. The parts with one job each live in their own files; this class holds
// them, and all the state the content script has, in the fields listed first.

import { t } from '../shared/i18n.js';
import { FindingCard } from '../ui/card.js';
import { Notices } from '../ui/notices.js';
import { UiRoot } from '../ui/ui-root.js';
import { CardControl } from './card-control.js';
import { ComposerChips } from './composer-chips.js';
import { ComposerSession } from './composer-session.js';
import { composerFromElement, composerFromEvent } from './composers.js';
import { EditWatch } from './edit-watch.js';
import { FindingActions } from './finding-actions.js';
import { GuardReports } from './guard-reports.js';
import { Overlay } from './overlay.js';
import { PolicyFeed } from './policy-feed.js';
import { PostDialogs } from './post-dialogs.js';
import { SubmitGuard } from './submit-guard.js';
import { WorkerChannel } from './worker-channel.js';

const SCAN_TIMEOUT_MS = 6000;

export class ContentGuard {
  // --- State: everything the content script keeps ----------------------------------------
  #win; #doc; // the frame this instance guards
  #ui; // UiRoot: the one <phiguard-ui> shadow root everything we show lives in
  #overlay; // Overlay: the underlines of every session
  #card; // FindingCard: the one finding card
  #notices; // Notices: host problems (badge, fail-closed banner) and toasts
  #worker; // WorkerChannel: the line to the service worker (scans, reports, the policy)
  #policy; // PolicyFeed: the policy, whether it is known yet, and when it will be
  #sessions = new Map(); // composer element -> ComposerSession, for composers the user reached
  #focused = null; // the session the user is in, or null
  #edits; // EditWatch: each session's last text, and the rich composers' MutationObservers
  #cards; // CardControl: what opened the card showing now, and the pending hover check
  #reports; // GuardReports: audit events of what the user did and what was posted
  #dialogs; // PostDialogs: the pre-post dialog the submit guard opens
  #actions; // FindingActions: a finding's one-click fix and "Not PHI", in the card and the dialog
  #resizeObserver; // redraws the underlines when a composer changes size
  #chips; // ComposerChips: each composer's status chip, updated when the overlay paints

  constructor(win = window) {
    this.#win = win;
    this.#doc = win.document;
    this.#ui = new UiRoot(this.#doc);
    this.#overlay = new Overlay(this.#ui, this.#doc, {
      afterRead: () => this.#chips.measure(), afterPaint: () => this.#chips.paint(),
    });
    this.#card = new FindingCard(this.#ui);
    this.#notices = new Notices(this.#ui);
    this.#worker = new WorkerChannel({ timeoutMs: SCAN_TIMEOUT_MS });
    // Until the service worker has answered, a failed check does not count as fail-open:
    // the guard holds the post (submit-guard.js).
    this.#policy = new PolicyFeed({
      request: (message, options) => this.#worker.request(message, options),
      onChange: () => this.#policyChanged(),
    });
    this.#edits = new EditWatch({
      onEdit: (session, text) => {
        session.textSeen(text);
        this.#chips.edited(session);
        session.scheduler.inputHappened();
        this.#overlay.schedule();
      },
    });
    this.#reports = new GuardReports((message) => this.#worker.request(message));
    this.#actions = new FindingActions({
      reports: this.#reports,
      redraw: () => this.#overlay.schedule(),
      announce: (text) => this.#ui.announce(text),
      toast: (text) => this.#notices.toast(text),
    });
    this.#cards = new CardControl(this.#card, this.#overlay, {
      focused: () => this.#focused,
      setFocused: (session) => { this.#focused = session; },
      sessionOf: (element) => this.#sessions.get(element),
      helpUrl: () => this.#policy.policy.helpUrl,
      actions: (session, finding) => this.#actions.for(session, finding),
    });
    this.#dialogs = new PostDialogs({
      ui: this.#ui,
      policy: () => this.#policy.policy,
      cards: this.#cards,
      reports: this.#reports,
      toast: (text) => this.#notices.toast(text),
      actions: this.#actions,
    });
    this.#resizeObserver = new ResizeObserver(() => this.#overlay.schedule());
    this.#chips = new ComposerChips(this.#ui, this.#win, {
      sessions: () => this.#sessions.values(),
      repaint: () => this.#overlay.schedule(),
      open: (session, finding) => this.#cards.openFor(session, finding),
    });
  }

  // Listens (composers, cards, post attempts), asks for the policy, and takes up a composer
  // the user was already in.
  start() {
    this.#followUser();
    this.#cards.install(this.#win, this.#doc);
    const submitGuard = new SubmitGuard({
      sessions: () => this.#liveSessions(),
      sessionFor: (found) => this.#sessionFor(found),
      policy: () => this.#policy.policy,
      policyKnown: () => this.#policy.known,
      policyReady: () => this.#policy.ready,
      dialogs: this.#dialogs,
      toast: (text, options) => this.#notices.toast(text, options),
      clearToast: () => this.#notices.clearToast(),
      posted: (sessions) => {
        this.#reports.posted(sessions);
        for (const session of sessions) session.posted();
      },
    });
    submitGuard.install(this.#win);
    // One keydown listener for the card's key and the post key: every listener is an entry
    // into our isolated world at each keystroke (issue 16). The card's goes first, and a key
    // it takes is not looked at again, as its stopImmediatePropagation did with two.
    this.#win.addEventListener('keydown', (event) => {
      if (!this.#cards.keyDown(event)) submitGuard.keyDown(event);
    }, true);
    this.#policy.start();
    // A composer focused before this script ran (it loads at document_idle).
    const active = deepActiveElement(this.#doc);
    const activeComposer = active && composerFromElement(active);
    if (activeComposer) {
      this.#focused = this.#sessionFor(activeComposer);
      if (this.#focused.text().trim()) this.#focused.scheduler.flush();
    }
  }

  // --- Following the user ----------------------------------------------------------------
  #followUser() {
    const win = this.#win;
    win.addEventListener('focusin', (event) => {
      const found = composerFromEvent(event);
      if (!found) return;
      const isNew = !this.#sessions.has(found.element);
      this.#focused = this.#sessionFor(found);
      // A composer that already holds text (a draft, a share dialog) is checked straight away.
      if (isNew && this.#focused.text().trim()) this.#focused.scheduler.flush();
    }, true);

    win.addEventListener('input', (event) => {
      const found = composerFromEvent(event);
      if (!found) return;
      const session = this.#sessionFor(found);
      this.#focused = session;
      session.textSeen(this.#edits.inputHandled(session));
      this.#chips.edited(session);
      if (!event.isComposing) session.scheduler.inputHappened();
      this.#overlay.schedule();
    }, true);

    win.addEventListener('compositionstart', (event) => {
      const found = composerFromEvent(event);
      if (found) this.#sessionFor(found).scheduler.compositionStarted();
    }, true);

    win.addEventListener('compositionend', (event) => {
      const found = composerFromEvent(event);
      if (found) this.#sessionFor(found).scheduler.compositionEnded();
    }, true);

    win.addEventListener('scroll', () => this.#overlay.schedule(), { capture: true, passive: true });
    win.addEventListener('resize', () => this.#overlay.schedule(), { passive: true });
  }

  // --- Sessions --------------------------------------------------------------------------
  #sessionFor(found) {
    let session = this.#sessions.get(found.element);
    if (!session) {
      session = new ComposerSession(found, {
        scan: (text, composer) => this.#scan(text, composer),
        policy: () => this.#policy.policy,
        ui: this.#ui,
        onReply: (s) => this.#onReply(s),
      });
      this.#sessions.set(found.element, session);
      this.#overlay.track(session);
      found.element.addEventListener('scroll', () => this.#overlay.schedule(), { passive: true });
      this.#resizeObserver.observe(found.element);
      this.#edits.watch(session);
    }
    return session;
  }

  // The sessions whose composers are still in the page; the others are let go.
  #liveSessions() {
    for (const [element, session] of this.#sessions) {
      if (!element.isConnected) {
        this.#overlay.forget(session);
        this.#chips.forget(session);
        this.#resizeObserver.unobserve(element);
        this.#edits.unwatch(session);
        session.dispose();
        this.#sessions.delete(element);
      }
    }
    return [...this.#sessions.values()];
  }

  // The reply as it came: its rule details are merged into the findings by the session
  // (finding-decor.js), which keeps the findings it made before where they are the same.
  #scan(text, composer) {
    return this.#worker.scan(composer, text);
  }

  #onReply(session) {
    // A reply changes what is found, not where the text is; one that changes neither the
    // underlines nor the chip asks for no frame (overlay.js replied).
    this.#overlay.replied(session, () => this.#chips.unchanged(session));
    this.#updateHostNotices(session);
    this.#cards.replied(session);
  }

  // The policy can arrive after the first scan did, and change later: redo what depended on it.
  #policyChanged() {
    for (const session of this.#sessions.values()) {
      session.reapplyPolicy();
      this.#updateHostNotices(session);
    }
    this.#overlay.schedule({ moved: false });
  }

  // A failed check shows as the policy's fail mode says: a banner that blocks (closed) or a
  // badge by the composer (open). A good reply clears both.
  #updateHostNotices(session) {
    const reply = session.reply;
    if (reply?.ok) {
      this.#notices.clearHostProblems();
      return;
    }
    if (!reply || reply.error === 'bad_request') return;
    const summary = reply.summary || t('hostNoAnswer');
    this.#notices.clearHostProblems();
    if (this.#policy.policy.failMode === 'closed') this.#notices.showBlockedBanner(summary, session.element);
    else this.#notices.showUnavailableBadge(summary, session.element);
  }
}

function deepActiveElement(root) {
  let el = root.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return el && el !== root.body ? el : null;
}
