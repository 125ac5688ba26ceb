import { describe, expect, it } from 'vitest';
import { ar } from '../../i18n/ar';
import { en } from '../../i18n/en';
import { fr } from '../../i18n/fr';
import { createTranslator } from '../translate';

describe('messages in the person’s language', () => {
  it('fills {name} parameters, writing numbers the language’s way', () => {
    const { t } = createTranslator('fr', fr);
    expect(t('photoSlot.file', { label: 'Face avant du compteur' })).toBe('Prendre ou choisir une photo : Face avant du compteur');
    expect(t('formList.version', { version: 12000 })).toBe('Version 12\u202f000');
    expect(createTranslator('en', en).t('formList.version', { version: 12000 })).toBe('Version 12,000');
  });

  it('leaves a parameter it was not given as it is written, and shows an unknown key as itself', () => {
    const { t } = createTranslator('en', en);
    expect(t('signatureSlot.title')).toBe('Signature of the {role}');
    expect(t('no.such.key' as never)).toBe('no.such.key');
  });

  it('chooses English plurals: one, other', () => {
    const { tn } = createTranslator('en', en);
    expect([0, 1, 2, 1500].map((n) => tn('formList.available', n))).toEqual([
      '0 forms available',
      '1 form available',
      '2 forms available',
      '1,500 forms available',
    ]);
  });

  it('chooses among Arabic’s six plural forms: 0, 1, 2, 3, 11, 100', () => {
    const { tn } = createTranslator('ar', ar);
    expect([0, 1, 2, 3, 11, 100].map((n) => tn('formList.available', n))).toEqual([
      'لا توجد نماذج متاحة',
      'نموذج واحد متاح',
      'نموذجان متاحان',
      '3 نماذج متاحة',
      '11 نموذجًا متاحًا',
      '100 نموذج متاح',
    ]);
  });

  it('falls back to the .other form when a language gives no form of its own for a category', () => {
    // French plural rules have "many" (1 000 000); a catalogue without it uses .other.
    const { 'formList.available.many': _many, ...catalogue } = fr;
    expect(createTranslator('fr', catalogue).tn('formList.available', 1_000_000)).toBe('1\u202f000\u202f000 formulaires disponibles');
    expect(createTranslator('fr', fr).tn('formList.available', 1_000_000)).toBe('1\u202f000\u202f000 de formulaires disponibles');
  });

  it('writes dates and times for the language', () => {
    const when = '2026-03-05T10:07:00Z';
    const fmt = (lang: 'en' | 'fr' | 'ar') => createTranslator(lang, { en, fr, ar }[lang]);
    expect(fmt('en').formatDate(when)).toBe(new Intl.DateTimeFormat('en', { dateStyle: 'medium' }).format(new Date(when)));
    expect(fmt('fr').formatDate(new Date(when))).toBe('5 mars 2026');
    expect(fmt('fr').formatDateTime(when)).toBe(
      new Intl.DateTimeFormat('fr', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(when))
    );
    expect(fmt('en').formatNumber(1234.5)).toBe('1,234.5');
    expect(fmt('fr').formatNumber(1234.5)).toBe('1\u202f234,5');
  });

  it('says how long ago in the largest whole unit', () => {
    const now = new Date('2026-03-05T10:00:00Z');
    const { formatRelative } = createTranslator('fr', fr);
    expect(formatRelative('2026-03-05T09:57:00Z', now)).toBe('il y a 3 minutes');
    expect(formatRelative('2026-03-04T10:00:00Z', now)).toBe('hier');
    expect(createTranslator('en', en).formatRelative('2026-03-05T10:00:00Z', now)).toBe('now');
  });
});
