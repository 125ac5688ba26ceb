import { describe, expect, it } from 'vitest';
import type { FormDefinition } from '../../../../cms/src/plugins/eas/shared/contracts/form';
import { createRecordValidator, visibleFields } from '../validation';

const definition: Pick<FormDefinition, 'fields'> = {
  fields: [
    {
      key: 'condition',
      label: 'Condition',
      type: 'select',
      required: true,
      options: [
        { value: 'good', label: 'Good' },
        { value: 'poor', label: 'Poor' },
      ],
    },
    { key: 'details', label: 'What needs fixing', type: 'textarea', required: true, showIf: { field: 'condition', equals: 'poor' } },
  ],
};

describe('validation on the phone', () => {
  it('gives the person the same per-field errors as the server', () => {
    const validate = createRecordValidator(definition);
    expect(validate({ condition: 'poor' })).toEqual({
      ok: false,
      errors: [{ key: 'details', code: 'required', message: 'What needs fixing is required' }],
    });
  });

  it('refuses invisible characters (a pasted NUL or text-direction override) before anything is sent', () => {
    const validate = createRecordValidator(definition);
    expect(validate({ condition: 'poor', details: 'Roof \u202eskael' })).toEqual({
      ok: false,
      errors: [
        {
          key: 'details',
          code: 'invalid_characters',
          message:
            'What needs fixing contains an invisible text-direction character (U+202E), which makes it display differently from what is stored; remove it',
        },
      ],
    });
  });

  it('tells the form renderer which fields to show', () => {
    expect([...visibleFields(definition.fields, { condition: 'good' })]).toEqual([
      ['condition', true],
      ['details', false],
    ]);
  });
});
