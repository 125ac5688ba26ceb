/**
 * <eas-form-list>: the forms the signed-in person can capture (from /api/eas/forms, the phone's copies when the server
 * cannot be reached, asked again until it can). Markup in FormList.astro.
 */
import { ApiError } from '../lib/api';
import { loadForms, sessionEnded } from '../lib/app';
import { t, tn } from '../lib/i18n';

/** How often the list asks the server again while it shows the phone's copies (as the sync does, OFFLINE_BACKOFF). */
const RETRY_MS = 30_000;

class FormList extends HTMLElement {
  /** While the list shows the copies saved on this phone (the server could not be reached): asks again. */
  #retry: ReturnType<typeof setInterval> | undefined;

  connectedCallback() {
    this.querySelector<HTMLElement>('[data-status]')!.textContent = t('formList.loading');
    // The list used to be loaded only when the person signed in or opened the page: shown from the phone's copies,
    // it kept saying so after the connection came back and the records were sent. Now the server is asked again
    // when the browser says it is online, after each sync, and every 30 s (browsers do not always say so).
    const retry = () => {
      if (this.#retry !== undefined) void this.load();
    };
    window.addEventListener('online', retry);
    window.addEventListener('eas:sync-done', retry);
  }

  disconnectedCallback() {
    clearInterval(this.#retry);
    this.#retry = undefined;
  }

  async load() {
    const status = this.querySelector<HTMLElement>('[data-status]')!;
    const list = this.querySelector<HTMLUListElement>('[data-forms]')!;
    // A list already shown stays until the new one is in (a retry does not blank it).
    if (!list.childElementCount) status.textContent = t('formList.loading');
    try {
      const { forms, offline, serverDown } = await loadForms();
      if (offline) this.#retry ??= setInterval(() => void this.load(), RETRY_MS);
      else {
        clearInterval(this.#retry);
        this.#retry = undefined;
      }
      const count = forms.length
        ? tn('formList.available', forms.length)
        : serverDown
          ? t('formList.serverDown')
          : offline
            ? t('formList.noneSaved')
            : t('formList.nonePublished');
      status.textContent = offline && forms.length ? `${count}. ${t('formList.saved')}` : count;
      list.replaceChildren();
      for (const form of forms) {
        const item = document.createElement('li');
        const title = document.createElement('h2');
        // A form's name and description are the organisation's words, in whatever direction they are written.
        title.dir = 'auto';
        const link = document.createElement('a');
        link.href = `/capture/?form=${encodeURIComponent(form.slug)}`;
        link.textContent = form.name;
        title.append(link);
        const meta = document.createElement('p');
        meta.className = 'muted';
        meta.textContent = `${t('formList.version', { version: form.version })} · ${tn('formList.fields', form.definition.fields.length)}`;
        item.append(title, meta);
        if (form.description) {
          const description = document.createElement('p');
          description.dir = 'auto';
          description.textContent = form.description;
          item.append(description);
        }
        list.append(item);
      }
    } catch (err) {
      if (err instanceof ApiError && err.kind === 'unauthorised') {
        clearInterval(this.#retry);
        this.#retry = undefined;
        sessionEnded();
        return;
      }
      status.textContent = err instanceof ApiError ? t(`apiError.${err.kind}`) : t('formList.failed');
    }
  }
}
customElements.define('eas-form-list', FormList);
