/**
 * A photo as the draft keeps it, from the original capture: the SHA-256 of the original's bytes, its EXIF metadata,
 * and a JPEG downscaled to the slot's pixel limit (the copy that is uploaded). The EXIF reader and the downscaler
 * are loaded when the first photo is taken.
 */
import type { DraftPhoto } from './draft';
import { sha256Hex } from './hash';

export const preparePhoto = async (original: Blob, maxPixels: number): Promise<DraftPhoto> => {
  const [{ readPhotoMetadata }, { downscaleToJpeg }] = await Promise.all([import('./exif'), import('./downscale')]);
  const [originalSha256, metadata, scaled] = await Promise.all([
    sha256Hex(original),
    readPhotoMetadata(original),
    downscaleToJpeg(original, maxPixels),
  ]);
  return {
    blob: scaled.blob,
    width: scaled.width,
    height: scaled.height,
    originalSha256,
    metadata: { takenAt: new Date().toISOString(), ...metadata },
  };
};
