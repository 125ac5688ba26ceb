import { describe, expect, it } from 'vitest';
import { entryNames, errorsText, partName, remainingPositions, storedPositions } from '../export-plan';

describe('export plan (resuming a bulk export)', () => {
  it('a resumed export renders only the positions with neither a stored part nor a failure', () => {
    const stored = storedPositions([partName(0), partName(2), `${partName(3)}.ab12.part`, 'export.zip', partName(9)], 5);
    // Half-written parts (".part"), the ZIP and positions outside the selection do not count.
    expect([...stored].sort()).toEqual([0, 2]);
    expect(remainingPositions(5, stored, [{ index: 4, reference: 'EAS-4', error: 'gone' }])).toEqual([1, 3]);
  });

  it('names entries in selection order whatever order the parts were stored in, numbering repeated references', () => {
    expect(
      entryNames([
        { index: 3, reference: 'EAS-B' },
        { index: 0, reference: 'EAS-A' },
        { index: 1, reference: 'EAS-B' },
      ])
    ).toEqual([
      { index: 0, name: 'EAS-A.pdf' },
      { index: 1, name: 'EAS-B.pdf' },
      { index: 3, name: 'EAS-B-2.pdf' },
    ]);
  });

  it('the same parts give the same names on every try (a record is never in the ZIP twice)', () => {
    const parts = [0, 1, 2].map((index) => ({ index, reference: `EAS-${index}` }));
    expect(entryNames([...parts].reverse())).toEqual(entryNames(parts));
    expect(new Set(entryNames(parts).map((e) => e.name)).size).toBe(3);
  });

  it('lists failures one per line in selection order', () => {
    expect(
      errorsText([
        { index: 5, reference: 'EAS-5', error: 'No such record' },
        { index: 1, reference: 'EAS-1', error: 'Rendering took longer than 30 s' },
      ])
    ).toBe('EAS-1: Rendering took longer than 30 s\nEAS-5: No such record');
  });

  it('part names sort like positions', () => {
    expect([partName(10), partName(9), partName(100)].sort()).toEqual([partName(9), partName(10), partName(100)]);
  });
});
