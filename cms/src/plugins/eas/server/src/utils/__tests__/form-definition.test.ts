import { describe, expect, it } from 'vitest';
import { parseOptions, toFormDefinition } from '../form-definition';

describe('parseOptions', () => {
  it('reads one option per line, "value|Label" or just "value"', () => {
    expect(parseOptions('yes|Yes, done\nno\n\n  maybe | Not sure ')).toEqual([
      { value: 'yes', label: 'Yes, done' },
      { value: 'no', label: 'no' },
      { value: 'maybe', label: 'Not sure' },
    ]);
  });

  it('gives nothing for an empty text', () => {
    expect(parseOptions('  ')).toBeUndefined();
    expect(parseOptions(null)).toBeUndefined();
  });
});

describe('toFormDefinition', () => {
  it('keeps field order and only the settings an administrator filled in', () => {
    const def = toFormDefinition({
      slug: 'visit',
      name: 'Visit',
      description: '  ',
      fields: [
        { id: 3, key: 'age', label: 'Age', type: 'number', required: true, min: '18', max: 120, help: '', pattern: null },
        { id: 1, key: 'reason', label: 'Reason', type: 'select', options: 'a|A\nb|B', showIfField: 'age', showIfEquals: '' },
      ],
      frontPhoto: { enabled: true, required: true, hint: 'Hold steady', maxPixels: 4000000 },
      backPhoto: { enabled: false },
      signatures: [{ key: 'client', role: 'Client', consentText: 'I agree', required: false }],
      pdf: null,
    });
    expect(def).toEqual({
      slug: 'visit',
      name: 'Visit',
      fields: [
        { key: 'age', label: 'Age', type: 'number', required: true, min: 18, max: 120 },
        {
          key: 'reason',
          label: 'Reason',
          type: 'select',
          required: false,
          options: [
            { value: 'a', label: 'A' },
            { value: 'b', label: 'B' },
          ],
          showIf: { field: 'age', equals: '' },
        },
      ],
      photos: [{ side: 'front', required: true, label: 'Front photo', hint: 'Hold steady', maxPixels: 4000000 }],
      signatures: [{ key: 'client', role: 'Client', consentText: 'I agree', required: false }],
      pdf: {},
    });
  });

  it("keeps a photo slot's quality requirements, dropping ones that are not positive numbers", () => {
    const def = toFormDefinition({
      slug: 's',
      name: 'S',
      frontPhoto: { minWidth: 1600, minHeight: '1200', minMegapixels: 0, allowOverride: false },
    });
    expect(def.photos[0]).toMatchObject({ minWidth: 1600, minHeight: 1200, allowOverride: false });
    expect(def.photos[0]).not.toHaveProperty('minMegapixels');
    expect(toFormDefinition({ slug: 's', name: 'S', frontPhoto: { minWidth: -5, allowOverride: 'yes' } }).photos[0]).not.toHaveProperty(
      'minWidth'
    );
  });

  it('leaves a slot at the default (override allowed) exactly as a definition from before the setting', () => {
    const before = toFormDefinition({ slug: 's', name: 'S', frontPhoto: { label: 'Front' } });
    const atDefault = toFormDefinition({ slug: 's', name: 'S', frontPhoto: { label: 'Front', allowOverride: true } });
    expect(atDefault).toEqual(before);
    expect(atDefault.photos[0]).not.toHaveProperty('allowOverride');
  });

  it('treats a missing photo slot as no photo', () => {
    expect(toFormDefinition({ slug: 's', name: 'S' }).photos).toEqual([]);
  });
});
