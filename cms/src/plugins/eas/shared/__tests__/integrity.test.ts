import { describe, expect, it } from 'vitest';
import { canonical, contentDocument, integrityDocument, type IntegrityInput } from '../integrity';

const record: IntegrityInput = {
  reference: 'EAS-2026-000001',
  clientId: '00000000-0000-4000-8000-000000000001',
  form: 'site-inspection',
  formVersion: 2,
  definitionSha256: '9'.repeat(64),
  owner: 7,
  capturedBy: 'field.demo',
  data: { site_name: 'North depot', people: 3, a_b: true },
  capturedAt: '2026-05-01T09:30:00Z',
  location: { lat: 51.5, lng: -0.12 },
  photos: [
    { side: 'front', sha256: 'a'.repeat(64), receivedSha256: '1'.repeat(64), metadata: { takenAt: '2026-05-01T09:29:00Z' } },
    { side: 'back', sha256: 'b'.repeat(64), receivedSha256: '2'.repeat(64), metadata: null },
  ],
  signatures: [
    {
      slot: 'client',
      sha256: 'c'.repeat(64),
      signerName: 'Ada',
      signedAt: '2026-05-01T09:35:00Z',
      contentHash: 'd'.repeat(64),
      strokesSha256: 'e'.repeat(64),
      role: 'Client',
      consentText: 'I agree.',
    },
  ],
};

describe('canonical JSON (RFC 8785)', () => {
  it('sorts keys by UTF-16 code units, whatever the locale, and writes no whitespace', () => {
    // localeCompare would put "a_b" after "ab"; code-unit order puts "_" (0x5F) before "b" (0x62).
    expect(canonical({ ab: 1, a_b: 2, B: 3, é: 4 })).toBe('{"B":3,"a_b":2,"ab":1,"é":4}');
    expect(canonical({ n: 1e21, f: 0.1, neg: -0 })).toBe('{"f":0.1,"n":1e+21,"neg":0}');
  });
});

describe('the integrity document (v2)', () => {
  it('is the documented canonical text', () => {
    expect(integrityDocument(record)).toBe(
      '{"capturedAt":"2026-05-01T09:30:00.000Z","capturedBy":"field.demo","clientId":"00000000-0000-4000-8000-000000000001","data":{"a_b":true,"people":3,"site_name":"North depot"},' +
        `"definitionSha256":"${'9'.repeat(64)}","form":"site-inspection","formVersion":2,"kind":"eas-record","location":{"lat":51.5,"lng":-0.12},"owner":7,` +
        `"photos":[{"metadata":null,"receivedSha256":"${'2'.repeat(64)}","sha256":"${'b'.repeat(64)}","side":"back"},{"metadata":{"takenAt":"2026-05-01T09:29:00Z"},"receivedSha256":"${'1'.repeat(64)}","sha256":"${'a'.repeat(64)}","side":"front"}],` +
        `"reference":"EAS-2026-000001","signatures":[{"consentText":"I agree.","contentHash":"${'d'.repeat(64)}","role":"Client","sha256":"${'c'.repeat(64)}","signedAt":"2026-05-01T09:35:00.000Z","signerName":"Ada","slot":"client","strokesSha256":"${'e'.repeat(64)}"}],"v":2}`
    );
  });

  it('does not depend on the order media were added in, and changes with any part', () => {
    const base = integrityDocument(record);
    expect(integrityDocument({ ...record, photos: [...record.photos].reverse() })).toBe(base);
    for (const change of [
      { data: { ...record.data, people: 4 } },
      { owner: 8 },
      { capturedBy: 'someone.else' },
      { photos: [{ ...record.photos[0], metadata: { takenAt: '2026-05-02T09:29:00Z' } }, record.photos[1]] },
      { signatures: [{ ...record.signatures[0], role: 'Inspector' }] },
      { signatures: [{ ...record.signatures[0], consentText: 'I agree to anything.' }] },
      { definitionSha256: '8'.repeat(64) },
      { photos: [{ ...record.photos[0], sha256: 'f'.repeat(64) }, record.photos[1]] },
      { signatures: [{ ...record.signatures[0], contentHash: 'f'.repeat(64) }] },
      { signatures: [{ ...record.signatures[0], strokesSha256: 'f'.repeat(64) }] },
      { signatures: [] },
    ]) {
      expect(integrityDocument({ ...record, ...change })).not.toBe(base);
    }
  });
});

describe('the content document (what a signature endorses)', () => {
  const content = {
    clientId: record.clientId,
    form: record.form,
    formVersion: 2,
    data: record.data,
    capturedAt: record.capturedAt,
    location: record.location,
    photos: [{ side: 'front', sha256: '1'.repeat(64) }],
  };

  it('covers the data and the photos as sent, not the signatures', () => {
    expect(contentDocument(content)).toBe(
      `{"capturedAt":"2026-05-01T09:30:00.000Z","clientId":"${record.clientId}","data":{"a_b":true,"people":3,"site_name":"North depot"},"form":"site-inspection","formVersion":2,"kind":"eas-content","location":{"lat":51.5,"lng":-0.12},"photos":[{"sha256":"${'1'.repeat(64)}","side":"front"}],"v":1}`
    );
    expect(contentDocument({ ...content, data: { ...content.data, people: 5 } })).not.toBe(contentDocument(content));
    expect(contentDocument({ ...content, photos: [] })).not.toBe(contentDocument(content));
  });
});
