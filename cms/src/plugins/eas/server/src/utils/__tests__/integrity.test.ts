import { createHash } from 'crypto';
import { describe, expect, it } from 'vitest';
import { integrityDocument, integrityHash, type IntegrityInput } from '../integrity';

const record: IntegrityInput = {
  reference: 'EAS-2026-000001',
  form: 'site-inspection',
  formVersion: 2,
  data: { site_name: 'North depot', people: 3 },
  capturedAt: '2026-05-01T09:30:00.000Z',
  location: { lat: 51.5, lng: -0.12 },
  photos: [
    { side: 'front', sha256: 'a'.repeat(64) },
    { side: 'back', sha256: 'b'.repeat(64) },
  ],
  signatures: [{ slot: 'client', sha256: 'c'.repeat(64), signerName: 'Ada', signedAt: '2026-05-01T09:35:00Z' }],
};

describe('integrity hash', () => {
  it('is the SHA-256 of the documented canonical document', () => {
    const doc = integrityDocument(record);
    expect(doc).toBe(
      '{"capturedAt":"2026-05-01T09:30:00.000Z","data":{"people":3,"site_name":"North depot"},"form":"site-inspection","formVersion":2,' +
        '"location":{"lat":51.5,"lng":-0.12},"photos":[{"sha256":"' + 'b'.repeat(64) + '","side":"back"},{"sha256":"' + 'a'.repeat(64) + '","side":"front"}],' +
        '"reference":"EAS-2026-000001","signatures":[{"sha256":"' + 'c'.repeat(64) + '","signedAt":"2026-05-01T09:35:00.000Z","signerName":"Ada","slot":"client"}],"v":1}'
    );
    expect(integrityHash(record)).toBe(createHash('sha256').update(doc).digest('hex'));
  });

  it('does not depend on the order media were added in', () => {
    expect(integrityHash({ ...record, photos: [...record.photos].reverse() })).toBe(integrityHash(record));
  });

  it('changes when a photo, a value or a signature changes', () => {
    const base = integrityHash(record);
    expect(integrityHash({ ...record, photos: [{ side: 'front', sha256: 'd'.repeat(64) }, record.photos[1]] })).not.toBe(base);
    expect(integrityHash({ ...record, data: { ...record.data, people: 4 } })).not.toBe(base);
    expect(integrityHash({ ...record, signatures: [] })).not.toBe(base);
  });
});
