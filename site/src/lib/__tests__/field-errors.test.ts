import { afterEach, describe, expect, it } from 'vitest';
import type { FieldDefinition } from '../../../../cms/src/plugins/eas/shared/contracts/form';
import { ar } from '../../i18n/ar';
import { en } from '../../i18n/en';
import { fr } from '../../i18n/fr';
import { fieldErrorMessage } from '../field-errors';
import { useTranslator } from '../messages';
import { createTranslator } from '../translate';

const fields: FieldDefinition[] = [
  { key: 'site', label: 'Site', type: 'text', required: true, min: 2 },
  { key: 'visit', label: 'Visite', type: 'date', required: false, min: -7 },
];

describe('a field error in the person’s language', () => {
  afterEach(() => useTranslator(createTranslator('en', en)));

  it('is written from the validator’s code and the field’s limits', () => {
    useTranslator(createTranslator('fr', fr));
    expect(fieldErrorMessage({ key: 'site', code: 'too_short', message: 'Site must be at least 2 characters' }, { fields })).toBe(
      'Site doit compter au moins 2 caractères'
    );
    expect(fieldErrorMessage({ key: 'visit', code: 'min', message: '…' }, { fields, today: '2026-05-01' })).toBe(
      'Visite doit être le 2026-04-24 ou après'
    );
  });

  it('uses Arabic plural forms', () => {
    useTranslator(createTranslator('ar', ar));
    expect(fieldErrorMessage({ key: 'site', code: 'too_short', message: '…' }, { fields })).toBe('«Site» يجب أن يتكوّن من حرفين على الأقل');
  });

  it('keeps the server’s message for a code it does not know', () => {
    expect(fieldErrorMessage({ key: 'site', code: 'brand_new', message: 'Site is odd' }, { fields })).toBe('Site is odd');
    expect(fieldErrorMessage({ key: 'gone', code: 'required', message: 'Gone is required' }, { fields })).toBe('Gone is required');
  });
});
