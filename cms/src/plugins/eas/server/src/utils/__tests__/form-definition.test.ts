import { describe, expect, it } from 'vitest';
import type { FormDefinition } from '../../../../shared/contracts/form';
import { optionTextProblem, parseOptions, toFormDefinition, toFormEntry } from '../form-definition';

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

describe('toFormEntry', () => {
  // Every kind of setting the builder writes, so that a save from the builder stores exactly what it shows.
  const rich: FormDefinition = {
    slug: 'meters',
    name: 'Meter round',
    description: 'Read every meter',
    fields: [
      { key: 'intro', label: 'Read the meters in order', type: 'note', required: false },
      {
        key: 'region',
        label: 'Region',
        type: 'select',
        required: true,
        options: [
          { value: 'north', label: 'North' },
          { value: 'south', label: 'South' },
        ],
        translations: { fr: { label: 'Région', options: { north: 'Nord' } } },
      },
      {
        key: 'district',
        label: 'District',
        type: 'select',
        required: false,
        options: [{ value: 'kisumu', label: 'Kisumu', attributes: { region: 'north' } }],
        choiceFilter: 'region = ${region}',
      },
      { key: 'meters', label: 'Meters', type: 'repeat', required: false, min: 1, max: 5 },
      {
        key: 'reading',
        label: 'Reading',
        type: 'decimal',
        required: true,
        group: 'meters',
        min: 0,
        constraint: '. < 100000',
        constraintMessage: 'Too high',
      },
      { key: 'rating', label: 'Rating', type: 'range', required: false, min: 1, max: 5, step: 1 },
      {
        key: 'code',
        label: 'Code',
        type: 'text',
        required: false,
        pattern: '^[A-Z]{2}$',
        help: 'Two capitals',
        relevant: "${region} = 'north'",
      },
      { key: 'old', label: 'Old', type: 'text', required: false, showIf: { field: 'region', equals: 'south' } },
      { key: 'site_photo', label: 'Site', type: 'photo', required: true },
      { key: 'total', label: 'Total', type: 'decimal', required: false, calculation: 'sum(${reading})' },
      { key: 'day', label: 'Day', type: 'date', required: false, default: 'today()' },
    ],
    photos: [
      { side: 'front', label: 'Front', required: true, maxPixels: 8_000_000, hint: 'Whole meter', minWidth: 1000, allowOverride: false },
      { side: 'back', label: 'Back', required: false, maxPixels: 4_000_000, translations: { fr: { label: 'Dos' } } },
    ],
    signatures: [
      { key: 'reader', role: 'Reader', consentText: 'I read these meters.', required: true, translations: { fr: { role: 'Lecteur' } } },
    ],
    pdf: { title: 'Meter round', footerText: 'Utility Ltd' },
    summaryField: 'code',
    pages: true,
    defaultLanguage: 'en',
    languages: ['fr'],
  };

  it('stores a definition so that reading it back gives the same definition', () => {
    expect(toFormDefinition(toFormEntry(rich) as never)).toEqual(rich);
  });

  it('stores a form with no photos as both slots switched off', () => {
    const entry = toFormEntry({ ...rich, photos: [] });
    expect([entry.frontPhoto, entry.backPhoto]).toEqual([{ enabled: false }, { enabled: false }]);
    expect(toFormDefinition(entry as never).photos).toEqual([]);
  });

  it('refuses option texts with the separators of the stored text', () => {
    expect(optionTextProblem({ value: 'a', label: 'A | B' })).toBe('may not contain "|" or a line break');
    expect(optionTextProblem({ value: 'a', label: 'A or B' })).toBeNull();
  });
});
