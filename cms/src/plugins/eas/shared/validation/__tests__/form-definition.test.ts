import { describe, expect, it } from 'vitest';
import type { FieldDefinition } from '../../contracts/form';
import { validateFormDefinition } from '../form-definition';

const f = (x: Partial<FieldDefinition> & Pick<FieldDefinition, 'key'>): FieldDefinition => ({
  label: 'Label',
  type: 'text',
  required: false,
  ...x,
});
const check = (fields: FieldDefinition[], signatures: { key: string; role: string; consentText: string; required: boolean }[] = []) =>
  validateFormDefinition({ fields, signatures }).map((i) => i.message);

describe('form definition rules', () => {
  it('accepts a sound form', () => {
    expect(
      check(
        [
          f({ key: 'condition', type: 'select', options: [{ value: 'poor', label: 'Poor' }] }),
          f({ key: 'details', showIf: { field: 'condition', equals: 'poor' } }),
        ],
        [{ key: 'client', role: 'Client', consentText: 'I agree', required: true }]
      )
    ).toEqual([]);
  });

  it('names the field whose key is malformed or repeated', () => {
    expect(check([f({ key: 'Site Name' }), f({ key: 'a' }), f({ key: 'a' })])).toEqual([
      'Field 1 ("Site Name"): the key must start with a lowercase letter and use only a-z, 0-9 and _',
      'Field 3 ("a"): the key is already used by field 2; keys must be unique',
    ]);
  });

  it('requires options for select types, once each', () => {
    expect(check([f({ key: 's', type: 'select' })])).toEqual(['Field 1 ("s"): a select field needs options, one per line (value|Label)']);
    expect(
      check([
        f({
          key: 'm',
          type: 'multiselect',
          options: [
            { value: 'a', label: 'A' },
            { value: 'a', label: 'A again' },
          ],
        }),
      ])
    ).toEqual(['Field 1 ("m"): the option "a" is listed twice']);
  });

  it('refuses min greater than max', () => {
    expect(check([f({ key: 'n', type: 'number', min: 10, max: 1 })])).toEqual([
      'Field 1 ("n"): the minimum (10) is greater than the maximum (1)',
    ]);
  });

  it('refuses an invalid pattern', () => {
    expect(check([f({ key: 't', pattern: '([a-z' })])).toEqual(['Field 1 ("t"): the pattern is not a valid regular expression']);
  });

  it('only lets show-if depend on an existing field above, with a possible value', () => {
    expect(check([f({ key: 'a', showIf: { field: 'b', equals: 'x' } }), f({ key: 'b' })])).toEqual([
      'Field 1 ("a"): show-if may only depend on a field above it',
    ]);
    expect(check([f({ key: 'a', showIf: { field: 'nope', equals: 'x' } })])).toEqual([
      'Field 1 ("a"): show-if refers to "nope", which is not a field of this form',
    ]);
    expect(
      check([f({ key: 's', type: 'select', options: [{ value: 'y', label: 'Y' }] }), f({ key: 'a', showIf: { field: 's', equals: 'n' } })])
    ).toEqual(['Field 2 ("a"): show-if value "n" is not an option of "s"']);
  });

  it('checks signature slots', () => {
    expect(
      check(
        [],
        [
          { key: 'a', role: 'Client', consentText: 'ok', required: true },
          { key: 'a', role: '', consentText: ' ', required: true },
        ]
      )
    ).toEqual([
      'Signature 2 ("a"): the key is already used by signature 1',
      'Signature 2 ("a"): a role is required (e.g. "Site manager")',
      'Signature 2 ("a"): the consent text shown to the signer is required',
    ]);
  });
});
