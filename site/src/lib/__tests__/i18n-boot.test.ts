import { describe, expect, it } from 'vitest';
import { LANGUAGE_STORAGE_KEY, bootScript } from '../i18n-boot';

/** Runs the boot script as the browser would, with these languages and this stored choice; returns <html>'s attributes. */
const boot = (languages: string[], stored: string | null = null, storage: 'ok' | 'blocked' = 'ok') => {
  const attributes = new Map<string, string>();
  const document = {
    documentElement: {
      setAttribute: (name: string, value: string) => attributes.set(name, value),
      removeAttribute: (name: string) => attributes.delete(name),
    },
  };
  const localStorage = {
    getItem: (key: string) => {
      if (storage === 'blocked') throw new Error('SecurityError');
      return key === LANGUAGE_STORAGE_KEY ? stored : null;
    },
  };
  const navigator = { languages, language: languages[0] };
  const timers: (() => void)[] = [];
  const setTimeout = (fn: () => void) => timers.push(fn);
  new Function('document', 'localStorage', 'navigator', 'setTimeout', bootScript())(document, localStorage, navigator, setTimeout);
  return {
    lang: attributes.get('lang'),
    dir: attributes.get('dir'),
    hidden: attributes.get('data-i18n') === 'loading',
    /** Whether the page is still hidden once the boot script's timers have run. */
    hiddenAfterTimers: () => (timers.forEach((fn) => fn()), attributes.get('data-i18n') === 'loading'),
  };
};

describe('the boot script (<html lang dir> before the first paint)', () => {
  it('takes the browser’s languages: fr-CA, fr → French, left to right, hidden until translated', () => {
    expect(boot(['fr-CA', 'fr'])).toMatchObject({ lang: 'fr', dir: 'ltr', hidden: true });
  });

  it('writes Arabic right to left', () => {
    expect(boot(['ar-EG'])).toMatchObject({ lang: 'ar', dir: 'rtl', hidden: true });
  });

  it('falls back to English for languages EAS does not speak, and shows the page at once', () => {
    expect(boot(['de-DE', 'ja'])).toMatchObject({ lang: 'en', dir: 'ltr', hidden: false });
  });

  it('prefers the choice made with the language switch over the browser’s languages', () => {
    expect(boot(['fr-FR'], 'ar')).toMatchObject({ lang: 'ar', dir: 'rtl' });
    expect(boot(['fr-FR'], 'xx')).toMatchObject({ lang: 'fr' });
    expect(boot(['es'], null, 'blocked')).toMatchObject({ lang: 'es' });
  });

  it('shows the page after all should the scripts never translate it', () => {
    const page = boot(['pt-BR']);
    expect(page.hidden).toBe(true);
    expect(page.hiddenAfterTimers()).toBe(false);
  });
});
