import { describe, expect, it } from 'vitest';
import { LANGUAGES, type Language } from '../../../../cms/src/plugins/eas/shared/i18n/languages';
import { ar } from '../ar';
import { en } from '../en';
import { es } from '../es';
import { fr } from '../fr';
import { pt } from '../pt';
import type { Catalogue } from '../types';

const CATALOGUES: Record<Language, Catalogue> = { en, fr, es, pt, ar };

/** Messages that are the same words as in English on purpose (anything else equal to English is untranslated). */
const SAME_AS_ENGLISH: Record<Language, string[]> = {
  en: Object.keys(en),
  // "{label} {number}" (an entry of a repeat, e.g. "Meter 2") and "{repeat} {number}: {message}" need no words.
  fr: ['formList.version', 'capture.entryTitle', 'geopoint.latitude', 'geopoint.longitude'],
  es: ['display.no', 'capture.entryTitle', 'fieldError.inEntry'],
  pt: ['capture.entryTitle', 'fieldError.inEntry', 'geopoint.latitude', 'geopoint.longitude'],
  ar: ['capture.entryTitle', 'fieldError.inEntry'],
};

const families = Object.keys(en)
  .filter((key) => key.endsWith('.other'))
  .map((key) => key.slice(0, -'.other'.length));
const pluralFamilyOf = (key: string) =>
  families.find((family) => key.startsWith(`${family}.`) && !key.slice(family.length + 1).includes('.'));
const categories = (lang: Language) => new Set([...new Intl.PluralRules(lang).resolvedOptions().pluralCategories, 'other']);
const paramsOf = (message: string) => [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/** Every message of English that is not a plural form, and each plural family in the forms `lang` needs. */
const expectedKeys = (lang: Language) =>
  [
    ...Object.keys(en).filter((key) => !pluralFamilyOf(key)),
    ...families.flatMap((family) => [...categories(lang)].map((category) => `${family}.${category}`)),
  ].sort();

describe('the capture site’s catalogues', () => {
  it('has a catalogue for every language EAS speaks', () => {
    expect(Object.keys(CATALOGUES).sort()).toEqual([...LANGUAGES].sort());
  });

  it('knows the plural families and Arabic’s six forms', () => {
    expect(families).toEqual([
      'syncStatus.waiting',
      'syncStatus.attention',
      'formList.available',
      'formList.fields',
      'app.signOutUnsent',
      'app.waitingFor',
      'display.entries',
      'capture.attention',
      'queue.stillNeeded',
      'fieldError.too_short',
      'fieldError.too_long',
      'fieldError.tooFewEntries',
      'fieldError.tooManyEntries',
    ]);
    expect([...categories('ar')].sort()).toEqual(['few', 'many', 'one', 'other', 'two', 'zero']);
  });

  for (const lang of LANGUAGES) {
    it(`${lang}: has every key, and no key English does not have, in the plural forms ${lang} needs`, () => {
      expect(Object.keys(CATALOGUES[lang]).sort()).toEqual(expectedKeys(lang));
    });

    it(`${lang}: no message is empty, and each names the same parameters as in English`, () => {
      for (const [key, message] of Object.entries(CATALOGUES[lang]) as [string, string][]) {
        expect(message.trim(), `${lang} ${key}`).not.toBe('');
        const family = pluralFamilyOf(key);
        const english = family ? (en as Record<string, string>)[`${family}.other`] : (en as Record<string, string>)[key];
        if (family) {
          // A plural form may spell its number out ("سجلان", two records) instead of writing {count}.
          for (const param of paramsOf(message)) expect(paramsOf(english), `${lang} ${key}`).toContain(param);
        } else {
          expect(paramsOf(message), `${lang} ${key}`).toEqual(paramsOf(english));
        }
      }
    });

    it(`${lang}: is translated (only the listed messages are the same words as in English)`, () => {
      const same = Object.entries(CATALOGUES[lang])
        .filter(([key, message]) => (en as Record<string, string>)[key] === message)
        .map(([key]) => key);
      expect(same.sort()).toEqual([...SAME_AS_ENGLISH[lang]].sort());
    });
  }
});
