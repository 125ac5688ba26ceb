import { describe, expect, it } from 'vitest';
import type { FieldDefinition } from '../../contracts/form';
import { displayValue } from '../../display';
import { validateFormDefinition } from '../form-definition';
import { displayGeopoint, formatGeopoint, parseGeopoint } from '../geopoint';
import { createRecordValidator } from '../record-data';
import { compileExpression } from '../../expressions';

const where: FieldDefinition = { key: 'where', label: 'Meter location', type: 'geopoint', required: true, max: 25 };
const code: FieldDefinition = { key: 'serial', label: 'Serial code', type: 'barcode', required: false };
const validate = createRecordValidator({ fields: [where, code] });
const errors = (data: Record<string, unknown>) => {
  const r = validate(data);
  return r.ok ? [] : r.errors.map((e) => [e.key, e.code, e.message]);
};

describe('locations (geopoint)', () => {
  it('reads ODK’s "lat lon [alt [acc]]" and writes it back the same way', () => {
    expect(parseGeopoint('-1.2921 36.8219 1700 12.5')).toEqual({ latitude: -1.2921, longitude: 36.8219, altitude: 1700, accuracy: 12.5 });
    expect(parseGeopoint(' 51.5 -0.14 ')).toEqual({ latitude: 51.5, longitude: -0.14 });
    expect(formatGeopoint({ latitude: -1.2921, longitude: 36.8219, accuracy: 8 })).toBe('-1.292100 36.821900 0.0 8.0');
    for (const bad of ['', '51.5', '91 0', '0 181', '1 2 3 4 5', 'north 10', '1 2 3 -4', '1e3 2']) expect(parseGeopoint(bad)).toBeNull();
  });

  it('accepts a GPS fix within the field’s accuracy and a typed location; refuses a worse fix and nonsense, naming the field', () => {
    expect(errors({ where: '-1.2921 36.8219 1700 12.5' })).toEqual([]);
    expect(errors({ where: '-1.2921 36.8219' })).toEqual([]);
    expect(errors({ where: '-1.2921 36.8219 1700 80' })).toEqual([
      ['where', 'accuracy', 'Meter location: the location is only accurate to 80 m; wait for a better fix (25 m or better) or type it'],
    ]);
    expect(errors({ where: '95 36' })).toEqual([['where', 'geopoint', 'Meter location: the latitude must be between -90 and 90']]);
    expect(errors({ where: 'by the gate' })[0].slice(0, 2)).toEqual(['where', 'geopoint']);
    expect(errors({ where: 42 })[0].slice(0, 2)).toEqual(['where', 'type']);
  });

  it('reads as degrees with its accuracy, and its settings are checked when the form is saved', () => {
    expect(displayGeopoint('-1.2921 36.8219 1700 12.5')).toBe('-1.292100, 36.821900 (± 12.5 m)');
    expect(displayValue(where, '51.5 -0.14')).toBe('51.500000, -0.140000');
    expect(validateFormDefinition({ fields: [{ ...where, min: 1, max: 0 }], signatures: [] }).map((i) => i.message)).toEqual([
      'Field 1 ("where"): a location has no minimum; max is the worst accuracy accepted, in metres',
      'Field 1 ("where"): the accuracy limit (max) must be more than 0 metres',
    ]);
  });
});

describe('distance() between two locations', () => {
  const scope = (where: string | null) => ({ today: '2026-12-02', now: '2026-12-02T00:00:00Z', field: () => where });
  it('gives metres (haversine), empty when either is not a location, and works in a constraint', () => {
    const d = compileExpression("distance(${where}, '51.5007 -0.1246')", { fields: new Set(['where']) });
    expect(d.evaluate(scope('51.5007 -0.1246 10 5'))).toBe(0);
    expect(d.evaluate(scope('51.5014 -0.1419'))).toBe(1200); // 1,200.015 m by an independent haversine (Python), to 0.1 m
    expect(d.evaluate(scope(null))).toBeNull();
    const near = createRecordValidator({
      fields: [{ ...where, max: undefined, constraint: "distance(., '-1.2921 36.8219') < 500", constraintMessage: 'Not at the site' }],
    });
    expect(near({ where: '-1.2925 36.8221' }).ok).toBe(true);
    const far = near({ where: '-1.30 36.82' });
    expect(far.ok ? [] : far.errors.map((e) => e.message)).toEqual(['Not at the site']);
  });
});

describe('barcodes', () => {
  it('keep the scanned or typed text, bounded, without invisible characters', () => {
    expect(validate({ where: '1 2', serial: 'https://example.org/m/123?x=1' })).toMatchObject({ ok: true });
    expect(errors({ where: '1 2', serial: 'x'.repeat(2001) })).toEqual([['serial', 'too_long', 'Serial code is too long']]);
    expect(errors({ where: '1 2', serial: 'AB\u202eC' })[0].slice(0, 2)).toEqual(['serial', 'invalid_characters']);
  });
});
