// The pre-post prompt: a role="alertdialog" listing what was found, each finding with its
// one-click fix and "Not PHI" buttons where they apply. "block" offers only
// "Edit post"; "warn" adds "Post anyway" (with a reason first when policy requires one);
// "unavailable" explains that posting is blocked because no check was possible. The admin's
// help link and contact text appear in every variant. Focus stays inside until it closes.

import { categoryLabel } from '../shared/categories.js';
import { t } from '../shared/i18n.js';
import { CAPPED_RULE, JUSTIFICATIONS } from '../shared/policy.js';
import { h, toTopLayer, uniqueId } from './dom.js';
import { actionButton } from './finding-action-button.js';

const JUSTIFICATION_LABELS = {
  consent_on_file: () => t('justification_consent_on_file'),
  public_information: () => t('justification_public_information'),
  not_patient_information: () => t('justification_not_patient_information'),
  false_positive: () => t('justification_false_positive'),
  other: () => t('justification_other'),
};

const TITLES = {
  block: () => t('dialogTitleBlock'),
  warn: () => t('dialogTitleWarn'),
  unavailable: () => t('dialogTitleUnavailable'),
};

// Said in the dialog and the card when the host checked only the first part of the text.
export const cappedNote = () => t('cappedNote');
export const cappedLabel = () => t('cappedLabel');

// options: { mode, findings, policy, reason, capped, onEdit, onPostAnyway(justification),
// onCancel, actionsFor(finding, index) }. `capped`: part of the text was not checked.
// actionsFor: the fix and "Not PHI" buttons next to each finding ([{ id, label, name, hint,
// fix, run() }], content/finding-actions.js); pressing one closes the dialog and runs it.
// Returns { close() }.
export function openDialog(ui, options) {
  const doc = ui.host.ownerDocument;
  const view = doc.defaultView;
  const { mode, policy } = options;
  const guards = [];
  const titleId = uniqueId('pg-dialog-title');
  const descId = uniqueId('pg-dialog-desc');
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    for (const [type, listener] of guards) view.removeEventListener(type, listener, true);
    if (backdrop.open) backdrop.close();
    backdrop.remove();
  };
  const finish = (callback, ...args) => () => { close(); callback?.(...args); };

  const select = mode === 'warn' && policy.requireJustification ? justificationSelect(doc) : null;
  const postAnyway = mode === 'warn'
    ? h(doc, 'button', { class: 'pg-button', type: 'button', 'data-phiguard': 'post-anyway', disabled: Boolean(select) },
      t('postAnyway'))
    : null;
  postAnyway?.addEventListener('click', () => {
    const justification = select?.querySelector('select').value || undefined;
    if (select && !justification) return;
    finish(options.onPostAnyway, justification)();
  });
  select?.querySelector('select').addEventListener('change', (event) => {
    postAnyway.disabled = !event.target.value;
  });
  const edit = h(doc, 'button', { class: 'pg-button pg-primary', type: 'button', 'data-phiguard': 'edit-post', onclick: finish(options.onEdit) },
    mode === 'unavailable' ? t('backToPost') : t('editPost'));

  const dialog = h(doc, 'div', {
    class: 'pg-dialog', role: 'alertdialog', 'aria-modal': 'true', 'aria-labelledby': titleId,
    'aria-describedby': descId, 'data-mode': mode,
  },
  h(doc, 'h2', { id: titleId }, TITLES[mode]()),
  h(doc, 'p', { id: descId }, description(mode, options)),
  options.capped && mode !== 'unavailable'
    ? h(doc, 'p', { class: 'pg-capped', 'data-phiguard': 'capped-note' }, cappedNote()) : null,
  mode === 'unavailable' ? null : findingList(doc, options.findings,
    (finding, index) => (options.actionsFor?.(finding, index) ?? [])
      .map((action) => actionButton(doc, action, finish(action.run)))),
  select,
  contact(doc, policy),
  h(doc, 'div', { class: 'pg-buttons' }, postAnyway, edit));

  // Our own modal <dialog>, opened with showModal(): it goes to the top layer above the
  // site's modals, native <dialog>s included, and makes the rest of the page (their
  // contents too) inert until it closes.
  const backdrop = h(doc, 'dialog', { class: 'pg-backdrop', 'data-phiguard': 'dialog' }, dialog);
  const escape = finish(mode === 'warn' ? options.onCancel : options.onEdit);
  const onKey = (event) => {
    if (event.key === 'Escape') { event.preventDefault(); escape(); }
    else if (event.key === 'Tab') trapTab(event, dialog);
  };
  backdrop.addEventListener('keydown', (event) => {
    event.stopPropagation();
    onKey(event);
  });
  // Esc on a modal <dialog> cancels it: that is ours to handle, not the browser's close.
  backdrop.addEventListener('cancel', (event) => { event.preventDefault(); escape(); });
  // Keys and clicks inside our dialog are ours, not the page's.
  for (const type of ['keyup', 'keypress', 'input', 'pointerdown', 'mousedown', 'click']) {
    backdrop.addEventListener(type, (event) => event.stopPropagation());
  }
  // A site's focus trap listens on document in the capture phase, before anything in our
  // shadow root: it would pull focus back into its modal, and take Esc and Tab to close or
  // cycle its own. From window (capture, which runs first) those events are kept from the
  // page while our dialog has focus, and Esc and Tab are handled here.
  const inOurs = (event) => event.composedPath().includes(backdrop);
  const guard = (type, listener) => {
    guards.push([type, listener]);
    view.addEventListener(type, listener, true);
  };
  guard('keydown', (event) => {
    if (!inOurs(event) || (event.key !== 'Escape' && event.key !== 'Tab')) return;
    event.stopImmediatePropagation();
    onKey(event);
  });
  for (const type of ['focusin', 'focus']) {
    guard(type, (event) => { if (inOurs(event)) event.stopImmediatePropagation(); });
  }
  // Focus leaving the site's modal for our dialog is not the user leaving it.
  guard('focusout', (event) => {
    if (event.relatedTarget === ui.host) event.stopImmediatePropagation();
  });
  ui.layer('dialog').append(backdrop);
  try {
    backdrop.showModal();
  } catch {
    toTopLayer(backdrop); // not connected or already open: at least above the page
  }
  (select?.querySelector('select') ?? edit).focus();
  return { close, element: dialog };
}

function description(mode, { findings, reason }) {
  if (mode === 'unavailable') {
    return t('dialogUnavailableDesc', reason ?? '').trim();
  }
  const count = findings.length;
  if (mode === 'block') return count === 1 ? t('dialogBlockOne') : t('dialogBlockMany', count);
  return count === 1 ? t('dialogWarnOne') : t('dialogWarnMany', count);
}

function findingList(doc, findings, buttonsFor) {
  return h(doc, 'ul', {}, findings.map((finding, index) => h(doc, 'li', {
    'data-rule': finding.rule, 'data-category': finding.category, 'data-action': finding.effective,
  },
  severityIcon(doc, finding.effective),
  h(doc, 'strong', {}, finding.title ?? categoryLabel(finding.category)),
  ` (${severityLabel(finding)})`,
  finding.message ? h(doc, 'div', {}, finding.message) : null,
  finding.advice ? h(doc, 'div', { class: 'pg-advice' }, finding.advice) : null,
  actionRow(doc, buttonsFor(finding, index)))));
}

function actionRow(doc, buttons) {
  return buttons.length ? h(doc, 'div', { class: 'pg-finding-actions' }, buttons) : null;
}

// The category words for a finding; the capped finding's category (other_id) would mislead.
export function findingLabel(finding) {
  return finding.rule === CAPPED_RULE ? cappedLabel() : categoryLabel(finding.category);
}

// The category words with what they mean for the post: a blocking finding says "not
// allowed", so block and warn differ in words as well as in shape and colour.
export function severityLabel(finding) {
  return finding.effective === 'block' ? t('findingNotAllowed', findingLabel(finding)) : findingLabel(finding);
}

// The severity's sign, drawn by styles.js as a shape (octagon for block, triangle for warn,
// circle for info). Decoration only: the words beside it say the same for screen readers.
export function severityIcon(doc, action) {
  return h(doc, 'span', { class: 'pg-icon', 'data-severity': action, 'aria-hidden': 'true' });
}

function justificationSelect(doc) {
  const id = uniqueId('pg-justification');
  return h(doc, 'div', {},
    h(doc, 'label', { for: id }, t('justificationPrompt')),
    h(doc, 'select', { id, 'data-phiguard': 'justification', required: true },
      h(doc, 'option', { value: '' }, t('justificationChoose')),
      JUSTIFICATIONS.map((value) => h(doc, 'option', { value }, JUSTIFICATION_LABELS[value]?.() ?? value))));
}

function contact(doc, policy) {
  if (!policy.helpUrl && !policy.contactText) return null;
  return h(doc, 'p', { class: 'pg-contact' },
    policy.contactText ? `${policy.contactText} ` : '',
    policy.helpUrl ? h(doc, 'a', { href: policy.helpUrl, target: '_blank', rel: 'noopener' }, t('dialogPolicyLink')) : null);
}

function trapTab(event, dialog) {
  const focusable = [...dialog.querySelectorAll('button:not([disabled]), select, a[href]')];
  if (!focusable.length) return;
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  const active = dialog.getRootNode().activeElement;
  if (event.shiftKey && active === first) { event.preventDefault(); last.focus(); }
  else if (!event.shiftKey && active === last) { event.preventDefault(); first.focus(); }
}
