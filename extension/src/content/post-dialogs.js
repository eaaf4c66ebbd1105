// The pre-post dialog, as the submit guard opens it (submit-guard.js `dialogs`): which
// composer and findings it is about, what each of its buttons does, and what is reported.
// Next to each finding it offers the finding's fix and "Not PHI" (finding-actions.js); after
// one of those the post is judged again from what is left: nothing left, and the user is
// told to post again; something left, and the dialog comes back for it.

import { t } from '../shared/i18n.js';
import { openDialog } from '../ui/dialog.js';
import { focusComposer } from './composer-focus.js';

export class PostDialogs {
  #env;

  // env: { ui, policy(), cards: CardControl, reports: GuardReports, toast(text),
  // actions: FindingActions }.
  constructor(env) { this.#env = env; }

  // mode: 'warn' | 'block' | 'unavailable'; targets: the sessions the post attempt would
  // post; how: 'button' or 'key', the kind of attempt the dialog interrupted. Resolves when
  // the user has chosen.
  open(mode, targets, how = 'button') {
    return new Promise((resolve) => this.#show(mode, targets, how, resolve, true));
  }

  #show(mode, targets, how, resolve, first) {
    const { ui, cards, reports, actions } = this.#env;
    const session = targets.find((s) => s.verdict === 'block') ?? targets.find((s) => s.verdict === 'warn') ?? targets[0];
    const shown = targets.flatMap((s) => s.visibleFindings().filter((f) => f.effective !== 'info')
      .map((finding) => ({ session: s, finding })));
    const firstBad = session.visibleFindings().find((f) => f.effective !== 'info') ?? null;
    cards.hide();
    if (first && mode === 'block') reports.outcome(session, 'blocked');
    openDialog(ui, {
      mode, findings: shown.map((s) => s.finding), policy: this.#env.policy(), reason: session.reply?.summary, capped: targets.some((s) => s.capped),
      actionsFor: actions && mode !== 'unavailable'
        ? (finding, index) => actions.for(shown[index].session, finding).map((action) => ({
          ...action,
          run: () => this.#acted(action, shown[index].session, mode, targets, how, resolve),
        }))
        : null,
      onEdit() {
        if (mode === 'warn') reports.outcome(session, 'edited');
        focusComposer(session, firstBad);
        resolve();
      },
      onCancel() {
        reports.outcome(session, 'cancelled');
        focusComposer(session);
        resolve();
      },
      onPostAnyway: (justification) => {
        for (const s of targets) s.grantPass(s.text());
        reports.outcome(session, 'posted_anyway', justification ? { justification } : {});
        this.#env.toast(how === 'key' ? t('toastAgainKey') : t('toastAgainButton'));
        focusComposer(session);
        resolve();
      },
    });
  }

  // A fix or "Not PHI" was chosen in the dialog (which has closed): run it, have the changed
  // text checked, and judge the post again.
  // Whatever happens, the guard's promise is resolved or the dialog is back: the submit guard
  // waits for it before it handles another post attempt.
  async #acted(action, acted, mode, targets, how, resolve) {
    let decisions;
    try {
      const changed = await action.run();
      if (changed && action.id === 'fix' && mode === 'warn') this.#env.reports.outcome(acted, 'edited');
      await Promise.all(targets.map((s) => s.scheduler.flush()));
      const policy = this.#env.policy();
      decisions = targets.map((s) => s.decide(policy));
    } catch {
      focusComposer(acted);
      resolve();
      return;
    }
    const held = decisions.find((d) => d.kind === 'dialog' && d.verdict === 'block') ??
      decisions.find((d) => d.kind === 'dialog');
    if (held) {
      this.#show(held.verdict, targets, how, resolve, false);
      return;
    }
    if (decisions.every((d) => d.kind === 'allow' || d.kind === 'pass')) {
      this.#env.toast(how === 'key' ? t('toastFixedKey') : t('toastFixedButton'));
    }
    focusComposer(acted);
    resolve();
  }
}
