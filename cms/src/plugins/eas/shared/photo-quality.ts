/**
 * Photo quality gates: the measures and thresholds shared by the server (sharp gives the pixels) and the capture
 * site (a Web Worker gives the pixels). Pure code: everything works on an 8-bit greyscale buffer of a downscaled
 * copy (long edge QUALITY_EDGE), so the phone and the server compute the same numbers. See docs/photo-quality.md.
 */

/** Long edge of the greyscale copy the measures are computed on (both sides downscale to this first). */
export const QUALITY_EDGE = 512;

export const PHOTO_THRESHOLDS = {
  /** Variance of the Laplacian (4-neighbour kernel) below this: blurred. */
  minSharpness: 60,
  /** Mean luminance below this (0–255): too dark … */
  darkMean: 45,
  /** … or more than this share of pixels at ≤ 16. */
  darkShare: 0.6,
  /** Mean luminance above this: over-exposed … */
  brightMean: 225,
  /** … or more than this share of pixels at ≥ 250 (burnt out). */
  burntShare: 0.5,
  /** dHash (64 bits) Hamming distance at or below this: the same scene (near-duplicate). */
  maxDuplicateDistance: 10,
  /** Grey levels between the darkest and brightest dHash cell below which a picture has no hash (featureless). */
  minHashContrast: 12,
  /** Slot default when the form sets no minimum resolution (megapixels of the received photo). */
  defaultMinMegapixels: 0,
} as const;

export type QualityIssue = 'blurred' | 'dark' | 'overexposed' | 'low_resolution' | 'same_as_other_side';
export type ConsistencyFlag = 'time_mismatch' | 'gps_mismatch' | 'duplicate_of_other_record';
export type PhotoFlag = QualityIssue | ConsistencyFlag;
export const QUALITY_ISSUES: readonly QualityIssue[] = ['blurred', 'dark', 'overexposed', 'low_resolution', 'same_as_other_side'];
export const PHOTO_FLAGS: readonly PhotoFlag[] = [...QUALITY_ISSUES, 'time_mismatch', 'gps_mismatch', 'duplicate_of_other_record'];

export interface Grey {
  width: number;
  height: number;
  /** One byte per pixel, row-major. */
  data: Uint8Array | Uint8ClampedArray;
}

export interface QualityMeasures {
  sharpness: number;
  meanLuminance: number;
  darkShare: number;
  brightShare: number;
}

/** RGBA (canvas ImageData) to greyscale with the Rec. 601 weights sharp's greyscale() uses. */
export const toGrey = (rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): Grey => {
  const data = new Uint8Array(width * height);
  for (let i = 0, j = 0; i < data.length; i++, j += 4) data[i] = Math.round(0.299 * rgba[j]! + 0.587 * rgba[j + 1]! + 0.114 * rgba[j + 2]!);
  return { width, height, data };
};

/** Variance of the Laplacian over the inner pixels, plus the luminance histogram's mean and tails — one pass each. */
export const measure = ({ width, height, data }: Grey): QualityMeasures => {
  let sum = 0;
  let sumSq = 0;
  let n = 0;
  for (let y = 1; y < height - 1; y++) {
    const row = y * width;
    for (let x = 1; x < width - 1; x++) {
      const i = row + x;
      const lap = data[i - 1]! + data[i + 1]! + data[i - width]! + data[i + width]! - 4 * data[i]!;
      sum += lap;
      sumSq += lap * lap;
      n++;
    }
  }
  let total = 0;
  let dark = 0;
  let bright = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    total += v;
    if (v <= 16) dark++;
    if (v >= 250) bright++;
  }
  const mean = n ? sum / n : 0;
  const px = data.length || 1;
  return {
    sharpness: round(n ? sumSq / n - mean * mean : 0),
    meanLuminance: round(total / px),
    darkShare: round(dark / px, 3),
    brightShare: round(bright / px, 3),
  };
};

const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;

/** Area-average resize of a greyscale buffer (the dHash's 9×8 grid; also usable for any downscale). */
export const resizeGrey = (src: Grey, width: number, height: number): Grey => {
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const y0 = Math.floor((y * src.height) / height);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * src.height) / height));
    for (let x = 0; x < width; x++) {
      const x0 = Math.floor((x * src.width) / width);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * src.width) / width));
      let s = 0;
      for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) s += src.data[yy * src.width + xx]!;
      out[y * width + x] = Math.round(s / ((y1 - y0) * (x1 - x0)));
    }
  }
  return { width, height, data: out };
};

/**
 * Difference hash: 64 bits (16 hex digits), each "is this cell brighter than its right neighbour" on a 9×8 grid.
 * null for a featureless picture (a blank wall, a black frame): its bits would be noise and match any other.
 */
export const dHash = (grey: Grey): string | null => {
  const g = resizeGrey(grey, 9, 8);
  let lo = 255;
  let hi = 0;
  for (const v of g.data) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  if (hi - lo < PHOTO_THRESHOLDS.minHashContrast) return null;
  let hex = '';
  for (let y = 0; y < 8; y++) {
    let byte = 0;
    for (let x = 0; x < 8; x++) byte = (byte << 1) | (g.data[y * 9 + x]! > g.data[y * 9 + x + 1]! ? 1 : 0);
    hex += byte.toString(16).padStart(2, '0');
  }
  return hex;
};

/** Bits that differ between two hashes of equal length (hex). */
export const hamming = (a: string, b: string): number => {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let d = 0;
  for (let i = 0; i < a.length; i++) {
    let x = parseInt(a[i]!, 16) ^ parseInt(b[i]!, 16);
    while (x) {
      d += x & 1;
      x >>= 1;
    }
  }
  return d;
};

export const isNearDuplicate = (a: string, b: string, max: number = PHOTO_THRESHOLDS.maxDuplicateDistance) => hamming(a, b) <= max;

/** Distance in metres between two points (haversine, mean Earth radius). */
export const distanceMetres = (a: { lat: number; lng: number }, b: { lat: number; lng: number }): number => {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.min(1, Math.sqrt(h)));
};

export interface SlotRequirement {
  minWidth?: number;
  minHeight?: number;
  minMegapixels?: number;
}

/** The quality issues of one photo: the measures against the thresholds, its size against the slot's minimum. */
export const qualityIssues = (
  m: QualityMeasures,
  size: { width: number; height: number },
  slot: SlotRequirement = {},
  otherSideHash?: { mine: string | null; other: string | null }
): QualityIssue[] => {
  const t = PHOTO_THRESHOLDS;
  const issues: QualityIssue[] = [];
  if (m.sharpness < t.minSharpness) issues.push('blurred');
  if (m.meanLuminance < t.darkMean || m.darkShare > t.darkShare) issues.push('dark');
  if (m.meanLuminance > t.brightMean || m.brightShare > t.burntShare) issues.push('overexposed');
  // A portrait photo meets a landscape minimum turned round: compare long edge with long edge.
  const [long, short] = size.width >= size.height ? [size.width, size.height] : [size.height, size.width];
  const [minLong, minShort] =
    (slot.minWidth ?? 0) >= (slot.minHeight ?? 0) ? [slot.minWidth ?? 0, slot.minHeight ?? 0] : [slot.minHeight ?? 0, slot.minWidth ?? 0];
  if (long < minLong || short < minShort || (slot.minMegapixels ?? 0) * 1e6 > size.width * size.height) issues.push('low_resolution');
  if (otherSideHash?.mine && otherSideHash.other && isNearDuplicate(otherSideHash.mine, otherSideHash.other))
    issues.push('same_as_other_side');
  return issues;
};

export interface ConsistencyLimits {
  timeSkewMinutes: number;
  gpsDistanceMetres: number;
}

/** Device EXIF against the record: capture time and place further apart than the limits are flagged. */
export const consistencyFlags = (
  exif: { takenAt?: string | null; gps?: { lat: number; lng: number } | null },
  record: { capturedAt: string; location?: { lat: number; lng: number } | null },
  limits: ConsistencyLimits
): ConsistencyFlag[] => {
  const flags: ConsistencyFlag[] = [];
  const taken = exif.takenAt ? Date.parse(exif.takenAt) : NaN;
  const captured = Date.parse(record.capturedAt);
  if (Number.isFinite(taken) && Number.isFinite(captured) && Math.abs(taken - captured) > limits.timeSkewMinutes * 60_000)
    flags.push('time_mismatch');
  if (exif.gps && record.location && distanceMetres(exif.gps, record.location) > limits.gpsDistanceMetres) flags.push('gps_mismatch');
  return flags;
};
