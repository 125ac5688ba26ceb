import { describe, expect, it } from 'vitest';
import { hamming } from '../../../../shared/photo-quality';
import { analysePhoto } from '../photo-quality';
import { photoVerdict } from '../photo-verdict';
import { blurred, burnt, dark, recropped, scene, tiny } from './photo-fixtures';

const limits = { timeSkewMinutes: 30, gpsDistanceMetres: 500 };
const slot = { side: 'front' as const, required: true, label: 'Front', maxPixels: 8e6, minWidth: 1024, minHeight: 768 };
const record = { capturedAt: '2026-05-01T10:00:00.000Z', location: { lat: 52.52, lng: 13.405 } };

const verdict = async (img: Buffer, extra: Partial<Parameters<typeof photoVerdict>[0]> = {}) =>
  photoVerdict({
    analysis: await analysePhoto(img),
    size: { width: 1600, height: 1200 },
    slot,
    metadata: null,
    record,
    otherSideHash: null,
    others: [],
    limits,
    ...extra,
  });

describe('photo quality on the server (sharp-generated photos)', async () => {
  const sharpScene = await scene(0);
  const a = await analysePhoto(sharpScene);

  it('a sharp, well exposed photo has no flags', async () => {
    expect((await verdict(sharpScene)).flags).toEqual([]);
  });

  it('flags blurred, dark and burnt-out copies of it', async () => {
    expect((await verdict(await blurred(sharpScene))).flags).toEqual(['blurred']);
    expect((await verdict(await dark(sharpScene))).flags).toContain('dark');
    expect((await verdict(await burnt(sharpScene))).flags).toContain('overexposed');
  });

  it('flags a photo below the slot minimum', async () => {
    expect((await verdict(await tiny(sharpScene), { size: { width: 320, height: 240 } })).flags).toContain('low_resolution');
  });

  it('finds a cropped, re-encoded copy in another record, but not a different scene', async () => {
    const copy = await analysePhoto(await recropped(sharpScene));
    const other = await analysePhoto(await scene(7));
    expect(hamming(a.hash!, copy.hash!)).toBeLessThanOrEqual(10);
    const v = await verdict(await recropped(sharpScene), {
      others: [
        { hash: a.hash!, reference: 'EAS-1' },
        { hash: other.hash!, reference: 'EAS-2' },
      ],
    });
    expect(v.flags).toEqual(['duplicate_of_other_record']);
    expect(v.duplicateOf).toEqual(['EAS-1']);
    expect((await verdict(await scene(7), { others: [{ hash: a.hash!, reference: 'EAS-1' }] })).flags).toEqual([]);
  });

  it('flags the back photo that is the front photo again', async () => {
    expect((await verdict(await recropped(sharpScene), { otherSideHash: a.hash })).flags).toEqual(['same_as_other_side']);
  });

  it('flags EXIF an hour off and 5 km off, and records an override only where the slot allows one', async () => {
    const metadata = { takenAt: '2026-05-01T11:00:00.000Z', gps: { lat: 52.565, lng: 13.405 }, qualityOverride: ['blurred' as const] };
    const v = await verdict(sharpScene, { metadata });
    expect(v.flags).toEqual(['time_mismatch', 'gps_mismatch']);
    expect(v.overridden).toEqual(['blurred']);
    expect((await verdict(sharpScene, { metadata, slot: { ...slot, allowOverride: false } })).overridden).toEqual([]);
  });
});
