/**
 * The server's side of the photo quality gates: sharp gives the greyscale pixels of a downscaled, upright copy, the
 * shared measures (shared/photo-quality.ts) do the rest, so the numbers match what the phone computed.
 */
import sharp from 'sharp';
import { QUALITY_EDGE, dHash, measure, type QualityMeasures } from '../../../shared/photo-quality';

export interface PhotoAnalysis {
  measures: QualityMeasures;
  /** dHash of the photo (16 hex digits); null when the picture is featureless. */
  hash: string | null;
}

/** Measures and perceptual hash of an image (any format sharp reads); the input is decoded once, downscaled. */
export const analysePhoto = async (buf: Buffer): Promise<PhotoAnalysis> => {
  const { data, info } = await sharp(buf, { failOn: 'none' })
    .rotate()
    .resize(QUALITY_EDGE, QUALITY_EDGE, { fit: 'inside', withoutEnlargement: true })
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const grey = { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, info.width * info.height) };
  return { measures: measure(grey), hash: dHash(grey) };
};
