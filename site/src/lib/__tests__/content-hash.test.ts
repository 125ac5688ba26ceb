import { describe, expect, it } from 'vitest';
import { contentHashOf } from '../../../../cms/src/plugins/eas/server/src/utils/record-state';
import { draftContentHash, staleSignatures } from '../content-hash';
import type { Draft } from '../draft';
import { sha256Hex } from '../hash';
import { definition } from './fake-server';

const blob = (text: string) => new Blob([new TextEncoder().encode(text)], { type: 'image/jpeg' });

const draft = (): Draft => ({
  clientId: '00000000-0000-4000-8000-000000000001',
  form: { slug: 'inspection', name: 'Site inspection', version: 3 },
  // As typed: surrounding spaces, which the shared validator trims (the server stores the trimmed value).
  data: { site: '  North depot ', score: 7 },
  capturedAt: '2026-05-01T09:30:00.000Z',
  location: { lat: 51.5, lng: -0.12, accuracy: 8 },
  photos: {
    back: { blob: blob('back bytes'), width: 1, height: 1, originalSha256: 'a'.repeat(64), metadata: {} },
    front: { blob: blob('front bytes'), width: 1, height: 1, originalSha256: 'b'.repeat(64), metadata: {} },
  },
  signatures: {},
  updatedAt: 0,
});

describe('the content hash a signature endorses', () => {
  it('is the same on the phone as the server computes from what it stored', async () => {
    const d = draft();
    const stored = {
      clientId: d.clientId,
      formVersion: { slug: 'inspection', version: 3, definition },
      data: { site: 'North depot', score: 7 },
      capturedAt: new Date(d.capturedAt).toISOString(),
      location: d.location,
      photos: [
        { side: 'front', receivedSha256: await sha256Hex(d.photos.front!.blob) },
        { side: 'back', receivedSha256: await sha256Hex(d.photos.back!.blob) },
      ],
    };
    expect(await draftContentHash(d, definition)).toBe(contentHashOf(stored as never));
  });

  it('changes with a value, the capture place or a photo, so a signature given before no longer counts', async () => {
    const d = draft();
    const base = await draftContentHash(d, definition);
    expect(await draftContentHash({ ...d, data: { ...d.data, score: 8 } }, definition)).not.toBe(base);
    expect(await draftContentHash({ ...d, location: { lat: 51.5, lng: -0.13 } }, definition)).not.toBe(base);
    expect(
      await draftContentHash({ ...d, photos: { ...d.photos, front: { ...d.photos.front!, blob: blob('retaken') } } }, definition)
    ).not.toBe(base);
    const signature = {
      png: blob('sig'),
      strokes: [],
      signerName: 'Ada',
      consentText: 'I confirm this inspection.',
      signedAt: d.capturedAt,
      contentHash: base,
    };
    expect(await staleSignatures({ ...d, signatures: { inspector: signature } }, definition)).toEqual([]);
    expect(await staleSignatures({ ...d, data: { ...d.data, score: 8 }, signatures: { inspector: signature } }, definition)).toEqual([
      'inspector',
    ]);
  });
});
