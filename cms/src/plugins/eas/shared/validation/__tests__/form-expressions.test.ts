import { describe, expect, it } from 'vitest';
import type { FieldDefinition } from '../../contracts/form';
import { validateFormDefinition } from '../form-definition';
import { createRecordValidator } from '../record-data';

const f = (key: string, type: FieldDefinition['type'], extra: Partial<FieldDefinition> = {}): FieldDefinition => ({
  key,
  label: key[0].toUpperCase() + key.slice(1),
  type,
  required: false,
  ...extra,
});
const REGIONS = [
  { value: 'north', label: 'North' },
  { value: 'south', label: 'South' },
];
const DISTRICTS = [
  { value: 'n1', label: 'N1', attributes: { region: 'north' } },
  { value: 'n2', label: 'N2', attributes: { region: 'north' } },
  { value: 's1', label: 'S1', attributes: { region: 'south' } },
];
const fields: FieldDefinition[] = [
  f('intro', 'note'),
  f('count', 'integer', { required: true, min: 0 }),
  f('price', 'decimal', { required: true, constraint: '. > 0', constraintMessage: 'The price must be above zero' }),
  f('total', 'decimal', { calculation: 'round(${count} * ${price}, 2)' }),
  f('region', 'select', { required: true, options: REGIONS }),
  f('district', 'select', { required: true, options: DISTRICTS, choiceFilter: 'region = ${region}' }),
  f('large', 'text', { relevant: '${total} > 100', required: true }),
  f('when', 'time'),
  f('at', 'datetime'),
  f('rating', 'range', { min: 1, max: 5, step: 1 }),
  f('agree', 'acknowledge', { required: true }),
  f('reason', 'text', { requiredIf: "${district} = 's1'" }),
];
const validate = createRecordValidator({ fields });
const ok = { count: 2, price: 10, region: 'north', district: 'n1', agree: true };
const errorsOf = (data: Record<string, unknown>) => {
  const r = validate(data, { today: '2026-12-02' });
  return r.ok ? [] : r.errors.map((e) => [e.key, e.code, e.message]);
};

describe('form definition: expressions and new types', () => {
  it('accepts a form using every new type and expression', () => {
    expect(validateFormDefinition({ fields, signatures: [] })).toEqual([]);
  });

  it('refuses expressions that do not parse or name later or unknown fields, naming the field and attribute', () => {
    const issues = validateFormDefinition({
      fields: [
        f('a', 'integer', { relevant: '${b} > 1' }),
        f('b', 'integer', { constraint: '. >' }),
        f('c', 'text', { calculation: '${nope}' }),
        f('d', 'select', { options: DISTRICTS, choiceFilter: 'colour = ${a}' }),
        f('e', 'date', { default: '${a}' }),
        f('g', 'text', { relevant: '${__proto__} = 1' }),
      ],
      signatures: [],
    });
    expect(issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['fields.0.relevant', 'Field 1 ("a"): the relevance expression is not valid: ${b} is not a field above this one'],
      ['fields.1.constraint', expect.stringMatching(/^Field 2 \("b"\): the constraint expression is not valid: .*at character 4\)$/)],
      ['fields.2.calculation', 'Field 3 ("c"): the calculation expression is not valid: ${nope} is not a field above this one'],
      [
        'fields.3.choiceFilter',
        'Field 4 ("d"): the choice filter expression is not valid: "colour" is not an attribute of the options; name a field as ${colour}',
      ],
      [
        'fields.4.default',
        'Field 5 ("e"): the default expression is not valid: ${a} is not a field above this one (a default may not name fields)',
      ],
      ['fields.5.relevant', 'Field 6 ("g"): the relevance expression is not valid: "__proto__" is not allowed'],
    ]);
  });

  it('refuses a range without bounds and step, a required note, and a choice filter on a text field', () => {
    const issues = validateFormDefinition({
      fields: [f('r', 'range', { min: 1 }), f('n', 'note', { required: true }), f('t', 'text', { choiceFilter: 'value = 1' })],
      signatures: [],
    });
    expect(issues.map((i) => i.message)).toEqual([
      'Field 1 ("r"): a range needs a minimum, a maximum and a step',
      'Field 2 ("n"): a note shows text and cannot be required',
      'Field 3 ("t"): a choice filter only applies to select and multiselect fields',
    ]);
  });
});

describe('record data: expressions and new types', () => {
  it('accepts a valid record and fills the calculated total', () => {
    const r = validate({ ...ok, when: '14:30', at: '2026-12-02T14:30', rating: 4 }, { today: '2026-12-02' });
    expect(r).toEqual({ ok: true, data: { ...ok, total: 20, when: '14:30', at: '2026-12-02T14:30', rating: 4 } });
  });

  it('accepts the calculated value when submitted and refuses a different one', () => {
    expect(errorsOf({ ...ok, total: 20 })).toEqual([]);
    expect(errorsOf({ ...ok, total: 25 })).toEqual([['total', 'calculation', 'Total is calculated (20); it cannot be entered']]);
  });

  it('shows the constraint message when the constraint fails', () => {
    expect(errorsOf({ ...ok, price: -1 })).toEqual([['price', 'constraint', 'The price must be above zero']]);
  });

  it('refuses an integer with decimals, a bad time or datetime, a rating off its steps', () => {
    expect(errorsOf({ ...ok, count: 2.5, when: '25:00', at: '2026-02-30T10:00', rating: 2.5 }).map(([k, c]) => [k, c])).toEqual([
      ['count', 'type'],
      ['when', 'pattern'],
      ['at', 'datetime'],
      ['rating', 'step'],
    ]);
  });

  it('requires an acknowledgement to be ticked', () => {
    expect(errorsOf({ ...ok, agree: false })).toEqual([['agree', 'required', 'Agree must be ticked']]);
    expect(errorsOf({ ...ok, agree: 'yes' }).map(([k, c]) => [k, c])).toEqual([['agree', 'type']]);
  });

  it('refuses a value for a note', () => {
    expect(errorsOf({ ...ok, intro: 'x' }).map(([k, c]) => [k, c])).toEqual([['intro', 'type']]);
  });

  it('cascading select: refuses a district of another region', () => {
    expect(errorsOf({ ...ok, district: 's1', reason: 'x' })).toEqual([
      ['district', 'option', 'District: "s1" is not offered for the answers above'],
    ]);
    expect(errorsOf({ ...ok, region: 'south', district: 's1', reason: 'x' })).toEqual([]);
  });

  it('relevance: a field is required only when shown, and must stay empty when hidden', () => {
    expect(errorsOf({ ...ok, count: 20 })).toEqual([['large', 'required', 'Large is required']]);
    expect(errorsOf({ ...ok, count: 20, large: 'yes' })).toEqual([]);
    expect(errorsOf({ ...ok, large: 'yes' })).toEqual([['large', 'hidden', 'Large must be left empty: it does not apply to this record']]);
  });

  it('required-if: required while its expression holds', () => {
    expect(errorsOf({ ...ok, region: 'south', district: 's1' })).toEqual([['reason', 'required', 'Reason is required']]);
  });
});

describe('older show-if definitions', () => {
  const legacy = createRecordValidator({
    fields: [
      f('condition', 'select', {
        options: [
          { value: 'good', label: 'Good' },
          { value: 'bad', label: 'Bad' },
        ],
      }),
      f('details', 'text', { required: true, showIf: { field: 'condition', equals: 'bad' } }),
      f('photos', 'multiselect', {
        options: [
          { value: 'a', label: 'A' },
          { value: 'b', label: 'B' },
        ],
        showIf: { field: 'details', equals: 'x' },
      }),
      f('tags', 'multiselect', { options: [{ value: 'a', label: 'A' }] }),
      f('why', 'text', { showIf: { field: 'tags', equals: 'a' } }),
    ],
  });
  it('reads show-if as the equivalent expression, with the same messages', () => {
    expect(legacy({ condition: 'good' })).toEqual({ ok: true, data: { condition: 'good' } });
    expect(legacy({ condition: 'bad' })).toMatchObject({ ok: false, errors: [{ key: 'details', code: 'required' }] });
    expect(legacy({ condition: 'good', details: 'x' })).toMatchObject({
      ok: false,
      errors: [{ key: 'details', code: 'hidden', message: 'Details must be left empty: it only applies when Condition is "bad"' }],
    });
    expect(legacy({ tags: ['a'], why: 'because' })).toEqual({ ok: true, data: { tags: ['a'], why: 'because' } });
    expect(legacy({ why: 'because' })).toMatchObject({ ok: false, errors: [{ key: 'why', code: 'hidden' }] });
  });
});
