/** <eas-sign-in>: signs field staff in (users-permissions /api/auth/local) and emits "eas:signed-in". Markup in SignIn.astro. */
import { createApiClient, ApiError } from '../lib/api';
import { t } from '../lib/i18n';
import { saveSession } from '../lib/session';

class SignIn extends HTMLElement {
  connectedCallback() {
    const form = this.querySelector('form')!;
    const error = this.querySelector<HTMLElement>('[data-error]')!;
    const button = form.querySelector('button')!;
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const data = new FormData(form);
      const identifier = String(data.get('identifier') ?? '').trim();
      const password = String(data.get('password') ?? '');
      if (!identifier || !password) {
        this.showError(error, t('signIn.missing'));
        return;
      }
      button.disabled = true;
      error.hidden = true;
      try {
        const session = await createApiClient().signIn(identifier, password);
        saveSession({ jwt: session.jwt, user: session.user });
        form.reset();
        this.dispatchEvent(new CustomEvent('eas:signed-in', { bubbles: true }));
      } catch (err) {
        const message = !(err instanceof ApiError)
          ? t('signIn.failed')
          : err.kind === 'invalid'
            ? t('signIn.wrong')
            : t(`apiError.${err.kind}`);
        this.showError(error, message);
      } finally {
        button.disabled = false;
      }
    });
  }

  showError(el: HTMLElement, message: string) {
    el.textContent = message;
    el.hidden = false;
    this.querySelector<HTMLInputElement>('#identifier')?.focus();
  }
}
customElements.define('eas-sign-in', SignIn);
