// The pre-post dialog, as the submit guard opens it (submit-guard.js `dialogs`): which
// composer and findings it is about, what each of its buttons does, and what is reported.

import { t } from '../shared/i18n.js';
import { openDialog } from '../ui/dialog.js';
import { focusComposer } from './composer-focus.js';

export class PostDialogs {
  #env;

  // env: { ui, policy(), cards: CardControl, reports: GuardReports, toast(text) }.
  constructor(env) { this.#env = env; }

  // mode: 'warn' | 'block' | 'unavailable'; targets: the sessions the post attempt would
  // post; how: 'button' or 'key', the kind of attempt the dialog interrupted. Resolves when
  // the user has chosen.
  open(mode, targets, how = 'button') {
    const { ui, cards, reports } = this.#env;
    return new Promise((resolve) => {
      const session = targets.find((s) => s.verdict === 'block') ?? targets.find((s) => s.verdict === 'warn') ?? targets[0];
      const findings = targets.flatMap((s) => s.visibleFindings().filter((f) => f.effective !== 'info'));
      const firstBad = session.visibleFindings().find((f) => f.effective !== 'info') ?? null;
      cards.hide();
      if (mode === 'block') reports.outcome(session, 'blocked');
      openDialog(ui, {
        mode, findings, policy: this.#env.policy(), reason: session.reply?.summary, capped: targets.some((s) => s.capped),
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
    });
  }
}
