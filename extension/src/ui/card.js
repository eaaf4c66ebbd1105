// The card for one finding: what it is, why it matters and what to do. It opens on hover
// and when the caret enters an underlined span; its text is announced through the live
// region, and Alt+Shift+P moves keyboard focus into it (Escape or "Back to post" returns).
// Its buttons offer the finding's one-click fix and "Not PHI" where they apply.

import { t } from '../shared/i18n.js';
import { CAPPED_RULE } from '../shared/policy.js';
import { cappedNote, severityIcon, severityLabel } from './dialog.js';
import { h, toTopLayer, uniqueId } from './dom.js';
import { actionButton } from './finding-action-button.js';

export class FindingCard {
  #ui; #element = null; #finding = null; #onBack = null; #announced = false;
  #near = null; // the composer the card is for: it goes where that composer can be used
  #actions = []; // what the finding's action buttons run (finding-actions.js), for the finding shown

  constructor(ui) { this.#ui = ui; }

  get finding() { return this.#finding; }
  get open() { return Boolean(this.#element?.isConnected); }

  // anchor: a viewport rect of the underlined text. onBack: returns focus to the composer.
  // interactive: the card takes clicks (opened for the keyboard); otherwise it only shows,
  // except for its action buttons. actions: the fix and "Not PHI" buttons, [{ id, label,
  // name, hint, fix, run() }] (content/finding-actions.js). near: the composer's element; in
  // a site's open modal dialog the card goes there (ui-root.js layerNear), else it could
  // neither be clicked nor take focus.
  show(finding, anchor, { announce = false, interactive = false, onBack, helpUrl, actions = [], near = null } = {}) {
    const layer = this.#ui.layerNear(near, 'card');
    const same = this.open && this.#finding?.rule === finding.rule && this.#element.parentNode === layer &&
      this.#finding?.start === finding.start && sameActions(this.#actions, actions);
    this.#near = near;
    this.#finding = finding;
    this.#onBack = onBack;
    this.#actions = actions;
    if (!same) this.#render(finding, helpUrl);
    this.#element.classList.toggle('pg-interactive', interactive);
    this.#place(anchor);
    if (!same) this.#announced = false;
    // Said once per finding, when the caret or the keyboard (not the pointer) brought it up.
    if (announce && !this.#announced) {
      this.#announced = true;
      this.#ui.announceNear(t('cardAnnounce', finding.title, finding.message, finding.advice ?? ''), near);
    }
  }

  hide() {
    this.#element?.remove();
    this.#element = null;
    this.#finding = null;
  }

  focus() {
    this.#element?.focus();
  }

  contains(node) {
    return Boolean(this.#element && node && this.#element.contains(node));
  }

  // Is the viewport point within `margin` px of the card?
  isOver(x, y, margin = 0) {
    if (!this.#element) return false;
    const r = this.#element.getBoundingClientRect();
    return x >= r.left - margin && x <= r.right + margin && y >= r.top - margin && y <= r.bottom + margin;
  }

  #render(finding, helpUrl) {
    this.#element?.remove();
    const doc = this.#ui.host.ownerDocument;
    const titleId = uniqueId('pg-card-title');
    const back = () => { const onBack = this.#onBack; this.hide(); onBack?.(); };
    this.#element = h(doc, 'section', {
      class: 'pg-card', role: 'group', tabindex: '-1', 'aria-labelledby': titleId,
      'data-rule': finding.rule, 'data-category': finding.category, 'data-action': finding.effective,
      // Escape closes the card, and only the card: not a site's modal dialog it sits in (the
      // browser closes the topmost modal on an Escape nobody cancelled).
      onkeydown: (event) => {
        if (event.key !== 'Escape') return;
        event.preventDefault();
        event.stopPropagation();
        back();
      },
    },
    h(doc, 'h2', { id: titleId }, `${finding.title}`),
    h(doc, 'p', {}, h(doc, 'span', { class: 'pg-label' }, t('cardCategory')), ' ',
      h(doc, 'span', { class: 'pg-severity', 'data-severity': finding.effective },
        severityIcon(doc, finding.effective), severityLabel(finding))),
    finding.rule === CAPPED_RULE ? h(doc, 'p', { 'data-phiguard': 'capped-note' }, cappedNote()) : null,
    h(doc, 'p', {}, h(doc, 'span', { class: 'pg-label' }, t('cardWhy')), ' ', finding.message ?? ''),
    finding.advice ? h(doc, 'p', {}, h(doc, 'span', { class: 'pg-label' }, t('cardWhatToDo')), ' ', finding.advice) : null,
    helpUrl ? h(doc, 'p', {}, h(doc, 'a', { href: helpUrl, target: '_blank', rel: 'noopener' }, t('cardPolicyLink'))) : null,
    h(doc, 'div', { class: 'pg-actions' },
      this.#actions.map((action) => actionButton(doc, action, () => this.#run(action.id))),
      h(doc, 'button', { class: 'pg-button', type: 'button', onclick: back }, t('backToPost'))));
    this.#ui.layerNear(this.#near, 'card').append(this.#element);
    toTopLayer(this.#element);
  }

  // An action button was pressed: the card closes (its finding is being fixed or dismissed)
  // and the action runs with the finding as it is now.
  #run(id) {
    const action = this.#actions.find((a) => a.id === id);
    this.hide();
    action?.run();
  }

  #place(anchor) {
    const el = this.#element;
    if (!el) return;
    const view = this.#ui.host.ownerDocument.defaultView;
    const below = anchor.top + anchor.height + 6;
    const height = el.offsetHeight || 160;
    const top = below + height > view.innerHeight ? Math.max(4, anchor.top - height - 6) : below;
    const left = Math.max(4, Math.min(anchor.left, view.innerWidth - (el.offsetWidth || 340) - 4));
    el.style.setProperty('margin', '0');
    el.style.setProperty('inset', `${top}px auto auto ${left}px`);
  }
}

function sameActions(a, b) {
  return a.length === b.length && a.every((x, i) => x.id === b[i].id && x.label === b[i].label);
}
