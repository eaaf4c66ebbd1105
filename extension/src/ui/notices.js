// Small notices in our shadow root: the fail-open badge ("protection unavailable"), the
// fail-closed banner, and a toast for "checking..." and "checked, post again". Each is a
// popover in the top layer, and the badge and banner sit beside their composer
// (ui-root.js layerNear): while a site's modal <dialog> holds the composer, anything outside
// the top layer is painted under the dialog's backdrop, and so would the notice be.

import { t } from '../shared/i18n.js';
import { fromTopLayer, h, toTopLayer } from './dom.js';

export class Notices {
  #ui; #badge = null; #banner = null; #toast = null; #toastTimer = null;

  constructor(ui) { this.#ui = ui; }

  // composer: the element the check was for; the badge is placed under it.
  showUnavailableBadge(summary, composer) {
    const doc = this.#ui.host.ownerDocument;
    this.#badge ??= h(doc, 'div', { class: 'pg-notice', role: 'status', 'data-phiguard': 'unavailable-badge' });
    this.#badge.textContent = t('noticeUnavailable', summary ?? '').trim();
    const anchor = composer?.getBoundingClientRect() ?? null;
    const view = doc.defaultView;
    const top = anchor ? Math.min(anchor.top + anchor.height + 4, view.innerHeight - 40) : view.innerHeight - 48;
    const left = anchor ? Math.max(4, anchor.left) : 16;
    this.#badge.style.setProperty('inset', `${Math.max(4, top)}px auto auto ${left}px`);
    this.#place(this.#badge, composer);
  }

  showBlockedBanner(summary, composer) {
    const doc = this.#ui.host.ownerDocument;
    this.#banner ??= h(doc, 'div', { class: 'pg-notice', 'data-kind': 'banner', role: 'alert', 'data-phiguard': 'blocked-banner' });
    this.#banner.textContent = t('noticeBlocked', summary ?? '').trim();
    this.#place(this.#banner, composer);
  }

  // Into the notices layer beside `composer`, shown in the top layer. A notice that moves
  // between layers (the composer's dialog opened or closed) leaves the top layer first: a
  // popover taken out of the document stops showing.
  #place(notice, composer) {
    const layer = composer ? this.#ui.layerNear(composer, 'notices') : this.#ui.layer('notices');
    if (notice.parentNode !== layer) {
      fromTopLayer(notice);
      layer.append(notice);
    }
    toTopLayer(notice);
  }

  clearHostProblems() {
    this.#badge?.remove();
    this.#banner?.remove();
    this.#badge = null;
    this.#banner = null;
  }

  toast(text, { sticky = false } = {}) {
    const doc = this.#ui.host.ownerDocument;
    clearTimeout(this.#toastTimer);
    if (!this.#toast?.isConnected) {
      this.#toast = h(doc, 'div', { class: 'pg-toast', role: 'status', 'data-phiguard': 'toast' });
      this.#ui.layer('notices').append(this.#toast);
      toTopLayer(this.#toast);
    }
    this.#toast.textContent = text;
    if (!sticky) this.#toastTimer = setTimeout(() => this.clearToast(), 5000);
  }

  clearToast() {
    clearTimeout(this.#toastTimer);
    this.#toast?.remove();
    this.#toast = null;
  }
}
