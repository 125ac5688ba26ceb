import { describe, expect, it } from 'vitest';
import type { FormDefinition } from '../contracts/form';
import { consentLanguage, consentTexts, localiseDefinition, pickFormLanguage } from '../i18n/form-language';
import { validateFormDefinition } from '../validation/form-definition';
import { createRecordValidator } from '../validation/record-data';

const form: FormDefinition = {
  slug: 'visit',
  name: 'Visit',
  defaultLanguage: 'en',
  languages: ['fr', 'sw'],
  fields: [
    {
      key: 'state',
      label: 'Condition',
      type: 'select',
      required: true,
      help: 'As you see it',
      options: [
        { value: 'good', label: 'Good' },
        { value: 'poor', label: 'Poor' },
      ],
      translations: { fr: { label: 'État', options: { good: 'Bon' } }, sw: { label: 'Hali' } },
    },
    {
      key: 'count',
      label: 'Meters',
      type: 'integer',
      required: true,
      constraint: '. > 0',
      constraintMessage: 'At least one',
      translations: { fr: { constraintMessage: 'Au moins un' } },
    },
  ],
  photos: [{ side: 'front', required: true, label: 'Front', hint: 'Whole meter', maxPixels: 1, translations: { fr: { label: 'Face' } } }],
  signatures: [
    {
      key: 'client',
      role: 'Client',
      consentText: 'I agree',
      required: true,
      translations: { fr: { role: 'Client·e', consentText: 'J’accepte' } },
    },
  ],
  pdf: {},
};

describe('a form in several languages', () => {
  it('picks the person’s language among the form’s (fr-CA is fr), else the form’s default', () => {
    expect(pickFormLanguage(form, ['fr-CA', 'en'])).toBe('fr');
    expect(pickFormLanguage(form, ['SW'])).toBe('sw');
    expect(pickFormLanguage(form, ['de', 'pt'])).toBe('en');
    expect(pickFormLanguage({}, ['fr'])).toBeNull();
  });

  it('reads in that language text by text, falling back to the default language, with the same values and rules', () => {
    const fr = localiseDefinition(form, 'fr');
    expect(fr.fields[0]).toMatchObject({
      key: 'state',
      label: 'État',
      help: 'As you see it',
      options: [
        { value: 'good', label: 'Bon' },
        { value: 'poor', label: 'Poor' },
      ],
    });
    expect(fr.fields[1].constraintMessage).toBe('Au moins un');
    expect(fr.photos[0]).toMatchObject({ label: 'Face', hint: 'Whole meter' });
    expect(fr.signatures[0]).toMatchObject({ role: 'Client·e', consentText: 'J’accepte' });
    expect(localiseDefinition(form, 'en')).toBe(form);
    // The stored data does not depend on the language: the French form validates and keeps the option value.
    const r = createRecordValidator(fr)({ state: 'good', count: 0 });
    expect(r.ok ? [] : r.errors.map((e) => [e.key, e.message])).toEqual([['count', 'Au moins un']]);
    expect(createRecordValidator(fr)({ state: 'good', count: 2 })).toEqual({ ok: true, data: { state: 'good', count: 2 } });
  });

  it('knows every consent text a signer may have read, and its language; nothing else is one', () => {
    expect(consentTexts(form.signatures[0])).toEqual(['I agree', 'J’accepte']);
    expect(consentLanguage(form, form.signatures[0], ' J’accepte ')).toBe('fr');
    expect(consentLanguage(form, form.signatures[0], 'I agree')).toBe('en');
    expect(consentLanguage(form, form.signatures[0], 'I agree to anything')).toBeUndefined();
  });

  it('refuses on save a translation in an undeclared language or for an option the field does not have', () => {
    const broken = {
      ...form,
      fields: [{ ...form.fields[0], translations: { de: { label: 'Zustand' }, fr: { options: { great: 'Super' } } } }],
    };
    expect(validateFormDefinition(broken).map((i) => i.message)).toEqual([
      'Field 1 ("state"): a translation in "de", which is not a language of this form (its languages are fr, sw)',
      'Field 1 ("state"): the fr translation names the option "great", which the field does not have',
    ]);
  });
});
