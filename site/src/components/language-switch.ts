import { LANGUAGES, language, setLanguage, type Lang } from '../lib/i18n';

/** <eas-language-switch>: shows the current language and switches to the one chosen. */
class LanguageSwitch extends HTMLElement {
  connectedCallback() {
    const select = this.querySelector('select')!;
    select.value = language();
    select.addEventListener('change', () => {
      if ((LANGUAGES as readonly string[]).includes(select.value)) setLanguage(select.value as Lang);
    });
  }
}
customElements.define('eas-language-switch', LanguageSwitch);
