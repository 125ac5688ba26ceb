import { describe, expect, it } from 'vitest';
import { DEFAULT_CHOICES, exportRequest } from '../export-request';

describe('exportRequest', () => {
  it('sends only what was chosen', () => {
    expect(exportRequest({ ...DEFAULT_CHOICES, form: 'inspection' })).toEqual({
      form: 'inspection',
      format: 'csv',
      header: 'key',
      profile: 'all',
    });
  });

  it('turns the chosen version and field staff into numbers and keeps the filters', () => {
    expect(
      exportRequest({
        ...DEFAULT_CHOICES,
        form: 'inspection',
        format: 'xlsx',
        version: '2',
        status: 'approved',
        from: '2026-05-01',
        to: '2026-05-31',
        owner: '7',
        profile: 'no-personal',
      })
    ).toEqual({
      form: 'inspection',
      format: 'xlsx',
      version: 2,
      status: 'approved',
      from: '2026-05-01',
      to: '2026-05-31',
      owner: 7,
      header: 'key',
      profile: 'no-personal',
    });
  });

  it('asks for a byte order mark only where there are CSV files (a CSV, the tables in a ZIP)', () => {
    expect(exportRequest({ ...DEFAULT_CHOICES, form: 'f', bom: true }).bom).toBe(true);
    expect(exportRequest({ ...DEFAULT_CHOICES, form: 'f', format: 'zip', bom: true }).bom).toBe(true);
    expect(exportRequest({ ...DEFAULT_CHOICES, form: 'f', format: 'xlsx', bom: true })).not.toHaveProperty('bom');
    expect(exportRequest({ ...DEFAULT_CHOICES, form: 'f' })).not.toHaveProperty('bom');
  });

  it('names a language only for labels of a form in several languages', () => {
    const choices = { ...DEFAULT_CHOICES, form: 'f', header: 'label' as const, language: 'fr' };
    expect(exportRequest(choices, ['en', 'fr']).language).toBe('fr');
    expect(exportRequest(choices, ['en'])).not.toHaveProperty('language');
    expect(exportRequest({ ...choices, header: 'key' }, ['en', 'fr'])).not.toHaveProperty('language');
    expect(exportRequest({ ...choices, language: 'sw' }, ['en', 'fr'])).not.toHaveProperty('language');
  });
});
