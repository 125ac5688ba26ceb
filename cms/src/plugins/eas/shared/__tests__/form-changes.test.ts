import { describe, expect, it } from 'vitest';
import type { FormDefinition } from '../contracts/form';
import { breakingChanges, formChanges } from '../form-changes';

const v1: FormDefinition = {
  slug: 'site-visit',
  name: 'Site visit',
  fields: [
    { key: 'site', label: 'Site', type: 'text', required: true },
    {
      key: 'condition',
      label: 'Condition',
      type: 'select',
      required: false,
      options: [
        { value: 'good', label: 'Good' },
        { value: 'poor', label: 'Poor' },
      ],
    },
    { key: 'count', label: 'Count', type: 'integer', required: false, min: 0, max: 100 },
    { key: 'notes', label: 'Notes', type: 'textarea', required: false },
  ],
  photos: [{ side: 'front', label: 'Front', required: true, maxPixels: 8_000_000 }],
  signatures: [{ key: 'inspector', role: 'Inspector', consentText: 'I confirm.', required: true }],
  pdf: {},
};

const edit = (change: (d: FormDefinition) => void): FormDefinition => {
  const d = structuredClone(v1);
  change(d);
  return d;
};

describe('formChanges', () => {
  it('finds nothing between a version and itself, so publishing says no new version', () => {
    expect(formChanges(v1, structuredClone(v1))).toEqual({ form: [], items: [], same: true });
  });

  it('names added, removed and changed fields with the settings that differ', () => {
    const next = edit((d) => {
      d.fields[0].label = 'Site name';
      d.fields.splice(3, 1);
      d.fields.push({ key: 'visited', label: 'Visited on', type: 'date', required: false });
    });
    const { items, same } = formChanges(v1, next);
    expect(same).toBe(false);
    expect(items).toEqual([
      { item: 'field', change: 'changed', key: 'site', label: 'Site name', settings: ['label'], breaking: [] },
      { item: 'field', change: 'added', key: 'visited', label: 'Visited on', settings: [], breaking: [] },
      { item: 'field', change: 'removed', key: 'notes', label: 'Notes', settings: [], breaking: ['removed'] },
    ]);
  });

  it('warns about each change that refuses answers given the old way', () => {
    const next = edit((d) => {
      d.fields[1].options = [{ value: 'good', label: 'Good' }];
      d.fields[1].required = true;
      d.fields[2].max = 50;
      d.fields[3].type = 'integer';
      d.fields.push({ key: 'meter', label: 'Meter', type: 'text', required: true });
      d.photos[0].label = 'Front of the building';
    });
    const breaking = breakingChanges(formChanges(v1, next));
    expect(breaking.map((c) => [c.key, c.breaking])).toEqual([
      ['condition', ['now_required', 'options_removed']],
      ['count', ['narrower']],
      ['notes', ['type']],
      ['meter', ['new_required']],
    ]);
  });

  it('does not warn about changes every old answer still satisfies', () => {
    const next = edit((d) => {
      d.fields[1].options!.push({ value: 'fair', label: 'Fair' });
      d.fields[2].max = 500;
      d.fields[2].type = 'decimal';
      d.fields.push({ key: 'extra', label: 'Extra', type: 'text', required: true, relevant: "${condition} = 'poor'" });
    });
    expect(breakingChanges(formChanges(v1, next))).toEqual([]);
  });

  it('reports photo and signature slots and the form settings, and a new order', () => {
    const next = edit((d) => {
      d.name = 'Site inspection';
      d.fields.reverse();
      d.photos.push({ side: 'back', label: 'Back', required: false, maxPixels: 8_000_000 });
      d.signatures[0].consentText = 'I confirm what I saw.';
    });
    const changes = formChanges(v1, next);
    expect(changes.form).toEqual(['name', 'order']);
    expect(changes.items).toEqual([
      { item: 'photo', change: 'added', key: 'back', label: 'Back', settings: [], breaking: [] },
      { item: 'signature', change: 'changed', key: 'inspector', label: 'Inspector', settings: ['consentText'], breaking: [] },
    ]);
  });

  it('has nothing to compare before the first version', () => {
    expect(formChanges(null, v1)).toEqual({ form: [], items: [], same: false });
  });
});
