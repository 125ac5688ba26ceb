import { describe, expect, it } from 'vitest';
import type { FieldDefinition } from '../../contracts/form';
import { createRecordValidator } from '../record-data';

const field = (f: Partial<FieldDefinition> & Pick<FieldDefinition, 'key' | 'type'>): FieldDefinition => ({
  label: f.key.replace(/_/g, ' '),
  required: false,
  ...f,
});

const validate = (fields: FieldDefinition[], data: unknown, today = '2026-06-15') => createRecordValidator({ fields })(data, { today });

const errorsOf = (fields: FieldDefinition[], data: unknown) => {
  const r = validate(fields, data);
  return r.ok ? [] : r.errors.map((e) => [e.key, e.code]);
};

describe('record data validation', () => {
  it('accepts a complete record and returns the cleaned values', () => {
    const fields = [
      field({ key: 'name', type: 'text', required: true }),
      field({ key: 'age', type: 'number', min: 0, max: 120 }),
      field({ key: 'notes', type: 'textarea' }),
    ];
    expect(validate(fields, { name: '  Ada ', age: 36 })).toEqual({ ok: true, data: { name: 'Ada', age: 36 } });
  });

  it('reports every failing field at once, each with a code and a message naming it', () => {
    const fields = [
      field({ key: 'site_name', label: 'Site name', type: 'text', required: true }),
      field({ key: 'age', label: 'Age', type: 'number', max: 120 }),
    ];
    const r = validate(fields, { age: 130 });
    expect(r).toEqual({
      ok: false,
      errors: [
        { key: 'site_name', code: 'required', message: 'Site name is required' },
        { key: 'age', code: 'max', message: 'Age must be at most 120' },
      ],
    });
  });

  it('rejects keys that are not fields of the form', () => {
    expect(errorsOf([field({ key: 'a', type: 'text' })], { a: 'x', status: 'approved' })).toEqual([['status', 'unknown_field']]);
  });

  it('rejects data that is not an object', () => {
    expect(errorsOf([], ['a'])).toEqual([['', 'type']]);
    expect(errorsOf([], 'x')).toEqual([['', 'type']]);
  });

  it('treats blank text as missing', () => {
    expect(errorsOf([field({ key: 'a', type: 'text', required: true })], { a: '   ' })).toEqual([['a', 'required']]);
  });

  describe('text and textarea', () => {
    const t = field({ key: 'code', type: 'text', min: 3, max: 5, pattern: '[A-Z]+' });
    it.each([
      ['AB', 'too_short'],
      ['ABCDEF', 'too_long'],
      ['abc', 'pattern'],
      [12, 'type'],
    ])('%j → %s', (value, code) => expect(errorsOf([t], { code: value })).toEqual([['code', code]]));
    it('matches the whole value against the pattern', () => {
      expect(errorsOf([t], { code: 'ABC1' })).toEqual([['code', 'pattern']]);
      expect(validate([t], { code: 'ABCD' }).ok).toBe(true);
    });
    it('caps text length even without a max', () => {
      expect(errorsOf([field({ key: 'a', type: 'text' })], { a: 'x'.repeat(1001) })).toEqual([['a', 'too_long']]);
      expect(validate([field({ key: 'a', type: 'textarea' })], { a: 'x'.repeat(5000) }).ok).toBe(true);
    });
  });

  describe('number', () => {
    const n = field({ key: 'n', type: 'number', min: 1, max: 10 });
    it.each([
      [0, 'min'],
      [11, 'max'],
      ['5', 'type'],
      [Number.NaN, 'type'],
      [Infinity, 'type'],
    ])('%j → %s', (value, code) => expect(errorsOf([n], { n: value })).toEqual([['n', code]]));
    it('accepts the bounds and decimals', () => {
      expect(validate([n], { n: 1 }).ok).toBe(true);
      expect(validate([n], { n: 9.5 }).ok).toBe(true);
    });
  });

  describe('date (min/max are days from the capture day)', () => {
    const d = field({ key: 'd', type: 'date', min: -30, max: 0 });
    it.each([
      ['2026-02-30', 'date'],
      ['15/06/2026', 'date'],
      ['2026-06-16', 'max'],
      ['2026-05-15', 'min'],
    ])('%j → %s', (value, code) => expect(errorsOf([d], { d: value })).toEqual([['d', code]]));
    it('accepts days in range and says which day is the limit', () => {
      expect(validate([d], { d: '2026-05-16' }).ok).toBe(true);
      const r = validate([d], { d: '2026-07-01' });
      expect(r.ok ? '' : r.errors[0].message).toBe('d must be on or before 2026-06-15');
    });
  });

  describe('select and multiselect', () => {
    const options = [
      { value: 'good', label: 'Good' },
      { value: 'poor', label: 'Poor' },
    ];
    const s = field({ key: 's', label: 'Condition', type: 'select', options });
    const m = field({ key: 'm', type: 'multiselect', options, min: 1, max: 1 });
    it('accepts only listed options and names them', () => {
      expect(validate([s], { s: 'good' }).ok).toBe(true);
      const r = validate([s], { s: 'bad' });
      expect(r).toEqual({ ok: false, errors: [{ key: 's', code: 'option', message: 'Condition must be one of: Good, Poor' }] });
    });
    it.each([
      [['good', 'bad'], 'option'],
      [['good', 'good'], 'option'],
      [['good', 'poor'], 'too_many'],
      ['good', 'type'],
    ])('multiselect %j → %s', (value, code) => expect(errorsOf([m], { m: value })).toEqual([['m', code]]));
    it('treats an empty selection as missing', () => {
      expect(errorsOf([{ ...m, required: true }], { m: [] })).toEqual([['m', 'required']]);
    });
  });

  describe('checkbox, email and phone', () => {
    it('a required checkbox must be ticked', () => {
      const c = field({ key: 'ok', label: 'I agree', type: 'checkbox', required: true });
      expect(validate([c], { ok: false })).toEqual({
        ok: false,
        errors: [{ key: 'ok', code: 'required', message: 'I agree must be ticked' }],
      });
      expect(validate([c], { ok: true }).ok).toBe(true);
      expect(errorsOf([c], { ok: 'yes' })).toEqual([['ok', 'type']]);
    });
    it('an optional checkbox keeps false', () => {
      expect(validate([field({ key: 'c', type: 'checkbox' })], { c: false })).toEqual({ ok: true, data: { c: false } });
    });
    it('checks emails and phone numbers', () => {
      const e = field({ key: 'e', type: 'email' });
      const p = field({ key: 'p', type: 'phone' });
      expect(errorsOf([e, p], { e: 'not-an-email', p: 'call me' })).toEqual([
        ['e', 'email'],
        ['p', 'phone'],
      ]);
      expect(validate([e, p], { e: 'ada@example.org', p: '+44 (0)20 7946-0958' }).ok).toBe(true);
      expect(errorsOf([p], { p: '+1-2' })).toEqual([['p', 'phone']]);
    });
  });

  describe('show-if', () => {
    const fields = [
      field({
        key: 'condition',
        label: 'Condition',
        type: 'select',
        required: true,
        options: [
          { value: 'good', label: 'Good' },
          { value: 'poor', label: 'Poor' },
        ],
      }),
      field({ key: 'details', label: 'Details', type: 'textarea', required: true, showIf: { field: 'condition', equals: 'poor' } }),
      field({ key: 'photo_ok', type: 'checkbox', showIf: { field: 'details', equals: 'x' } }),
    ];
    it('requires a shown field', () => {
      expect(errorsOf(fields, { condition: 'poor' })).toEqual([['details', 'required']]);
    });
    it('does not require a hidden field', () => {
      expect(validate(fields, { condition: 'good' })).toEqual({ ok: true, data: { condition: 'good' } });
    });
    it('refuses a value for a hidden field and says when it applies', () => {
      const r = validate(fields, { condition: 'good', details: 'leaks' });
      expect(r).toEqual({
        ok: false,
        errors: [{ key: 'details', code: 'hidden', message: 'Details must be left empty: it only applies when Condition is "poor"' }],
      });
    });
    it('hides a field whose controlling field is itself hidden', () => {
      expect(errorsOf(fields, { condition: 'good', photo_ok: true })).toEqual([['photo_ok', 'hidden']]);
    });
    it('matches checkbox and multiselect controllers', () => {
      const f = [
        field({ key: 'injured', type: 'checkbox' }),
        field({ key: 'how', type: 'text', required: true, showIf: { field: 'injured', equals: 'true' } }),
      ];
      expect(errorsOf(f, { injured: true })).toEqual([['how', 'required']]);
      expect(validate(f, { injured: false }).ok).toBe(true);
    });
  });
  describe('invisible and broken characters', () => {
    const fields = [
      field({ key: 'site_name', label: 'Site name', type: 'text' }),
      field({ key: 'notes', label: 'Notes', type: 'textarea' }),
      field({ key: 'email', label: 'Email', type: 'email' }),
      field({ key: 'issues', label: 'Issues', type: 'multiselect', options: [{ value: 'leak', label: 'Leak' }] }),
    ];
    it.each([
      ['a NUL byte', 'site_name', 'North\u0000depot', 'Site name contains an invisible control character (U+0000); remove it'],
      ['an escape character', 'notes', 'a\u001b[31m', 'Notes contains an invisible control character (U+001B); remove it'],
      [
        'a lone surrogate',
        'site_name',
        'North \ud800',
        'Site name contains a broken character (U+D800, half of a character pair); retype it',
      ],
      [
        'a right-to-left override',
        'site_name',
        'Grace \u202erepoH',
        'Site name contains an invisible text-direction character (U+202E), which makes it display differently from what is stored; remove it',
      ],
      [
        'a directional isolate',
        'notes',
        '\u2067x\u2069',
        'Notes contains an invisible text-direction character (U+2067), which makes it display differently from what is stored; remove it',
      ],
      ['a NUL byte in an email', 'email', 'ada\u0000@example.org', 'Email contains an invisible control character (U+0000); remove it'],
    ])('refuses %s with the invalid_characters code', (_name, key, value, message) => {
      expect(validate(fields, { [key]: value })).toEqual({ ok: false, errors: [{ key, code: 'invalid_characters', message }] });
    });
    it('checks every entry of a list', () => {
      expect(errorsOf(fields, { issues: ['leak', 'leak\u0000'] })).toEqual([['issues', 'invalid_characters']]);
    });
    it('keeps tabs, line breaks, right-to-left text and emoji', () => {
      const value = { site_name: 'מחסן 😀', notes: 'one\r\n\ttwo\nمرحبا' };
      expect(validate(fields, value)).toEqual({ ok: true, data: value });
    });
    it('spells out invisible characters of an unknown key it names', () => {
      expect(validate(fields, { 'x\u202e': 1 })).toEqual({
        ok: false,
        errors: [{ key: 'x\u202e', code: 'unknown_field', message: '"x<U+202E>" is not a field of this form' }],
      });
    });
  });
});
