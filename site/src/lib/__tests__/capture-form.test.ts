import { describe, expect, it } from 'vitest';
import type { FormDefinition } from '../../../../cms/src/plugins/eas/shared/contracts/form';
import { describeFields, inputValue, missingPhotos, parseNumber, readRecordData, validateCapture, visibleFieldKeys } from '../capture-form';
import { dateFormat } from '../dates';

const form: Pick<FormDefinition, 'fields' | 'photos' | 'signatures'> = {
  fields: [
    { key: 'site', label: 'Site name', type: 'text', required: true, min: 2, max: 80, pattern: '[A-Z].*', help: 'As on the gate sign' },
    { key: 'notes', label: 'Notes', type: 'textarea', required: false },
    { key: 'count', label: 'Meters', type: 'number', required: false, min: 0, max: 20 },
    { key: 'visited', label: 'Visit date', type: 'date', required: true, min: -7, max: 0 },
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
    {
      key: 'repairs',
      label: 'Repairs needed',
      type: 'multiselect',
      required: true,
      min: 1,
      options: [
        { value: 'seal', label: 'Seal' },
        { value: 'glass', label: 'Glass' },
      ],
      showIf: { field: 'condition', equals: 'poor' },
    },
    { key: 'safe', label: 'Site is safe', type: 'checkbox', required: false },
    { key: 'email', label: 'Contact email', type: 'email', required: false },
    { key: 'phone', label: 'Contact phone', type: 'phone', required: false },
  ],
  photos: [
    { side: 'front', required: true, label: 'Front of the meter', maxPixels: 4_000_000 },
    { side: 'back', required: false, label: 'Back of the meter', maxPixels: 4_000_000 },
  ],
  signatures: [{ key: 'inspector', role: 'inspector', consentText: 'I confirm.', required: true }],
};

const formData = (entries: [string, string][]) => {
  const fd = new FormData();
  for (const [k, v] of entries) fd.append(k, v);
  return fd;
};

describe('inputs for a form version', () => {
  const fields = describeFields(form, { today: '2026-05-01' });
  const byKey = Object.fromEntries(fields.map((f) => [f.key, f]));

  it('describes each field with its element, type, label, help and ids', () => {
    expect(fields.map((f) => [f.key, f.element, f.inputType])).toEqual([
      ['site', 'input', 'text'],
      ['notes', 'textarea', undefined],
      ['count', 'input', 'number'],
      ['visited', 'input', 'date'],
      ['condition', 'select', undefined],
      ['repairs', 'checkbox-group', undefined],
      ['safe', 'input', 'checkbox'],
      ['email', 'input', 'email'],
      ['phone', 'input', 'tel'],
    ]);
    expect(byKey.site).toMatchObject({
      id: 'field-site',
      name: 'site',
      label: 'Site name',
      required: true,
      help: 'As on the gate sign',
      helpId: 'field-site-help',
      errorId: 'field-site-error',
    });
    expect(byKey.notes.helpId).toBeUndefined();
    expect(byKey.repairs.options.map((o) => o.label)).toEqual(['Seal', 'Glass']);
    expect(byKey.repairs.showIf).toEqual({ field: 'condition', equals: 'poor' });
  });

  it('lets the browser check the same limits as the server', () => {
    expect(byKey.site.attributes).toEqual({ minlength: '2', maxlength: '80', pattern: '[A-Z].*' });
    expect(byKey.notes.attributes).toEqual({ maxlength: '10000' });
    expect(byKey.count.attributes).toMatchObject({ min: '0', max: '20', step: 'any', inputmode: 'decimal' });
    // Date limits are days relative to the capture day.
    expect(byKey.visited.attributes).toEqual({ min: '2026-04-24', max: '2026-05-01' });
    expect(byKey.email.attributes).toMatchObject({ maxlength: '254', autocomplete: 'email' });
    expect(byKey.phone.attributes).toMatchObject({ autocomplete: 'tel', inputmode: 'tel' });
  });
});

describe('reading what the person entered', () => {
  it('turns inputs into typed record data and leaves out empty ones', () => {
    const data = readRecordData(
      form,
      formData([
        ['site', 'North gate'],
        ['notes', '   '],
        ['count', '12'],
        ['visited', '2026-04-30'],
        ['condition', 'good'],
        ['safe', 'true'],
        ['email', ''],
      ])
    );
    expect(data).toEqual({ site: 'North gate', count: 12, visited: '2026-04-30', condition: 'good', safe: true });
  });

  it('reads a multi-select as a list, and an unticked checkbox as false', () => {
    const data = readRecordData(
      form,
      formData([
        ['condition', 'poor'],
        ['repairs', 'seal'],
        ['repairs', 'glass'],
      ])
    );
    expect(data).toMatchObject({ condition: 'poor', repairs: ['seal', 'glass'], safe: false });
  });

  it('drops values of fields hidden by a show-if condition', () => {
    const data = readRecordData(
      form,
      formData([
        ['condition', 'good'],
        ['repairs', 'seal'],
      ])
    );
    expect(data).not.toHaveProperty('repairs');
    expect([...visibleFieldKeys(form, data)]).not.toContain('repairs');
    expect([...visibleFieldKeys(form, { condition: 'poor' })]).toContain('repairs');
  });

  it('accepts a decimal comma and keeps nonsense for the validator to name', () => {
    expect(parseNumber('12,5')).toBe(12.5);
    expect(parseNumber(' 3 ')).toBe(3);
    expect(parseNumber('twelve')).toBeNaN();
  });
});

describe('checking before sending', () => {
  it('shows the server’s own message under each field', () => {
    const data = readRecordData(
      form,
      formData([
        ['site', 'x'],
        ['count', 'twelve'],
        ['visited', '2026-03-01'],
        ['condition', 'poor'],
        ['email', 'not-an-email'],
      ])
    );
    const result = validateCapture(form, data, { today: '2026-05-01' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.messages).toEqual({
      site: 'Site name must be at least 2 characters',
      count: 'Meters must be a number',
      visited: 'Visit date must be on or after 2026-04-24',
      repairs: 'Repairs needed is required',
      email: 'Contact email must be an email address',
    });
    expect(result.errors.find((e) => e.key === 'repairs')?.code).toBe('required');
  });

  it('gives the cleaned data when everything is right', () => {
    const result = validateCapture(
      form,
      { site: ' North gate ', visited: '2026-05-01', condition: 'good', safe: false },
      { today: '2026-05-01' }
    );
    expect(result).toEqual({ ok: true, data: { site: 'North gate', visited: '2026-05-01', condition: 'good', safe: false } });
  });

  it('names the required photos still to be taken (on the phone or, when fixing, on the server)', () => {
    expect(missingPhotos(form, {}).map((slot) => slot.label)).toEqual(['Front of the meter']);
    expect(missingPhotos(form, { front: undefined }).map((slot) => slot.side)).toEqual(['front']);
    expect(missingPhotos(form, { front: {} })).toEqual([]);
  });
});

describe('dates typed in the person’s format', () => {
  const dated: Pick<FormDefinition, 'fields'> = { fields: [{ key: 'visit', label: 'Visit date', type: 'date', required: true, max: 0 }] };
  const fr = dateFormat('fr-FR');

  it('offers a text input with an example in that format instead of the browser’s date picker', () => {
    const [visit] = describeFields(dated, { today: '2026-12-01', dates: fr });
    expect(visit).toMatchObject({ element: 'input', inputType: 'text' });
    expect(visit.attributes).toMatchObject({ inputmode: 'numeric', placeholder: '01/12/2026' });
  });

  it('stores what was typed as YYYY-MM-DD, shows it back the same way, and leaves nonsense to the validator', () => {
    expect(readRecordData(dated, new URLSearchParams({ visit: '30/11/2026' }), fr)).toEqual({ visit: '2026-11-30' });
    expect(inputValue(dated.fields[0], '2026-11-30', fr)).toBe('30/11/2026');
    const typo = readRecordData(dated, new URLSearchParams({ visit: '31/11/2026' }), fr);
    expect(typo).toEqual({ visit: '31/11/2026' });
    expect(validateCapture(dated, typo, { today: '2026-12-01' }).ok).toBe(false);
  });
});
