import { describe, expect, it } from 'vitest';
import type { FieldDefinition } from '../../contracts/form';
import { displayRows, recordSummary, summaryFieldProblem } from '../../display';
import { validateFormDefinition } from '../form-definition';
import { formPages } from '../form-structure';
import { createRecordValidator } from '../record-data';
import { photoSlots } from '../../photo-slots';
import { completeOnArrival, describeOutstanding, outstanding } from '../../record-rules';

const f = (key: string, type: FieldDefinition['type'], more: Partial<FieldDefinition> = {}): FieldDefinition => ({
  key,
  label: key.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase()),
  type,
  required: false,
  ...more,
});

/** A site visit: a group of site details shown only for inspections, then one entry per meter, then totals. */
const visit: FieldDefinition[] = [
  f('kind', 'select', {
    required: true,
    options: [
      { value: 'inspection', label: 'Inspection' },
      { value: 'other', label: 'Other' },
    ],
  }),
  f('site', 'group', { relevant: "${kind} = 'inspection'" }),
  f('site_name', 'text', { group: 'site', required: true }),
  f('site_size', 'integer', { group: 'site', min: 1 }),
  f('meters', 'repeat', { min: 1, max: 3 }),
  f('serial', 'text', { group: 'meters', required: true }),
  f('reading', 'decimal', { group: 'meters', required: true, constraint: '. >= 0', constraintMessage: 'A reading is never negative' }),
  f('faulty', 'checkbox', { group: 'meters' }),
  f('fault', 'text', { group: 'meters', relevant: '${faulty}', required: true }),
  f('label', 'text', { group: 'meters', calculation: "concat('Meter ', position(), ' of ', ${site_name})" }),
  f('total', 'decimal', { calculation: 'sum(${reading})' }),
  f('meter_count', 'integer', { calculation: 'count(${meters})' }),
];
const validate = createRecordValidator({ fields: visit });

describe('groups and repeats in a form definition', () => {
  const problems = (fields: FieldDefinition[]) => validateFormDefinition({ fields, signatures: [] }).map((i) => i.message);

  it('accepts a group, a repeat and their fields in reading order', () => {
    expect(problems(visit)).toEqual([]);
  });

  it('refuses a parent that is missing, below, not a container, or interrupted by another group', () => {
    expect(problems([f('a', 'text', { group: 'g' }), f('g', 'group'), f('b', 'text', { group: 'g' })])).toEqual([
      'Field 1 ("a"): the group "g" is not a group or repeat above this field; put the group first',
    ]);
    expect(problems([f('t', 'text'), f('a', 'text', { group: 't' })])).toEqual([
      'Field 2 ("a"): "t" is a text field, not a group or repeat',
    ]);
    expect(problems([f('g', 'group'), f('a', 'text', { group: 'g' }), f('b', 'text'), f('c', 'text', { group: 'g' })])).toEqual([
      'Field 4 ("c"): the fields of group "g" must follow it together; another group\'s fields came in between',
    ]);
  });

  it('refuses a repeat in a repeat, an empty group, entry counts that cannot be, and a required group', () => {
    expect(
      problems([f('r', 'repeat'), f('s', 'repeat', { group: 'r' }), f('x', 'text', { group: 's' }), f('g', 'group', { required: true })])
    ).toEqual([
      'Field 2 ("s"): a repeat cannot be inside another repeat',
      'Field 4 ("g"): a group cannot be required; make its fields required',
      'Field 4 ("g"): the group has no fields',
    ]);
    expect(problems([f('r', 'repeat', { min: 3, max: 2 }), f('x', 'text', { group: 'r' })])).toEqual([
      'Field 1 ("r"): the minimum number of entries (3) is greater than the maximum (2)',
    ]);
    expect(problems([f('r', 'repeat', { max: 2.5 }), f('x', 'text', { group: 'r' })])).toEqual([
      'Field 1 ("r"): max of a repeat is a number of entries (a whole number from 0 to 1000)',
    ]);
  });

  it('refuses a field inside a repeat as the list field (it has one value per entry)', () => {
    expect(summaryFieldProblem({ fields: visit }, 'serial')).toBe(
      'List field: "serial" is asked once per entry of the repeat "meters"; choose a field outside repeats'
    );
  });
});

describe('records of a form with groups and repeats', () => {
  const meter = (serial: string, reading: number, more: Record<string, unknown> = {}) => ({ serial, reading, ...more });

  it('stores group fields at the top level and each entry with its own calculated label; totals see every entry', () => {
    const result = validate({
      kind: 'inspection',
      site_name: 'Depot',
      meters: [meter('A1', 12.5), meter('B2', 7.5, { faulty: true, fault: 'Cracked glass' })],
      total: 20,
      meter_count: 2,
    });
    expect(result).toEqual({
      ok: true,
      data: {
        kind: 'inspection',
        site_name: 'Depot',
        meters: [
          { serial: 'A1', reading: 12.5, label: 'Meter 1 of Depot' },
          { serial: 'B2', reading: 7.5, faulty: true, fault: 'Cracked glass', label: 'Meter 2 of Depot' },
        ],
        total: 20,
        meter_count: 2,
      },
    });
  });

  it('names the entry and the field of each error, and checks every entry by its own answers', () => {
    const result = validate({
      kind: 'inspection',
      site_name: 'Depot',
      meters: [meter('A1', -1), { reading: 3, faulty: true }, meter('C3', 1, { fault: 'none' })],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => [e.key, e.code, e.message])).toEqual([
      ['meters[0].reading', 'constraint', 'Meters 1: A reading is never negative'],
      ['meters[1].serial', 'required', 'Meters 2: Serial is required'],
      ['meters[1].fault', 'required', 'Meters 2: Fault is required'],
      ['meters[2].fault', 'hidden', 'Meters 3: Fault must be left empty: it does not apply to this record'],
    ]);
  });

  it('refuses too few or too many entries, an entry that is not an object, and a repeat field sent outside its entry', () => {
    const codes = (data: Record<string, unknown>) => {
      const r = validate({ kind: 'other', ...data });
      return r.ok ? [] : r.errors.map((e) => `${e.key}:${e.code}`);
    };
    expect(codes({})).toEqual(['meters:too_few']);
    expect(codes({ meters: [1, 2, 3, 4].map((i) => meter(`M${i}`, i)) })).toEqual(['meters:too_many']);
    expect(codes({ meters: ['A1'] })).toEqual(['meters:type']);
    expect(codes({ meters: [meter('A1', 1, { colour: 'red' })], serial: 'A1' })).toEqual([
      'serial:unknown_field',
      'meters[0].colour:unknown_field',
    ]);
  });

  it('refuses values for a hidden group’s fields, and does not require them', () => {
    const r = validate({ kind: 'other', site_name: 'Depot', meters: [meter('A1', 1)] });
    expect(r.ok ? [] : r.errors.map((e) => `${e.key}:${e.code}`)).toEqual(['site_name:hidden']);
    expect(validate({ kind: 'other', meters: [meter('A1', 1)] }).ok).toBe(true);
  });

  it('refuses a calculated total that does not add up the entries', () => {
    const r = validate({ kind: 'other', meters: [meter('A1', 1), meter('B2', 2)], total: 4 });
    expect(r.ok ? [] : r.errors.map((e) => `${e.key}:${e.code}`)).toEqual(['total:calculation']);
  });
});

describe('pages and reading a record', () => {
  it('makes a page of each top-level group or repeat and of the fields between them', () => {
    const pages = formPages({ fields: visit, pages: true }).map((p) => p.keys);
    expect(pages).toEqual([['kind'], ['site'], ['meters'], ['total', 'meter_count']]);
    expect(formPages({ fields: visit }).map((p) => p.keys)).toEqual([['kind', 'site', 'meters', 'total', 'meter_count']]);
  });

  it('reads a record in the form’s order with group headings, entries, and no empty group', () => {
    const rows = displayRows(
      { fields: visit },
      { kind: 'other', meters: [{ serial: 'A1', reading: 1, label: 'Meter 1' }], total: 1, meter_count: 1 }
    );
    const flat = (rs: typeof rows): unknown[] =>
      rs.map((r) => (r.entries ? [r.field.key, r.entries.map(flat)] : `${'  '.repeat(r.depth)}${r.field.key}=${r.text ?? ''}`));
    expect(flat(rows)).toEqual(['kind=Other', ['meters', [['serial=A1', 'reading=1', 'label=Meter 1']]], 'total=1', 'meter_count=1']);
    expect(recordSummary({ fields: visit }, { kind: 'other', meters: [{ serial: 'A1' }] })).toBeNull();
  });
});

describe('photo fields', () => {
  const form = {
    photos: [{ side: 'front' as const, required: true, label: 'Front', maxPixels: 4_000_000 }],
    signatures: [],
    fields: [f('room', 'photo', { required: true, help: 'Door open' }), f('extra', 'photo'), f('notes', 'text')],
  };

  it('are photo slots after front and back, with their hint, and what a record still needs', () => {
    expect(photoSlots(form).map((p) => [p.side, p.label, p.required, p.hint ?? null])).toEqual([
      ['front', 'Front', true, null],
      ['room', 'Room', true, 'Door open'],
      ['extra', 'Extra', false, null],
    ]);
    const left = outstanding(form, { photos: [{ side: 'front' }], signatures: [] }, 'hash');
    expect(left.photos).toEqual(['room']);
    expect(describeOutstanding(left, form)).toBe('missing the photo "Room" ("room")');
    expect(completeOnArrival(form)).toBe(false);
    expect(completeOnArrival({ photos: [], signatures: [], fields: [f('notes', 'text')] })).toBe(true);
  });

  it('carry no value in the record data, and are refused in repeats, with conditions, or keyed front/back', () => {
    const r = createRecordValidator(form)({ room: 'room.jpg', notes: 'ok' });
    expect(r.ok ? [] : r.errors.map((e) => `${e.key}:${e.code}`)).toEqual(['room:type']);
    expect(createRecordValidator(form)({ notes: 'ok' }).ok).toBe(true);
    const problems = validateFormDefinition({
      fields: [f('r', 'repeat'), f('p', 'photo', { group: 'r' }), f('q', 'photo', { relevant: '1 = 1' }), f('back', 'photo')],
      signatures: [],
    }).map((i) => i.message);
    expect(problems).toEqual([
      'Field 2 ("p"): a photo field cannot be inside a repeat (yet); put it outside the repeat',
      'Field 3 ("q"): a photo field is always asked; it cannot have a relevant (yet)',
      'Field 4 ("back"): "back" is the key of a photo slot; choose another key',
    ]);
  });
});
