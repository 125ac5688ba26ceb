import { describe, expect, it } from 'vitest';
import type { FormDefinition } from '../../../../shared/contracts/form';
import { columnsFor, csvCell, definitionFor, fieldCell, isFormulaLike, repeatTablesFor, rowFor } from '../table-rows';

const definition: FormDefinition = {
  slug: 'inspection',
  name: 'Inspection',
  fields: [
    { key: 'site', label: 'Site name', type: 'text', required: true },
    { key: 'weight', label: 'Weight (kg)', type: 'number', required: false },
    { key: 'visited', label: 'Visit date', type: 'date', required: false },
    { key: 'ok', label: 'All fine', type: 'checkbox', required: false },
    { key: 'tags', label: 'Tags', type: 'multiselect', required: false },
  ],
  photos: [{ side: 'front', required: true, label: 'Front', maxPixels: 1000 }],
  signatures: [{ key: 'inspector', role: 'Inspector', consentText: 'I agree', required: true }],
  pdf: {},
};

const link = (kind: string, reference: string, slot: string) => `/media/${kind}/${reference}/${slot}`;

describe('table rows (data exports)', () => {
  it('lists the record columns, each field by key and label, and a hash and link per photo and signature', () => {
    const columns = columnsFor(definition);
    expect(columns.map((c) => c.key)).toEqual([
      'reference',
      'status',
      'owner',
      'createdAt',
      'submittedAt',
      'reviewedAt',
      'latitude',
      'longitude',
      'accuracy',
      'integrityHash',
      'field.site',
      'field.weight',
      'field.visited',
      'field.ok',
      'field.tags',
      'photo.front.sha256',
      'photo.front.link',
      'photo.front.flags',
      'signature.inspector.sha256',
      'signature.inspector.link',
    ]);
    expect(columns.find((c) => c.key === 'field.weight')?.label).toBe('Weight (kg)');
    expect(columns.find((c) => c.key === 'signature.inspector.sha256')?.label).toBe('Inspector signature — SHA-256');
  });

  it('keeps numbers, dates and booleans typed and lines the cells up with the columns', () => {
    const row = rowFor(
      definition,
      {
        reference: 'EAS-1',
        state: 'submitted',
        owner: { username: 'ana' },
        createdAt: '2026-01-02T03:04:05.000Z',
        submittedAt: '2026-01-02T04:00:00.000Z',
        reviewedAt: null,
        location: { lat: 52.5, lng: 13.4, accuracy: 8 },
        integrityHash: 'ab'.repeat(32),
        data: { site: 'North gate', weight: 12.5, visited: '2026-01-01', ok: true, tags: ['a', 'b'] },
        photos: [{ side: 'front', sha256: 'cd'.repeat(32), qualityFlags: ',blurred,time_mismatch,' }],
        signatures: [],
      },
      link
    );
    expect(row).toHaveLength(columnsFor(definition).length);
    expect(row.slice(0, 3)).toEqual(['EAS-1', 'submitted', 'ana']);
    expect(row[3]).toEqual(new Date('2026-01-02T03:04:05.000Z'));
    expect(row[5]).toBeNull();
    expect(row.slice(6, 9)).toEqual([52.5, 13.4, 8]);
    expect(row.slice(10, 15)).toEqual(['North gate', 12.5, new Date('2026-01-01T00:00:00Z'), true, 'a; b']);
    expect(row.slice(15)).toEqual(['cd'.repeat(32), '/media/photo/EAS-1/front', 'blurred; time_mismatch', null, null]);
  });

  it('a number field holding text stays text (never coerced), an empty answer is an empty cell', () => {
    expect(fieldCell('number', '=1+1')).toBe('=1+1');
    expect(fieldCell('number', 7)).toBe(7);
    // integer, decimal and range answers are numbers in a spreadsheet too, and an acknowledgement a boolean.
    expect([fieldCell('decimal', 7.5), fieldCell('integer', 3), fieldCell('range', 4), fieldCell('acknowledge', true)]).toEqual([
      7.5,
      3,
      4,
      true,
    ]);
    expect(fieldCell('text', '')).toBeNull();
    expect(fieldCell('date', 'not a date')).toBe('not a date');
  });

  it('neutralises formula-like text in CSV with a leading apostrophe, and only that', () => {
    for (const bad of ['=HYPERLINK("http://x")', '+1', '-2+3', '@SUM(A1)', '\tx', '\rx']) {
      expect(isFormulaLike(bad)).toBe(true);
      expect(csvCell(bad)).toBe(`'${bad}`);
    }
    expect(csvCell('North = gate')).toBe('North = gate');
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(true)).toBe('true');
    expect(csvCell(new Date('2026-01-02T03:04:05.000Z'))).toBe('2026-01-02T03:04:05.000Z');
    expect(csvCell(null)).toBe('');
  });

  it('writes a location as its text and as latitude, longitude, altitude and accuracy numbers (typed ones have no accuracy)', () => {
    const definition = {
      slug: 'g',
      name: 'G',
      fields: [{ key: 'where', label: 'Where', type: 'geopoint' as const, required: false }],
      photos: [],
      signatures: [],
      pdf: {},
    };
    const labels = columnsFor(definition).map((c) => c.label);
    expect(labels.slice(labels.indexOf('Where'), labels.indexOf('Where') + 5)).toEqual([
      'Where',
      'Where — latitude',
      'Where — longitude',
      'Where — altitude (m)',
      'Where — accuracy (m)',
    ]);
    const at = labels.indexOf('Where');
    const row = (where: string) =>
      rowFor(definition, { reference: 'R', state: 'submitted', createdAt: '2026-12-02T00:00:00Z', data: { where } }, () => null);
    expect(row('-1.2921 36.8219 1700 12.5').slice(at, at + 5)).toEqual(['-1.2921 36.8219 1700 12.5', -1.2921, 36.8219, 1700, 12.5]);
    expect(row('51.5 -0.12').slice(at, at + 5)).toEqual(['51.5 -0.12', 51.5, -0.12, null, null]);
  });
});

describe('the export profile without personal data', () => {
  const definition: FormDefinition = {
    slug: 'visit',
    name: 'Visit',
    fields: [
      { key: 'site', label: 'Site', type: 'text', required: true },
      { key: 'tenant', label: 'Tenant', type: 'text', required: false, personal: true },
      { key: 'household', label: 'Household', type: 'group', required: false, personal: true },
      { key: 'phone', label: 'Phone', type: 'phone', required: false, group: 'household' },
      { key: 'meters', label: 'Meter', type: 'repeat', required: false },
      { key: 'serial', label: 'Serial', type: 'text', required: true, group: 'meters' },
      { key: 'owner_id', label: 'Owner ID', type: 'text', required: false, group: 'meters', personal: true },
      { key: 'room', label: 'Room', type: 'photo', required: false },
    ],
    photos: [{ side: 'front', required: true, label: 'Front', maxPixels: 8_000_000 }],
    signatures: [{ key: 'client', role: 'Client', consentText: 'I agree', required: true }],
    pdf: {},
  };

  it('leaves out personal fields (and what a personal group holds), photo fields, photos and signatures', () => {
    const keys = columnsFor(definitionFor(definition, 'no-personal')).map((c) => c.key);
    expect(keys.filter((k) => k.startsWith('field.') || k.startsWith('photo.') || k.startsWith('signature.'))).toEqual([
      'field.site',
      'field.meters',
    ]);
    expect(repeatTablesFor(definitionFor(definition, 'no-personal'))[0].columns.map((c) => c.key)).toEqual([
      'reference',
      'entry',
      'field.meters.serial',
    ]);
  });

  it('"all" is the definition itself', () => {
    expect(definitionFor(definition, 'all')).toBe(definition);
    expect(columnsFor(definitionFor(definition, 'all')).map((c) => c.key)).toEqual(
      expect.arrayContaining(['field.tenant', 'field.phone', 'photo.front.sha256', 'photo.room.link', 'signature.client.sha256'])
    );
  });
});
