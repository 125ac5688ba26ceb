import { describe, expect, it } from 'vitest';
import { en } from '../../i18n/en';
import { checkPixels, issueMessage, needsDecision, otherSide, withOverride, type PhotoCheck } from '../photo-check';

/** RGBA of a `w`×`h` picture whose grey level at (x, y) is `f(x, y)`. */
const rgba = (w: number, h: number, f: (x: number, y: number) => number) => {
  const data = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const v = f(x, y);
      data.set([v, v, v, 255], (y * w + x) * 4);
    }
  return data;
};
const W = 240;
const H = 180;
/** Smooth hills with fine grain: what a sharp, well-exposed photo looks like to the measures. */
const scene = (x: number, y: number) => 128 + 70 * Math.sin(x / 30) * Math.cos(y / 25) + (((x * 7 + y * 13) % 5) - 2) * 12;
const base = { width: W, height: H, size: { width: 4000, height: 3000 }, slot: {}, otherSideHash: null };

describe("the phone's photo quality check (pure)", () => {
  it('passes a sharp, well exposed photo and hashes it', () => {
    const check = checkPixels({ ...base, rgba: rgba(W, H, scene) });
    expect(check.issues).toEqual([]);
    expect(check.hash).toMatch(/^[0-9a-f]{16}$/);
    expect(check.canOverride).toBe(true);
  });

  it('warns about a smooth (blurred), a dark and a burnt-out photo', () => {
    expect(checkPixels({ ...base, rgba: rgba(W, H, (x, y) => 128 + 70 * Math.sin(x / 30) * Math.cos(y / 25)) }).issues).toEqual([
      'blurred',
    ]);
    expect(checkPixels({ ...base, rgba: rgba(W, H, (x, y) => scene(x, y) * 0.1) }).issues).toContain('dark');
    expect(checkPixels({ ...base, rgba: rgba(W, H, (x, y) => Math.min(255, scene(x, y) + 150)) }).issues).toContain('overexposed');
  });

  it('warns below the slot minimum and when the photo repeats the other side; the slot decides about "Use anyway"', () => {
    const front = checkPixels({ ...base, rgba: rgba(W, H, scene) });
    const back = checkPixels({
      ...base,
      rgba: rgba(W, H, (x, y) => scene(x + 2, y)),
      size: { width: 800, height: 600 },
      slot: { minWidth: 1600, allowOverride: false },
      otherSideHash: front.hash,
    });
    expect(back.issues).toEqual(['low_resolution', 'same_as_other_side']);
    expect(back.canOverride).toBe(false);
  });

  it('has a message for every warning', () => {
    for (const issue of ['blurred', 'dark', 'overexposed', 'low_resolution', 'same_as_other_side'] as const)
      expect(en[issueMessage(issue)]).toBeTruthy();
  });
});

describe('what the slot does with the check', () => {
  const check = (issues: PhotoCheck['issues'], canOverride = true): PhotoCheck => ({
    issues,
    canOverride,
    hash: null,
    measures: { sharpness: 0, meanLuminance: 20, darkShare: 1, brightShare: 0 },
  });

  it('holds back a photo only when it has warnings (a check that could not run holds nothing back)', () => {
    expect(needsDecision(check(['dark']))).toBe(true);
    expect(needsDecision(check([]))).toBe(false);
    expect(needsDecision(null)).toBe(false);
  });

  it('records the warnings overridden with "Use anyway" in the metadata, as the server stores them', () => {
    const metadata = { takenAt: '2026-12-01T10:00:00.000Z', device: 'Pixel 7' };
    expect(withOverride(metadata, check(['blurred', 'dark']))).toEqual({ ...metadata, qualityOverride: ['blurred', 'dark'] });
    expect(metadata).not.toHaveProperty('qualityOverride');
    expect(withOverride(metadata, check(['blurred'], false))).toEqual(metadata);
    expect(withOverride(metadata, check([]))).toEqual(metadata);
  });

  it('compares front with back and back with front, photo fields with nothing', () => {
    expect(otherSide('front')).toBe('back');
    expect(otherSide('back')).toBe('front');
    expect(otherSide('meter_room')).toBeNull();
  });
});
