import { describe, expect, it } from 'vitest';
import { dispositionName } from '../save-file';

describe('dispositionName', () => {
  it('reads the file name of a Content-Disposition header', () => {
    expect(dispositionName('attachment; filename="eas-records-2026-05-01.csv"')).toBe('eas-records-2026-05-01.csv');
    expect(dispositionName('attachment; filename=records.xlsx')).toBe('records.xlsx');
    expect(dispositionName(`attachment; filename="a.zip"; filename*=UTF-8''rel%C3%A9v%C3%A9s.zip`)).toBe('relévés.zip');
  });

  it('is null without a name', () => {
    expect(dispositionName(null)).toBeNull();
    expect(dispositionName('attachment')).toBeNull();
  });
});
