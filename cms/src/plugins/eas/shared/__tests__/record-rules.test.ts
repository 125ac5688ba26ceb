import { describe, expect, it } from 'vitest';
import { describeOutstanding, isComplete, outstanding } from '../record-rules';

const definition = {
  photos: [
    { side: 'front' as const, required: true, label: 'Meter', maxPixels: 1 },
    { side: 'back' as const, required: false, label: 'Surroundings', maxPixels: 1 },
  ],
  signatures: [
    { key: 'client', role: 'Client', consentText: 'I confirm.', required: true },
    { key: 'witness', role: 'Witness', consentText: 'I saw it.', required: false },
  ],
};

describe('what a record still needs before it can be submitted', () => {
  it('lists required photos and signatures not given yet', () => {
    const left = outstanding(definition, { photos: [], signatures: [] }, 'h1');
    expect(left).toEqual({ photos: ['front'], signatures: ['client'], staleSignatures: [] });
    expect(isComplete(left)).toBe(false);
    expect(describeOutstanding(left, definition)).toBe('missing the front photo ("Meter"), the signature of the Client ("client")');
  });

  it('counts a signature only while it endorses the content the record holds now', () => {
    const record = {
      photos: [{ side: 'front' }],
      signatures: [
        { slot: 'client', contentHash: 'h1' },
        { slot: 'witness', contentHash: 'h0' },
      ],
    };
    expect(outstanding(definition, record, 'h1')).toEqual({ photos: [], signatures: [], staleSignatures: ['witness'] });
    const changed = outstanding(definition, record, 'h2');
    expect(changed).toEqual({ photos: [], signatures: ['client'], staleSignatures: ['client', 'witness'] });
    expect(isComplete(changed)).toBe(false);
    expect(describeOutstanding(changed, definition)).toContain('the signature of the Client ("client") was given over different content');
    expect(
      isComplete(outstanding(definition, { photos: [{ side: 'front' }], signatures: [{ slot: 'client', contentHash: 'h2' }] }, 'h2'))
    ).toBe(true);
  });
});
