/**
 * A photo as the draft keeps it, from the original capture: the SHA-256 of the original's bytes, its EXIF metadata,
 * and a JPEG downscaled to the slot's pixel limit (the copy that is uploaded) — with the quality check's verdict on
 * that copy (lib/photo-check.ts, in a worker, on a small copy made from the same decode). The EXIF reader, the
 * downscaler and the check are loaded when the first photo is taken.
 */
import type { PhotoSlotDefinition } from '../../../cms/src/plugins/eas/shared/contracts/form';
import { QUALITY_EDGE } from '../../../cms/src/plugins/eas/shared/photo-quality';
import type { DraftPhoto } from './draft';
import { sha256Hex } from './hash';
import type { PhotoCheck } from './photo-check';

export interface PreparedPhoto {
  photo: DraftPhoto;
  /** null when the check could not run (the photo is then taken as it is; the server still measures it). */
  check: PhotoCheck | null;
}

export const preparePhoto = async (
  original: Blob,
  slot: Pick<PhotoSlotDefinition, 'maxPixels' | 'minWidth' | 'minHeight' | 'minMegapixels' | 'allowOverride'>,
  otherSideHash: string | null = null
): Promise<PreparedPhoto> => {
  const [{ readPhotoMetadata }, { downscaleToJpeg }, { runPhotoCheck }] = await Promise.all([
    import('./exif'),
    import('./downscale'),
    import('./run-photo-check'),
  ]);
  const [originalSha256, metadata, scaled] = await Promise.all([
    sha256Hex(original),
    readPhotoMetadata(original),
    downscaleToJpeg(original, slot.maxPixels, undefined, undefined, QUALITY_EDGE),
  ]);
  const size = { width: scaled.width, height: scaled.height };
  const check = await runPhotoCheck({
    source: scaled.small ?? scaled.blob,
    size,
    slot: { minWidth: slot.minWidth, minHeight: slot.minHeight, minMegapixels: slot.minMegapixels, allowOverride: slot.allowOverride },
    otherSideHash,
  });
  if (!check) scaled.small?.close();
  const photo: DraftPhoto = {
    blob: scaled.blob,
    ...size,
    originalSha256,
    metadata: { takenAt: new Date().toISOString(), ...metadata },
    ...(check ? { perceptualHash: check.hash } : {}),
  };
  return { photo, check };
};
