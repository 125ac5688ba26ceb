import { describe, expect, it } from 'vitest';
import type { FieldDefinition } from '../../../../cms/src/plugins/eas/shared/contracts/form';
import { describeEntry, describeFields, entryCountName, readRecordData, validateCapture } from '../capture-form';
import { liveFormState, newEntryValues } from '../form-live';

const f = (key: string, label: string, type: FieldDefinition['type'], more: Partial<FieldDefinition> = {}): FieldDefinition => ({
  key,
  label,
  type,
  required: false,
  ...more,
});

const form = {
  fields: [
    f('site', 'Site', 'group'),
    f('site_name', 'Site name', 'text', { group: 'site', required: true }),
    f('meters', 'Meter', 'repeat', { min: 1, max: 5 }),
    f('serial', 'Serial', 'text', { group: 'meters', required: true }),
    f('reading', 'Reading', 'decimal', { group: 'meters', default: '0' }),
    f('faulty', 'Faulty', 'checkbox', { group: 'meters' }),
    f('fault', 'What is wrong', 'text', { group: 'meters', relevant: '${faulty}', required: true }),
    f('total', 'Total', 'decimal', { calculation: 'sum(${reading})' }),
  ],
};

/** What the capture page's inputs hold, as FormData would give it. */
const inputs = (entries: Record<string, string>[], more: Record<string, string> = {}) => {
  const params = new URLSearchParams({ site_name: 'Depot', [entryCountName('meters')]: String(entries.length), ...more });
  entries.forEach((e, i) => Object.entries(e).forEach(([k, v]) => params.append(`meters[${i}].${k}`, v)));
  return params;
};

describe('groups and repeats on the capture page', () => {
  it('describes the fields outside repeats, with each field’s group, and an entry’s fields with their own keys and ids', () => {
    expect(describeFields(form).map((d) => [d.key, d.element, d.parent ?? null])).toEqual([
      ['site', 'group', null],
      ['site_name', 'input', 'site'],
      ['meters', 'repeat', null],
      ['total', 'input', null],
    ]);
    expect(describeEntry(form, 'meters', 1).map((d) => [d.key, d.name, d.id])).toEqual([
      ['meters[1].serial', 'meters[1].serial', 'field-meters-1-serial'],
      ['meters[1].reading', 'meters[1].reading', 'field-meters-1-reading'],
      ['meters[1].faulty', 'meters[1].faulty', 'field-meters-1-faulty'],
      ['meters[1].fault', 'meters[1].fault', 'field-meters-1-fault'],
    ]);
  });

  it('reads each entry from its inputs, drops what the entry hides, and totals the entries', () => {
    const data = readRecordData(
      form,
      inputs([
        { serial: 'A1', reading: '12,5', fault: 'typed before unticking' },
        { serial: 'B2', reading: '7.5', faulty: 'true', fault: 'Cracked glass' },
      ])
    );
    expect(data).toEqual({
      site_name: 'Depot',
      meters: [
        { serial: 'A1', reading: 12.5, faulty: false },
        { serial: 'B2', reading: 7.5, faulty: true, fault: 'Cracked glass' },
      ],
      total: 20,
    });
    expect(validateCapture(form, data).ok).toBe(true);
  });

  it('shows and requires an entry’s field by that entry’s answers only', () => {
    const live = liveFormState(form, { meters: [{ serial: 'A1' }, { serial: 'B2', faulty: true }] });
    expect([...live.visible].filter((k) => k.endsWith('.fault'))).toEqual(['meters[1].fault']);
    expect(live.required.has('meters[1].fault')).toBe(true);
    expect(live.entries.get('meters')).toBe(2);
    expect(live.calculated.get('total')).toBe(0);
  });

  it('says which entry a message is about, and counts entries', () => {
    const check = validateCapture(form, { site_name: 'Depot', meters: [{ serial: 'A1' }, { faulty: true }] });
    expect(check.ok ? {} : check.messages).toEqual({
      'meters[1].serial': 'Meter 2: Serial is required',
      'meters[1].fault': 'Meter 2: What is wrong is required',
    });
    const none = validateCapture(form, { site_name: 'Depot' });
    expect(none.ok ? {} : none.messages).toEqual({ meters: 'Meter needs at least one entry' });
  });

  it('starts a new entry with its fields’ defaults', () => {
    expect(newEntryValues(form, 'meters')).toEqual({ reading: 0 });
  });
});
