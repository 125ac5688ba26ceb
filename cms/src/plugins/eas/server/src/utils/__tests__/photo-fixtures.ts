/** Generated photos for the quality-gate tests: a sharp scene and its blurred, dark, burnt-out, tiny and cropped copies. */
import sharp from 'sharp';

/** A "scene": large smooth shapes (what a perceptual hash sees) with fine grain on top (what sharpness sees). */
export const scene = async (seed = 0, width = 1600, height = 1200): Promise<Buffer> => {
  const shapes = await sharp({
    create: { width: 8, height: 6, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128 + seed, sigma: 70 } },
  })
    .png()
    .toBuffer();
  const grain = await sharp({
    create: { width, height, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 30 } },
  })
    .png()
    .toBuffer();
  return sharp(await sharp(shapes).resize(width, height, { kernel: 'cubic' }).png().toBuffer())
    .composite([{ input: grain, blend: 'overlay' }])
    .jpeg({ quality: 90 })
    .toBuffer();
};

export const blurred = (img: Buffer) => sharp(img).blur(12).jpeg().toBuffer();
export const dark = (img: Buffer) => sharp(img).linear(0.12, 0).jpeg().toBuffer();
export const burnt = (img: Buffer) => sharp(img).linear(1.2, 170).jpeg().toBuffer();
export const tiny = (img: Buffer) => sharp(img).resize(320).jpeg().toBuffer();
/** The same photo a little cropped and re-encoded at another quality: a near-duplicate. */
export const recropped = async (img: Buffer) => {
  const { width = 0, height = 0 } = await sharp(img).metadata();
  const dx = Math.round(width * 0.03);
  const dy = Math.round(height * 0.03);
  return sharp(img)
    .extract({ left: dx, top: dy, width: width - 2 * dx, height: height - 2 * dy })
    .jpeg({ quality: 60 })
    .toBuffer();
};
