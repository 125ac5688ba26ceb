import { describe, expect, it } from 'vitest';
import { VERIFY_LANGUAGES, VERIFY_MESSAGES, pickLanguage } from '../i18n/verify';

const keys = (value: unknown, prefix = ''): string[] =>
  value && typeof value === 'object' ? Object.entries(value).flatMap(([k, v]) => keys(v, `${prefix}${k}.`)) : [prefix.slice(0, -1)];

describe('the verify page in every language', () => {
  it('has every message in every language, none empty', () => {
    const english = keys(VERIFY_MESSAGES.en).sort();
    for (const lang of VERIFY_LANGUAGES) {
      expect(keys(VERIFY_MESSAGES[lang]).sort(), lang).toEqual(english);
      for (const key of english) {
        const text = key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], VERIFY_MESSAGES[lang]);
        expect(String(text).trim(), `${lang}.${key}`).not.toBe('');
      }
    }
  });

  it('keeps the {date} placeholder wherever English has it', () => {
    for (const lang of VERIFY_LANGUAGES) {
      expect(VERIFY_MESSAGES[lang].earlier, lang).toContain('{date}');
      expect(VERIFY_MESSAGES[lang].redacted.body, lang).toContain('{date}');
    }
  });

  it('follows the browser’s languages in order of preference, then English', () => {
    expect(pickLanguage(undefined, 'de-CH, fr-FR;q=0.8, en;q=0.5')).toBe('fr');
    expect(pickLanguage(undefined, 'ar-EG,ar;q=0.9')).toBe('ar');
    expect(pickLanguage(undefined, 'pt;q=0.2, es;q=0.9')).toBe('es');
    expect(pickLanguage(undefined, 'de, ja')).toBe('en');
    expect(pickLanguage('pt', 'fr')).toBe('pt');
    expect(pickLanguage('xx', 'fr')).toBe('fr');
  });
});
