/**
 * <eas-sync-status>: how many records wait on this phone to be sent, whether there is internet, and "Send now".
 * Markup in SyncStatus.astro.
 */
import { getStore, isSignedIn, noteWaiting, startBackgroundSync, syncNow } from '../lib/app';
import { t, tn } from '../lib/i18n';

class SyncStatus extends HTMLElement {
  connectedCallback() {
    // Dynamic text: filled here and by refresh(), not by applyTranslations.
    this.querySelector<HTMLElement>('[data-count]')!.textContent = t('syncStatus.nothingWaiting');
    const button = this.querySelector<HTMLButtonElement>('[data-send-now]')!;
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        await syncNow(true);
      } finally {
        button.disabled = false;
        void this.refresh();
      }
    });
    const refresh = () => void this.refresh();
    window.addEventListener('eas:sync-item', refresh);
    window.addEventListener('eas:sync-done', refresh);
    window.addEventListener('eas:queued', refresh);
    window.addEventListener('online', refresh);
    window.addEventListener('offline', refresh);
    this.refresh();
    if (isSignedIn()) startBackgroundSync();
  }

  async refresh() {
    this.hidden = !isSignedIn();
    if (this.hidden) return;
    const store = await getStore();
    const { unsent, needsAttention } = await store.summary();
    noteWaiting(unsent + needsAttention);
    const parts = [
      unsent ? tn('syncStatus.waiting', unsent) : t('syncStatus.nothingWaiting'),
      ...(needsAttention ? [tn('syncStatus.attention', needsAttention)] : []),
    ];
    this.querySelector<HTMLElement>('[data-count]')!.textContent = parts.join(' ');
    this.querySelector<HTMLElement>('[data-network]')!.hidden = navigator.onLine;
    this.querySelector<HTMLButtonElement>('[data-send-now]')!.hidden = unsent === 0;
  }
}
customElements.define('eas-sync-status', SyncStatus);
