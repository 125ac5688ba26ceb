/**
 * Markup hidden in an image: a polyglot that a browser could also read as HTML or SVG. Pure and allocation-light: the
 * file's structure is walked in place and only bounded windows are decoded to text.
 *
 * Everything is looked at except compressed pixel data — JPEG entropy-coded scans, PNG IDAT/fdAT, WebP VP8/VP8L/ALPH
 * bitstreams — because those bytes are random-looking and spell `<svg` by chance (about 2e-9 per byte: 1 % of 5 MB
 * photos). Metadata (EXIF, XMP, ICC, comments, text chunks), tables, unknown segments or chunks and whatever follows
 * the end of the image are scanned. A range is skipped only once the walk has proved it is pixel data: where the
 * structure stops making sense (a length past the end, bytes where a marker should be, a scan with no end), the rest of
 * the file is scanned.
 */
import type { ImageFormat } from './image-processing';

const MARKUP = /<(?:script|html|svg|iframe|body|!doctype|\?php)|javascript:/i;
/** Length of the longest text MARKUP matches ("javascript:"): consecutive windows overlap by one less. */
const LONGEST_MATCH = 11;
const WINDOW = 64 * 1024;

/** [start, end) byte offsets. */
type Range = readonly [number, number];

const findInRange = (buf: Buffer, start: number, end: number): string | undefined => {
  for (let from = start; from < end; ) {
    const to = Math.min(end, from + WINDOW);
    const found = MARKUP.exec(buf.toString('latin1', from, to));
    if (found) return found[0];
    if (to === end) break;
    from = to - (LONGEST_MATCH - 1);
  }
  return undefined;
};

const JPEG = { SOI: 0xd8, EOI: 0xd9, SOS: 0xda } as const;
const isRestart = (marker: number) => marker >= 0xd0 && marker <= 0xd7;

/** Where the entropy-coded data starting at `from` ends: the next 0xFF that is neither a stuffed 0xFF00 nor RST0–7. */
const endOfScan = (buf: Buffer, from: number) => {
  for (let i = buf.indexOf(0xff, from); i !== -1 && i + 1 < buf.length; i = buf.indexOf(0xff, i + 1)) {
    if (buf[i + 1] !== 0x00 && !isRestart(buf[i + 1])) return i;
  }
  return -1;
};

/**
 * Entropy-coded scans of a JPEG, and of any JPEG right after its EOI (MPF previews, Ultra HDR gain maps). Every other
 * segment (APPn, COM, DQT, DHT, SOFn, DRI, unknown) is stepped over by its length, so its payload is scanned.
 */
function* jpegPixelData(buf: Buffer): Generator<Range> {
  let pos = 0;
  while (buf[pos] === 0xff && buf[pos + 1] === JPEG.SOI) {
    pos += 2;
    for (;;) {
      while (buf[pos] === 0xff && buf[pos + 1] === 0xff) pos++; // fill bytes before a marker
      if (buf[pos] !== 0xff || pos + 2 > buf.length) return;
      if (buf[pos + 1] === JPEG.EOI) {
        pos += 2;
        break;
      }
      if (pos + 4 > buf.length) return;
      const length = buf.readUInt16BE(pos + 2);
      if (length < 2 || pos + 2 + length > buf.length) return;
      const marker = buf[pos + 1];
      pos += 2 + length;
      if (marker === JPEG.SOS) {
        const end = endOfScan(buf, pos);
        if (end === -1) return;
        yield [pos, end];
        pos = end;
      }
    }
  }
}

/** IDAT (and APNG fdAT) data, up to IEND. */
function* pngPixelData(buf: Buffer): Generator<Range> {
  for (let pos = 8; pos + 12 <= buf.length; ) {
    const dataEnd = pos + 8 + buf.readUInt32BE(pos);
    if (dataEnd + 4 > buf.length) return;
    const type = buf.toString('latin1', pos + 4, pos + 8);
    if (type === 'IDAT' || type === 'fdAT') yield [pos + 8, dataEnd];
    if (type === 'IEND') return;
    pos = dataEnd + 4;
  }
}

const WEBP_BITSTREAMS = new Set(['VP8 ', 'VP8L', 'ALPH']);
/** Size of an ANMF chunk's frame header (position, size, duration, flags) before the frame's own chunks. */
const ANMF_HEADER = 16;

/** VP8/VP8L/ALPH data of the RIFF chunks in [from, to), also inside animation frames. */
function* riffPixelData(buf: Buffer, from: number, to: number): Generator<Range> {
  for (let pos = from; pos + 8 <= to; ) {
    const type = buf.toString('latin1', pos, pos + 4);
    const size = buf.readUInt32LE(pos + 4);
    const dataEnd = pos + 8 + size;
    if (dataEnd > to) return;
    if (WEBP_BITSTREAMS.has(type)) yield [pos + 8, dataEnd];
    if (type === 'ANMF') yield* riffPixelData(buf, pos + 8 + ANMF_HEADER, dataEnd);
    pos = dataEnd + (size & 1);
  }
}

const pixelData = (buf: Buffer, format: ImageFormat): Iterable<Range> => {
  if (format === 'jpeg') return jpegPixelData(buf);
  if (format === 'png') return pngPixelData(buf);
  return buf.length < 12 ? [] : riffPixelData(buf, 12, Math.min(buf.length, 8 + buf.readUInt32LE(4)));
};

/** The first markup found outside the compressed pixel data of `buf` (a sniffed JPEG, PNG or WebP), if any. */
export const findEmbeddedMarkup = (buf: Buffer, format: ImageFormat): string | undefined => {
  let from = 0;
  for (const [start, end] of pixelData(buf, format)) {
    const found = findInRange(buf, from, start);
    if (found) return found;
    from = end;
  }
  return findInRange(buf, from, buf.length);
};
