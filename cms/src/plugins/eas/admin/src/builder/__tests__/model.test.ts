import { describe, expect, it } from 'vitest';
import type { FieldDefinition, FormDefinition } from '../../../../shared/contracts/form';
import { createRecordValidator } from '../../../../shared/validation/record-data';
import { validateFormDefinition } from '../../../../shared/validation/form-definition';
import {
  attributesText,
  keyFromLabel,
  parseAttributes,
  moveField,
  newField,
  readShowIf,
  removeField,
  tidyField,
  SETTINGS,
  valueFromLabel,
  withPersonal,
  withShowIf,
} from '../model';

const f = (key: string, extra: Partial<FieldDefinition> = {}): FieldDefinition => ({
  key,
  label: key,
  type: 'text',
  required: false,
  ...extra,
});

describe('keys and values from labels', () => {
  it('makes a key the model accepts, and a free one', () => {
    expect(keyFromLabel('Site name (main)', new Set())).toBe('site_name_main');
    expect(keyFromLabel('Année de visite', new Set())).toBe('annee_de_visite');
    expect(keyFromLabel('2nd visit', new Set())).toBe('nd_visit');
    expect(keyFromLabel('Site', new Set(['site', 'site_2']))).toBe('site_3');
    expect(keyFromLabel('!!!', new Set())).toBe('field');
    expect(valueFromLabel('Needs repair', new Set())).toBe('needs_repair');
  });

  it('gives each new field a free key of its type', () => {
    expect(newField('select', [f('select')])).toEqual({ key: 'select_2', label: '', type: 'select', required: false, options: [] });
    expect(newField('range', [], 'meters')).toMatchObject({ group: 'meters', min: 1, max: 5, step: 1 });
  });
});

describe('moving fields', () => {
  const fields = [f('a'), f('grp', { type: 'group' }), f('b', { group: 'grp' }), f('c', { group: 'grp' }), f('d')];

  it('moves a field among its siblings, a group with its fields', () => {
    expect(moveField(fields, 0, 'down').map((x) => x.key)).toEqual(['grp', 'b', 'c', 'a', 'd']);
    expect(moveField(fields, 1, 'down').map((x) => x.key)).toEqual(['a', 'd', 'grp', 'b', 'c']);
    expect(moveField(fields, 3, 'up').map((x) => x.key)).toEqual(['a', 'grp', 'c', 'b', 'd']);
    // The first of its group goes no further up by keyboard: it stays in its group.
    expect(moveField(fields, 2, 'up')).toEqual(fields);
  });

  it('dropped on a field, joins that field’s group; a repeat is never put in a repeat', () => {
    const moved = moveField(fields, 4, 3);
    expect(moved.map((x) => [x.key, x.group])).toEqual([
      ['a', undefined],
      ['grp', undefined],
      ['b', 'grp'],
      ['d', 'grp'],
      ['c', 'grp'],
    ]);
    const repeats = [f('r1', { type: 'repeat' }), f('x', { group: 'r1' }), f('r2', { type: 'repeat' })];
    expect(moveField(repeats, 2, 1)).toEqual(repeats);
  });

  it('removes a group with its fields', () => {
    expect(removeField(fields, 1).map((x) => x.key)).toEqual(['a', 'd']);
  });
});

describe('show-if', () => {
  const form = (fields: FieldDefinition[]): FormDefinition => ({ slug: 's', name: 'S', fields, photos: [], signatures: [], pdf: {} });
  const sources = [
    f('condition', {
      type: 'select',
      options: [
        { value: 'poor', label: 'Poor' },
        { value: "o'k", label: 'OK' },
      ],
    }),
    f('issues', { type: 'multiselect', options: [{ value: 'leak', label: 'Leak' }] }),
    f('done', { type: 'checkbox' }),
  ];

  it('writes expressions the form model accepts and reads them back as the same choice', () => {
    for (const [field, value] of [
      ['condition', 'poor'],
      ['condition', "o'k"],
      ['issues', 'leak'],
      ['done', 'true'],
    ]) {
      const target = withShowIf(sources, f('why'), { field, value });
      expect(validateFormDefinition(form([...sources, target]))).toEqual([]);
      expect(readShowIf(target)).toEqual({ field, value });
    }
  });

  it('behaves as chosen: the field is asked only when the value is given', () => {
    const why = { ...withShowIf(sources, f('why', { required: true }), { field: 'condition', value: 'poor' }) };
    const validate = createRecordValidator(form([...sources, why]));
    expect(validate({ condition: 'poor' })).toMatchObject({ ok: false, errors: [{ key: 'why', code: 'required' }] });
    expect(validate({ condition: "o'k" })).toMatchObject({ ok: true });
  });

  it('reads the older show-if and replaces it by the expression; anything else stays an expression', () => {
    const old = f('why', { showIf: { field: 'condition', equals: 'poor' } });
    expect(readShowIf(old)).toEqual({ field: 'condition', value: 'poor' });
    const next = withShowIf(sources, old, { field: 'condition', value: 'poor' });
    expect(next.showIf).toBeUndefined();
    expect(next.relevant).toBe("${condition} = 'poor'");
    expect(readShowIf(f('x', { relevant: "${a} = 'b' and ${c} > 2" }))).toBeNull();
    expect(withShowIf(sources, next, null).relevant).toBeUndefined();
  });
});

describe('tidyField', () => {
  it('drops what the type does not use after a type change', () => {
    expect(tidyField(f('x', { type: 'checkbox', options: [], min: 1, pattern: 'a', required: true, help: '' }))).toEqual({
      key: 'x',
      label: 'x',
      type: 'checkbox',
      required: false,
    });
  });
});

describe('personal data', () => {
  it('is written only when ticked, and gone when unticked', () => {
    const on = withPersonal(f('name'), true);
    expect(on.personal).toBe(true);
    expect(withPersonal(on, false)).not.toHaveProperty('personal');
    expect(tidyField(f('name', { personal: false }))).not.toHaveProperty('personal');
  });

  it('is a setting of answer fields only (photos are always personal; notes, groups and repeats hold no answer)', () => {
    expect(SETTINGS.text).toContain('personal');
    expect(SETTINGS.checkbox).toContain('personal');
    expect(SETTINGS.geopoint).toContain('personal');
    for (const type of ['note', 'group', 'repeat', 'photo'] as const) expect(SETTINGS[type]).not.toContain('personal');
    expect(tidyField(f('n', { type: 'note', personal: true }))).not.toHaveProperty('personal');
    expect(tidyField(f('phone', { type: 'phone', personal: true })).personal).toBe(true);
  });

  it('is accepted by the form model', () => {
    const definition: FormDefinition = {
      slug: 'visit',
      name: 'Visit',
      fields: [withPersonal(f('name'), true), f('site')],
      photos: [],
      signatures: [],
      pdf: {},
    };
    expect(validateFormDefinition(definition)).toEqual([]);
  });
});

describe('choice attributes', () => {
  it('reads what is typed into the attributes a choice filter names, and writes them back the same way', () => {
    expect(parseAttributes('Region = north; size=large;; bad key=x; empty=')).toEqual({ region: 'north', size: 'large' });
    expect(parseAttributes('  ')).toBeUndefined();
    expect(attributesText({ region: 'north', size: 'large' })).toBe('region=north; size=large');
  });
});
