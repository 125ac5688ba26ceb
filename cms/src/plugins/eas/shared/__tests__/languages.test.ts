import { describe, expect, it } from 'vitest';
import { LANGUAGES, bestLanguage, negotiateLanguage, parseAcceptLanguage, textDirection } from '../i18n/languages';

describe('choosing a language from a person’s preferences', () => {
  it('takes the primary language of a regional tag the browser lists first', () => {
    expect(negotiateLanguage(['fr-CA', 'fr'])).toBe('fr');
    expect(negotiateLanguage(parseAcceptLanguage('fr-CA,fr;q=0.9'))).toBe('fr');
    expect(negotiateLanguage(['pt-BR'])).toBe('pt');
    expect(negotiateLanguage(['AR-eg'])).toBe('ar');
  });

  it('skips languages EAS does not speak and takes the next one', () => {
    expect(negotiateLanguage(['de-CH', 'ja', 'es-MX', 'fr'])).toBe('es');
  });

  it('falls back to English when none of the preferences is spoken, or there are none', () => {
    expect(negotiateLanguage(['de', 'ja', 'zh-Hant-TW'])).toBe('en');
    expect(negotiateLanguage([])).toBe('en');
    expect(negotiateLanguage(parseAcceptLanguage(undefined))).toBe('en');
  });

  it('prefers a whole supported tag over its primary language', () => {
    expect(bestLanguage(['pt-BR'], ['pt', 'pt-BR'], 'pt')).toBe('pt-BR');
    expect(bestLanguage(['pt-PT'], ['pt', 'pt-BR'], 'pt')).toBe('pt');
  });

  it('orders an Accept-Language header by q, then as written, and drops q=0 and *', () => {
    expect(parseAcceptLanguage('de-CH, fr-FR;q=0.8, en;q=0.5, ar;q=0.8, *;q=0.1, es;q=0')).toEqual(['de-CH', 'fr-FR', 'ar', 'en']);
  });

  it('writes Arabic right to left and the others left to right', () => {
    expect(LANGUAGES.map((lang) => [lang, textDirection(lang)])).toEqual([
      ['en', 'ltr'],
      ['fr', 'ltr'],
      ['es', 'ltr'],
      ['pt', 'ltr'],
      ['ar', 'rtl'],
    ]);
  });
});
