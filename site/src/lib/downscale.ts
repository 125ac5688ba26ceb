/**
 * Downscaling photos on the phone before upload: pure size math, and the browser step that decodes (turned upright
 * from the EXIF orientation), scales and re-encodes as JPEG. The re-encoded copy carries no EXIF/GPS. The same decode
 * can also give a small copy for the quality check (lib/photo-check.ts): decoding a 12 MP photo costs far more than
 * the check itself, so it is done once.
 */
import { sniffBlob } from './image-type';

export interface Size {
  width: number;
  height: number;
}

/**
 * The largest integer size with at most `maxPixels` pixels and the same aspect ratio (within a pixel); never larger
 * than the input.
 */
export const fitWithin = (width: number, height: number, maxPixels: number): Size => {
  if (!(Number.isFinite(width) && Number.isFinite(height) && width >= 1 && height >= 1)) {
    throw new RangeError(`A picture must be at least 1×1 pixels (got ${width}×${height})`);
  }
  if (!(Number.isFinite(maxPixels) && maxPixels >= 1)) throw new RangeError(`The pixel limit must be at least 1 (got ${maxPixels})`);
  const w = Math.round(width);
  const h = Math.round(height);
  if (w * h <= maxPixels) return { width: w, height: h };
  const scale = Math.sqrt(maxPixels / (w * h));
  // Flooring both sides keeps the product within the limit.
  let nw = Math.floor(w * scale);
  let nh = Math.floor(h * scale);
  if (nw < 1) {
    nw = 1;
    nh = Math.min(h, Math.floor(maxPixels));
  } else if (nh < 1) {
    nh = 1;
    nw = Math.min(w, Math.floor(maxPixels));
  }
  return { width: nw, height: nh };
};

/** The size whose long edge is at most `edge` (rounded, at least 1 px), same aspect ratio; never larger than the input. */
export const fitEdge = (width: number, height: number, edge: number): Size => {
  const scale = Math.min(1, edge / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
};

export type PhotoErrorCode = 'empty' | 'heic' | 'unreadable' | 'encode';

/** A photo that cannot be prepared on this device; the message says what to do instead. */
export class PhotoError extends Error {
  constructor(
    readonly code: PhotoErrorCode,
    message: string
  ) {
    super(message);
    this.name = 'PhotoError';
  }
}

export const PHOTO_MESSAGES: Record<PhotoErrorCode, string> = {
  empty: 'This file is empty. Take the photo again or choose another one.',
  heic: 'This photo is in HEIC/HEIF format, which this browser cannot open. Choose a JPEG instead (on an iPhone: Settings › Camera › Formats › Most Compatible, or share the photo as JPEG).',
  unreadable: 'This file could not be opened as a picture. Choose a JPEG, PNG or WebP photo.',
  encode: 'The photo could not be prepared, perhaps because the phone is low on memory. Close other apps and try again.',
};

export interface DecodedImage {
  width: number;
  height: number;
  source: CanvasImageSource;
  close(): void;
}

export interface DownscaleDeps {
  /** Decodes a picture, turned upright from its EXIF orientation. */
  decode(blob: Blob): Promise<DecodedImage>;
  /** Draws the picture at the given size and encodes it as JPEG. */
  encodeJpeg(image: DecodedImage, size: Size, quality: number): Promise<Blob>;
  /** The picture scaled to `size`, as a bitmap a Web Worker can take over (the quality check's copy). */
  shrink?(image: DecodedImage, size: Size): Promise<ImageBitmap>;
}

export interface DownscaledPhoto extends Size {
  blob: Blob;
  /** The small copy asked for with `smallEdge` (long edge), when the browser could make it. */
  small?: ImageBitmap;
}

const browserDecode = async (blob: Blob): Promise<DecodedImage> => {
  const bitmap = await createImageBitmap(blob, { imageOrientation: 'from-image' });
  return { width: bitmap.width, height: bitmap.height, source: bitmap, close: () => bitmap.close() };
};

type Context2D = OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D;

const draw = (ctx: Context2D | null, image: DecodedImage, size: Size) => {
  if (!ctx) throw new Error('no 2d canvas context');
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(image.source, 0, 0, size.width, size.height);
};

const browserEncodeJpeg = async (image: DecodedImage, size: Size, quality: number): Promise<Blob> => {
  if (typeof OffscreenCanvas !== 'undefined') {
    const canvas = new OffscreenCanvas(size.width, size.height);
    draw(canvas.getContext('2d'), image, size);
    return canvas.convertToBlob({ type: 'image/jpeg', quality });
  }
  const canvas = document.createElement('canvas');
  canvas.width = size.width;
  canvas.height = size.height;
  draw(canvas.getContext('2d'), image, size);
  return new Promise<Blob>((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('canvas.toBlob gave nothing'))), 'image/jpeg', quality)
  );
};

const browserShrink = (image: DecodedImage, size: Size): Promise<ImageBitmap> =>
  createImageBitmap(image.source as ImageBitmapSource, { resizeWidth: size.width, resizeHeight: size.height, resizeQuality: 'medium' });

export const browserDownscaleDeps: DownscaleDeps = { decode: browserDecode, encodeJpeg: browserEncodeJpeg, shrink: browserShrink };

/**
 * Decodes a photo upright, scales it to at most `maxPixels` and encodes it as JPEG. HEIC/HEIF is accepted only when
 * the browser can decode it (Safari); elsewhere the PhotoError asks for a JPEG. With `smallEdge`, also a copy of at
 * most that long edge from the same decode (none when the browser cannot make it: the check then decodes again).
 */
export const downscaleToJpeg = async (
  blob: Blob,
  maxPixels: number,
  quality = 0.9,
  deps: DownscaleDeps = browserDownscaleDeps,
  smallEdge?: number
): Promise<DownscaledPhoto> => {
  if (blob.size === 0) throw new PhotoError('empty', PHOTO_MESSAGES.empty);
  let image: DecodedImage;
  try {
    image = await deps.decode(blob);
  } catch {
    const kind = await sniffBlob(blob);
    throw kind === 'heic' ? new PhotoError('heic', PHOTO_MESSAGES.heic) : new PhotoError('unreadable', PHOTO_MESSAGES.unreadable);
  }
  try {
    if (!(image.width >= 1 && image.height >= 1)) throw new PhotoError('unreadable', PHOTO_MESSAGES.unreadable);
    const size = fitWithin(image.width, image.height, maxPixels);
    let out: Blob;
    try {
      out = await deps.encodeJpeg(image, size, quality);
    } catch {
      throw new PhotoError('encode', PHOTO_MESSAGES.encode);
    }
    const small =
      smallEdge && deps.shrink ? await deps.shrink(image, fitEdge(image.width, image.height, smallEdge)).catch(() => undefined) : undefined;
    return { blob: out, ...size, ...(small ? { small } : {}) };
  } finally {
    image.close();
  }
};
