// Small notices in our shadow root: the fail-open badge ("protection unavailable"), the
// fail-closed banner, and a toast for "checking..." and "checked, post again".

import { t } from '../shared/i18n.js';
import { h, toTopLayer } from './dom.js';

export class Notices {
  #ui; #badge = null; #banner = null; #toast = null; #toastTimer = null;

  constructor(ui) { this.#ui = ui; }

  // anchor: the composer's viewport rect, or null for the page corner.
  showUnavailableBadge(summary, anchor) {
    const doc = this.#ui.host.ownerDocument;
    if (!this.#badge) {
      this.#badge = h(doc, 'div', { class: 'pg-notice', role: 'status', 'data-phiguard': 'unavailable-badge' });
      this.#ui.layer('notices').append(this.#badge);
    }
    this.#badge.textContent = t('noticeUnavailable', summary ?? '').trim();
    const view = doc.defaultView;
    const top = anchor ? Math.min(anchor.top + anchor.height + 4, view.innerHeight - 40) : view.innerHeight - 48;
    const left = anchor ? Math.max(4, anchor.left) : 16;
    this.#badge.style.setProperty('inset', `${Math.max(4, top)}px auto auto ${left}px`);
  }

  showBlockedBanner(summary) {
    const doc = this.#ui.host.ownerDocument;
    if (!this.#banner) {
      this.#banner = h(doc, 'div', { class: 'pg-notice', 'data-kind': 'banner', role: 'alert', 'data-phiguard': 'blocked-banner' });
      this.#ui.layer('notices').append(this.#banner);
    }
    this.#banner.textContent = t('noticeBlocked', summary ?? '').trim();
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
