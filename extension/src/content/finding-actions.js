// What the user can do about one finding besides editing by hand (issue #16), offered in the
// card and next to each finding in the pre-post dialog: the one-click fix when the advice is
// mechanical (finding-fixes.js), and "Not PHI", which dismisses the finding for this post
// (dismissals.js). The card and the dialog only draw the buttons; running them is here.

import { categoryLabel } from '../shared/categories.js';
import { t } from '../shared/i18n.js';
import { focusComposer } from './composer-focus.js';
import { canDismiss } from './dismissals.js';
import { applyFix, fixFor } from './finding-fixes.js';

export class FindingActions {
  #env;

  // env: { reports: GuardReports, redraw(), announce(text), toast(text) }.
  constructor(env) { this.#env = env; }

  // The actions for `finding` (offsets into `session`'s text now), in the order shown:
  // [{ id: 'fix' | 'not-phi', fix?: the fix's kind, label, name: the accessible name,
  // hint?, run(): Promise<boolean> (true when it changed something) }].
  for(session, finding) {
    const what = finding.title || categoryLabel(finding.category);
    const actions = [];
    const fix = fixFor(finding, session.text());
    if (fix) {
      actions.push({
        id: 'fix', fix: fix.kind, label: fix.label, name: t('findingActionName', fix.label, what),
        run: () => this.#fix(session, finding),
      });
    }
    if (canDismiss(finding)) {
      actions.push({
        id: 'not-phi', label: t('notPhi'), name: t('findingActionName', t('notPhi'), what), hint: t('notPhiHint'),
        run: () => Promise.resolve(this.#dismiss(session, finding)),
      });
    }
    return actions;
  }

  async #fix(session, finding) {
    const current = holding(session, finding);
    const fix = current && fixFor(current, session.text());
    if (!fix) return false;
    const done = await applyFix(session, fix);
    this.#env.redraw();
    if (done) this.#env.announce(t('fixDone'));
    else this.#env.toast(t('fixFailed'));
    return done;
  }

  #dismiss(session, finding) {
    const current = holding(session, finding);
    if (!current || !session.dismiss(current)) return false;
    this.#env.reports.dismissed(current);
    this.#env.redraw();
    // From the keyboard card the focus was in the card, which has closed.
    if (!session.element.matches(':focus')) focusComposer(session);
    this.#env.announce(t('dismissDone'));
    return true;
  }
}

// The finding as it is in the text now, or null when the text under it has changed.
function holding(session, finding) {
  return session.visibleFindings()
    .find((f) => f.rule === finding.rule && f.start === finding.start && f.end === finding.end) ?? null;
}
