/**
 * Evidence image processing: buffer in, results out; no Strapi inside. Accepts JPEG, PNG and WebP by their content
 * (magic bytes), never by name or declared type; refuses everything else with a status and a message that names the
 * file. Photos are auto-oriented, stripped of all metadata (EXIF, GPS, ICC…) and re-encoded as a display copy and a
 * thumbnail; signatures are validated PNGs trimmed of their transparent margins.
 */
import { createHash } from 'crypto';
import sharp, { type Sharp } from 'sharp';
import { findEmbeddedMarkup } from './find-embedded-markup';

export type ImageFormat = 'jpeg' | 'png' | 'webp';
export type SniffedKind = ImageFormat | 'heic' | 'avif' | 'svg' | 'html' | 'pdf' | 'gif' | 'unknown';

/** A refusal with the HTTP status it maps to: 413 too large, 415 unsupported type, 422 unreadable content. */
export class MediaRejectedError extends Error {
  constructor(
    readonly status: 413 | 415 | 422,
    readonly code: string,
    message: string
  ) {
    super(message);
    this.name = 'MediaRejectedError';
  }
}

export interface ProcessingLimits {
  /** Largest accepted input in bytes (default 20 MB, as nginx's client_max_body_size). */
  maxBytes: number;
  /** Largest accepted input in pixels, checked from the header before decoding (default 50 MP). */
  maxPixels: number;
  /** Long edge of the stored display copy (default 2048 px). */
  displayEdge: number;
  /** Long edge of the thumbnail (default 320 px). */
  thumbnailEdge: number;
}

export const DEFAULT_LIMITS: ProcessingLimits = {
  maxBytes: 20 * 1024 * 1024,
  maxPixels: 50_000_000,
  displayEdge: 2048,
  thumbnailEdge: 320,
};

export interface StoredImage {
  buffer: Buffer;
  mime: 'image/jpeg' | 'image/png';
  ext: '.jpg' | '.png';
  width: number;
  height: number;
  bytes: number;
  sha256: string;
}

export const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

const ascii = (buf: Buffer, start: number, end: number) => buf.subarray(start, end).toString('latin1');

/** What the bytes are, whatever the file is called. */
export const sniff = (buf: Buffer): SniffedKind => {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'jpeg';
  if (buf.length >= 8 && buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (buf.length >= 12 && ascii(buf, 0, 4) === 'RIFF' && ascii(buf, 8, 12) === 'WEBP') return 'webp';
  if (buf.length >= 12 && ascii(buf, 4, 8) === 'ftyp') {
    const brand = ascii(buf, 8, 12);
    if (['avif', 'avis'].includes(brand)) return 'avif';
    if (['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1'].includes(brand)) return 'heic';
  }
  if (ascii(buf, 0, 4) === '%PDF') return 'pdf';
  if (['GIF87a', 'GIF89a'].includes(ascii(buf, 0, 6))) return 'gif';
  const head = ascii(buf, 0, 512).trimStart().toLowerCase();
  if (head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg'))) return 'svg';
  if (head.startsWith('<')) return 'html';
  return 'unknown';
};

const describe = (kind: SniffedKind) =>
  ({
    heic: 'a HEIC/HEIF photo',
    avif: 'an AVIF image',
    svg: 'an SVG drawing',
    html: 'an HTML document',
    pdf: 'a PDF document',
    gif: 'a GIF image',
    unknown: 'not an image',
  })[kind as 'heic'] ?? kind;

/** Checks size, type and markup before any decoding. Returns the detected format. */
export const checkInput = (
  buf: Buffer,
  filename: string,
  accept: ImageFormat[],
  limits: ProcessingLimits = DEFAULT_LIMITS
): ImageFormat => {
  const name = `"${filename}"`;
  if (buf.length > limits.maxBytes) {
    throw new MediaRejectedError(
      413,
      'too_large',
      `${name} is ${(buf.length / 1048576).toFixed(1)} MB; the limit is ${(limits.maxBytes / 1048576).toFixed(0)} MB`
    );
  }
  if (buf.length === 0) throw new MediaRejectedError(422, 'empty', `${name} is empty`);
  const kind = sniff(buf);
  if (kind === 'heic') {
    throw new MediaRejectedError(
      415,
      'heic',
      `${name} is a HEIC/HEIF photo, which is not accepted: send it as JPEG (the capture site converts photos automatically)`
    );
  }
  if (!accept.includes(kind as ImageFormat)) {
    throw new MediaRejectedError(
      415,
      'unsupported_type',
      `${name} is ${describe(kind)}; accepted: ${accept.map((a) => a.toUpperCase()).join(', ')}`
    );
  }
  const markup = findEmbeddedMarkup(buf, kind as ImageFormat);
  if (markup) throw new MediaRejectedError(415, 'polyglot', `${name} contains embedded markup (${markup}…) and is refused`);
  return kind as ImageFormat;
};

/** Reads the header only: dimensions, orientation, and the pixel limit — a decompression bomb fails here. */
const header = async (buf: Buffer, filename: string, limits: ProcessingLimits) => {
  try {
    const meta = await sharp(buf, { limitInputPixels: limits.maxPixels, failOn: 'error' }).metadata();
    if (!meta.width || !meta.height) throw new Error('no dimensions');
    return meta;
  } catch (err) {
    const message = (err as Error).message;
    if (/pixel limit/i.test(message)) {
      throw new MediaRejectedError(
        422,
        'too_many_pixels',
        `"${filename}" declares more than ${limits.maxPixels / 1e6} megapixels and is refused`
      );
    }
    throw new MediaRejectedError(422, 'corrupt', `"${filename}" is not a readable image`);
  }
};

const encode = async (pipeline: Sharp, filename: string, mime: StoredImage['mime']): Promise<StoredImage> => {
  try {
    const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
    return {
      buffer: data,
      mime,
      ext: mime === 'image/png' ? '.png' : '.jpg',
      width: info.width,
      height: info.height,
      bytes: data.length,
      sha256: sha256(data),
    };
  } catch (err) {
    if (err instanceof MediaRejectedError) throw err;
    throw new MediaRejectedError(422, 'corrupt', `"${filename}" is damaged or truncated and cannot be read`);
  }
};

export interface ProcessedPhoto {
  format: ImageFormat;
  original: { width: number; height: number; bytes: number; sha256: string };
  display: StoredImage;
  thumbnail: StoredImage;
}

/** A photo: oriented upright, metadata stripped, display copy (≤ displayEdge) and thumbnail (≤ thumbnailEdge), JPEG. */
export const processPhoto = async (buf: Buffer, filename: string, limits: ProcessingLimits = DEFAULT_LIMITS): Promise<ProcessedPhoto> => {
  const format = checkInput(buf, filename, ['jpeg', 'png', 'webp'], limits);
  const meta = await header(buf, filename, limits);
  let pipeline = sharp(buf, { limitInputPixels: limits.maxPixels, failOn: 'warning' })
    .rotate()
    .resize(limits.displayEdge, limits.displayEdge, { fit: 'inside', withoutEnlargement: true });
  if (meta.hasAlpha) pipeline = pipeline.flatten({ background: '#ffffff' });
  const display = await encode(pipeline.jpeg({ quality: 85, chromaSubsampling: '4:2:0' }), filename, 'image/jpeg');
  // The thumbnail comes from the (already upright, smaller) display copy: the original is decoded once.
  const thumbnail = await encode(
    sharp(display.buffer)
      .resize(limits.thumbnailEdge, limits.thumbnailEdge, { fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 75 }),
    filename,
    'image/jpeg'
  );
  const swap = (meta.orientation ?? 1) >= 5;
  return {
    format,
    original: {
      width: swap ? meta.height! : meta.width!,
      height: swap ? meta.width! : meta.height!,
      bytes: buf.length,
      sha256: sha256(buf),
    },
    display,
    thumbnail,
  };
};

export interface ProcessedSignature {
  original: { bytes: number; sha256: string };
  image: StoredImage;
}

/** A signature from signature_pad: a PNG, trimmed to the ink, metadata stripped. An empty pad is refused. */
export const processSignature = async (
  buf: Buffer,
  filename: string,
  limits: ProcessingLimits = DEFAULT_LIMITS
): Promise<ProcessedSignature> => {
  checkInput(buf, filename, ['png'], {
    ...limits,
    maxBytes: Math.min(limits.maxBytes, 5 * 1024 * 1024),
    maxPixels: Math.min(limits.maxPixels, 16_000_000),
  });
  await header(buf, filename, { ...limits, maxPixels: Math.min(limits.maxPixels, 16_000_000) });
  const stats = await sharp(buf).ensureAlpha().stats();
  const alpha = stats.channels[3];
  if (!alpha || alpha.max === 0) throw new MediaRejectedError(422, 'empty_signature', `"${filename}" is an empty signature`);
  let image: StoredImage;
  try {
    image = await encode(
      sharp(buf, { failOn: 'warning' }).ensureAlpha().trim({ threshold: 1 }).png({ compressionLevel: 9 }),
      filename,
      'image/png'
    );
  } catch {
    image = await encode(sharp(buf, { failOn: 'warning' }).png({ compressionLevel: 9 }), filename, 'image/png');
  }
  return { original: { bytes: buf.length, sha256: sha256(buf) }, image };
};

/** Bounded libvips work per process: at most one thread pool per core and no cached intermediates. */
export const configureSharp = (concurrency = 1) => {
  sharp.concurrency(concurrency);
  sharp.cache(false);
};
