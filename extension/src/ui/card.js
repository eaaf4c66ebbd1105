// The card for one finding: what it is, why it matters and what to do. It opens on hover
// and when the caret enters an underlined span; its text is announced through the live
// region, and Alt+Shift+P moves keyboard focus into it (Escape or "Back to post" returns).

import { t } from '../shared/i18n.js';
import { CAPPED_RULE } from '../shared/policy.js';
import { cappedNote, severityIcon, severityLabel } from './dialog.js';
import { h, toTopLayer, uniqueId } from './dom.js';

export class FindingCard {
  #ui; #element = null; #finding = null; #onBack = null; #announced = false;

  constructor(ui) { this.#ui = ui; }

  get finding() { return this.#finding; }
  get open() { return Boolean(this.#element?.isConnected); }

  // anchor: a viewport rect of the underlined text. onBack: returns focus to the composer.
  // interactive: the card takes clicks (opened for the keyboard); otherwise it only shows.
  show(finding, anchor, { announce = false, interactive = false, onBack, helpUrl } = {}) {
    const same = this.open && this.#finding?.rule === finding.rule &&
      this.#finding?.start === finding.start;
    this.#finding = finding;
    this.#onBack = onBack;
    if (!same) this.#render(finding, helpUrl);
    this.#element.classList.toggle('pg-interactive', interactive);
    this.#place(anchor);
    if (!same) this.#announced = false;
    // Said once per finding, when the caret or the keyboard (not the pointer) brought it up.
    if (announce && !this.#announced) {
      this.#announced = true;
      this.#ui.announce(t('cardAnnounce', finding.title, finding.message, finding.advice ?? ''));
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

  isOver(x, y) {
    if (!this.#element) return false;
    const r = this.#element.getBoundingClientRect();
    return x >= r.left && x <= r.right && y >= r.top && y <= r.bottom;
  }

  #render(finding, helpUrl) {
    this.#element?.remove();
    const doc = this.#ui.host.ownerDocument;
    const titleId = uniqueId('pg-card-title');
    const back = () => { const onBack = this.#onBack; this.hide(); onBack?.(); };
    this.#element = h(doc, 'section', {
      class: 'pg-card', role: 'group', tabindex: '-1', 'aria-labelledby': titleId,
      'data-rule': finding.rule, 'data-category': finding.category, 'data-action': finding.effective,
      onkeydown: (event) => { if (event.key === 'Escape') { event.stopPropagation(); back(); } },
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
      h(doc, 'button', { class: 'pg-button', type: 'button', onclick: back }, t('backToPost'))));
    this.#ui.layer('card').append(this.#element);
    toTopLayer(this.#element);
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
