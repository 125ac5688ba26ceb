import { describe, expect, it } from 'vitest';
import { consistencyFlags, dHash, distanceMetres, hamming, measure, qualityIssues, toGrey, type Grey } from '../photo-quality';

/** A deterministic greyscale picture: a checkerboard of `cell`-pixel squares. */
const checker = (w: number, h: number, cell: number, lo = 40, hi = 200): Grey => {
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = (Math.floor(x / cell) + Math.floor(y / cell)) % 2 ? hi : lo;
  return { width: w, height: h, data };
};
/** Smooth hills: what a perceptual hash keys on. */
const hills = (w: number, h: number, f: number, shift = 0): Grey => {
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) data[y * w + x] = Math.round(128 + 100 * Math.sin((x + shift) / f) * Math.cos(y / (f * 0.8)));
  return { width: w, height: h, data };
};
const flat = (w: number, h: number, v: number): Grey => ({ width: w, height: h, data: new Uint8Array(w * h).fill(v) });
const ok = { sharpness: 500, meanLuminance: 120, darkShare: 0, brightShare: 0 };

describe('photo quality measures', () => {
  it('a fine checkerboard is sharp, a flat grey has no edges at all', () => {
    expect(measure(checker(64, 48, 2)).sharpness).toBeGreaterThan(1000);
    expect(measure(flat(64, 48, 128)).sharpness).toBe(0);
  });

  it('reports the mean luminance and the shares of crushed and burnt pixels', () => {
    expect(measure(flat(10, 10, 5))).toMatchObject({ meanLuminance: 5, darkShare: 1, brightShare: 0 });
    expect(measure(flat(10, 10, 255))).toMatchObject({ meanLuminance: 255, darkShare: 0, brightShare: 1 });
  });

  it('turns canvas RGBA into the greyscale the server uses', () => {
    const rgba = new Uint8ClampedArray([255, 0, 0, 255, 0, 255, 0, 255]);
    expect([...toGrey(rgba, 2, 1).data]).toEqual([76, 150]);
  });

  it('names each issue against the thresholds', () => {
    expect(qualityIssues(ok, { width: 2000, height: 1500 })).toEqual([]);
    expect(qualityIssues({ ...ok, sharpness: 10 }, { width: 2000, height: 1500 })).toEqual(['blurred']);
    expect(qualityIssues({ ...ok, meanLuminance: 20 }, { width: 2000, height: 1500 })).toEqual(['dark']);
    expect(qualityIssues({ ...ok, meanLuminance: 200, brightShare: 0.7 }, { width: 2000, height: 1500 })).toEqual(['overexposed']);
  });

  it('checks the minimum resolution in either orientation and in megapixels', () => {
    const slot = { minWidth: 1600, minHeight: 1200 };
    expect(qualityIssues(ok, { width: 1200, height: 1600 }, slot)).toEqual([]);
    expect(qualityIssues(ok, { width: 1599, height: 1200 }, slot)).toEqual(['low_resolution']);
    expect(qualityIssues(ok, { width: 1000, height: 1000 }, { minMegapixels: 2 })).toEqual(['low_resolution']);
  });

  it('a hash survives a small shift; different pictures and featureless ones do not match', () => {
    const a = hills(180, 160, 25);
    const shifted = hills(180, 160, 25, 3);
    const h = dHash(a)!;
    expect(h).toMatch(/^[0-9a-f]{16}$/);
    expect(hamming(h, dHash(shifted)!)).toBeLessThanOrEqual(10);
    expect(hamming(h, dHash(hills(180, 160, 9))!)).toBeGreaterThan(10);
    expect(dHash(flat(90, 80, 30))).toBeNull();
    expect(qualityIssues(ok, { width: 2000, height: 1500 }, {}, { mine: h, other: dHash(shifted) })).toEqual(['same_as_other_side']);
  });

  it('flags EXIF time and position beyond the limits, not within them', () => {
    const limits = { timeSkewMinutes: 30, gpsDistanceMetres: 500 };
    const record = { capturedAt: '2026-05-01T10:00:00Z', location: { lat: 52.52, lng: 13.405 } };
    expect(consistencyFlags({ takenAt: '2026-05-01T10:20:00Z', gps: { lat: 52.521, lng: 13.405 } }, record, limits)).toEqual([]);
    // An hour off and 5 km further north.
    expect(consistencyFlags({ takenAt: '2026-05-01T11:00:00Z', gps: { lat: 52.565, lng: 13.405 } }, record, limits)).toEqual([
      'time_mismatch',
      'gps_mismatch',
    ]);
    expect(Math.round(distanceMetres(record.location, { lat: 52.565, lng: 13.405 }) / 100)).toBe(50);
    expect(consistencyFlags({}, record, limits)).toEqual([]);
  });
});
