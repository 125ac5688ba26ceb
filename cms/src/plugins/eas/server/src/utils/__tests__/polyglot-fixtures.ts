/**
 * Generators for the markup-scan tests, all deterministic (seeded PRNG, real sharp): camera-like noise photos in
 * JPEG/PNG/WebP, a JPEG with restart markers (sharp cannot write them), markup planted in compressed pixel data, and
 * real polyglots (markup in metadata, in unknown chunks, after the end of the image).
 */
import { crc32 } from 'zlib';
import sharp, { type JpegOptions, type PngOptions, type Sharp, type WebpOptions } from 'sharp';
import { chunk } from './image-fixtures';

/** mulberry32: a small seeded PRNG, so every generated case can be rebuilt from its seed. */
export const prng = (seed: number) => {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  return { next, int, pick, chance: (p: number) => next() < p };
};
export type Prng = ReturnType<typeof prng>;

/** Uniform RGB noise: the hardest content for a codec, so its compressed data looks like random bytes. */
export const noise = (seed: number, width: number, height: number, channels: 3 | 4 = 3) => {
  const rand = prng(seed);
  const pixels = Buffer.alloc(width * height * channels);
  for (let i = 0; i < pixels.length; i += 4) {
    const word = (rand.next() * 4294967296) >>> 0;
    pixels[i] = word & 0xff;
    if (i + 1 < pixels.length) pixels[i + 1] = (word >>> 8) & 0xff;
    if (i + 2 < pixels.length) pixels[i + 2] = (word >>> 16) & 0xff;
    if (i + 3 < pixels.length) pixels[i + 3] = word >>> 24;
  }
  return sharp(pixels, { raw: { width, height, channels } });
};

/**
 * The entropy-coded data of every scan of a well-formed JPEG, as [start, end) offsets: from the end of each SOS header
 * to the next marker that is neither a stuffed 0xFF00 nor RST0–7. A test oracle for encoder output, not a validator.
 */
export const jpegScans = (jpg: Buffer): Array<[number, number]> => {
  const scans: Array<[number, number]> = [];
  let pos = 2;
  while (pos + 4 <= jpg.length && jpg[pos + 1] !== 0xd9) {
    const end = pos + 2 + jpg.readUInt16BE(pos + 2);
    if (jpg[pos + 1] !== 0xda) {
      pos = end;
      continue;
    }
    let i = end;
    while (i < jpg.length && !(jpg[i] === 0xff && jpg[i + 1] !== 0x00 && (jpg[i + 1] < 0xd0 || jpg[i + 1] > 0xd7))) i++;
    scans.push([end, i]);
    pos = i;
  }
  return scans;
};

/** Markup as the scanner must recognise it, in the forms the property tests plant (case mixed at random). */
export const MARKUP_SAMPLES = ['<svg', '<script', '<html', '<body', '<iframe', '<!doctype', '<?php', 'javascript:'] as const;

export const LONGEST_SAMPLE = Math.max(...MARKUP_SAMPLES.map((s) => s.length));

export const mixedCase = (rand: Prng, text: string) =>
  [...text].map((c) => (rand.chance(0.5) ? c.toUpperCase() : c.toLowerCase())).join('');

export interface Planted {
  at: number;
  text: string;
}

/**
 * A copy of `buf` with `count` markup samples written over random places of `ranges` (sometimes at a range's very start
 * or end; ranges shorter than LONGEST_SAMPLE are left alone). With `avoidFF`, no 0xFF byte and no byte right after one
 * is touched, so JPEG markers, stuffed bytes and restart markers stay where they were. Plants never overlap.
 */
export const plantMarkup = (buf: Buffer, ranges: ReadonlyArray<readonly [number, number]>, rand: Prng, count: number, avoidFF = false) => {
  const out = Buffer.from(buf);
  const planted: Planted[] = [];
  const roomy = ranges.filter(([start, end]) => end - start >= LONGEST_SAMPLE);
  if (roomy.length === 0) throw new Error(`no range of ${LONGEST_SAMPLE} bytes to plant markup in`);
  for (let attempt = 0; planted.length < count; attempt++) {
    if (attempt === 10_000) throw new Error('no room to plant markup');
    const [start, end] = rand.pick(roomy);
    const text = mixedCase(rand, rand.pick(MARKUP_SAMPLES));
    const at = rand.chance(0.1) ? start : rand.chance(0.1) ? end - text.length : rand.int(start, end - text.length);
    if (planted.some((p) => at < p.at + p.text.length && p.at < at + text.length)) continue;
    if (avoidFF && (out[at - 1] === 0xff || out.subarray(at, at + text.length).includes(0xff))) continue;
    out.write(text, at, 'latin1');
    planted.push({ at, text });
  }
  return { buf: out, planted };
};

const segment = (marker: number, payload: Buffer) => {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
};

/** A JPEG with one more segment right after SOI (COM = 0xFE, APPn = 0xE0 + n). */
export const withJpegSegment = (jpg: Buffer, marker: number, payload: Buffer | string) =>
  Buffer.concat([jpg.subarray(0, 2), segment(marker, Buffer.from(payload)), jpg.subarray(2)]);

/** The DC luminance Huffman table of ITU-T T.81 Annex K.3: code counts per length 1–16, then the symbols 0–11. */
const DC_COUNTS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
const dcCodes = () => {
  const codes: Array<{ code: number; length: number }> = [];
  let code = 0;
  DC_COUNTS.forEach((count, i) => {
    for (let k = 0; k < count; k++) codes.push({ code: code++, length: i + 1 });
    code <<= 1;
  });
  return codes;
};

/**
 * A greyscale baseline JPEG with a restart interval (DRI, RST0–7 markers), which sharp cannot write: every 8×8 block a
 * random flat grey, encoded by hand (DC coefficients only, every AC table entry an end-of-block). Real libjpeg decodes
 * it; the restart markers sit in the entropy-coded data as in many cameras' output.
 */
export const restartJpeg = (seed: number, width: number, height: number, restartInterval: number) => {
  const rand = prng(seed);
  const codes = dcCodes();
  const bytes: number[] = [];
  let acc = 0;
  let bits = 0;
  const put = (value: number, length: number) => {
    for (let i = length - 1; i >= 0; i--) {
      acc = (acc << 1) | ((value >> i) & 1);
      if (++bits === 8) {
        bytes.push(acc);
        if (acc === 0xff) bytes.push(0x00);
        acc = 0;
        bits = 0;
      }
    }
  };
  const blocks = Math.ceil(width / 8) * Math.ceil(height / 8);
  let previous = 0;
  for (let b = 0; b < blocks; b++) {
    if (b > 0 && b % restartInterval === 0) {
      while (bits) put(1, 1);
      bytes.push(0xff, 0xd0 + ((b / restartInterval - 1) % 8));
      previous = 0;
    }
    const dc = 8 * (rand.int(0, 255) - 128);
    const diff = dc - previous;
    previous = dc;
    const size = diff === 0 ? 0 : Math.floor(Math.log2(Math.abs(diff))) + 1;
    put(codes[size].code, codes[size].length);
    put(diff >= 0 ? diff : diff + (1 << size) - 1, size);
    put(0, 1); // end of block
  }
  while (bits) put(1, 1);

  const sof = Buffer.from([8, 0, 0, 0, 0, 1, 1, 0x11, 0]);
  sof.writeUInt16BE(height, 1);
  sof.writeUInt16BE(width, 3);
  const dri = Buffer.alloc(2);
  dri.writeUInt16BE(restartInterval);
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    segment(0xdb, Buffer.from([0, ...new Array(64).fill(1)])),
    segment(0xc0, sof),
    segment(0xc4, Buffer.from([0x00, ...DC_COUNTS, ...codes.map((_, symbol) => symbol)])),
    segment(0xc4, Buffer.from([0x10, 1, ...new Array(15).fill(0), 0x00])),
    segment(0xdd, dri),
    segment(0xda, Buffer.from([1, 1, 0x00, 0, 63, 0])),
    Buffer.from(bytes),
    Buffer.from([0xff, 0xd9]),
  ]);
};

const word = (rand: Prng) => Array.from({ length: rand.int(3, 12) }, () => rand.pick([...'abcdefghijklmnopqrstuvwxyz0123456789'])).join('');

/** An XMP packet as cameras and editors write it: XML, but no markup a browser would run. */
export const xmpPacket = (creator: string) =>
  `<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">` +
  `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` +
  `<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator><rdf:Seq><rdf:li>${creator}</rdf:li></rdf:Seq></dc:creator>` +
  `</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;

/** Camera-like metadata, chosen by the seed: EXIF, an ICC profile, XMP, or none. */
const metadata = (image: Sharp, rand: Prng, seed: number) => {
  const added: string[] = [];
  if (rand.chance(0.5)) {
    image.withExif({ IFD0: { Make: 'EAS', Model: `Field ${word(rand)}`, Software: word(rand) }, IFD2: { UserComment: word(rand) } });
    added.push('exif');
  }
  if (rand.chance(0.15)) {
    // Rarer than the rest: attaching a profile runs a colour transform, the slowest step here.
    const profile = rand.pick(['srgb', 'p3']);
    image.withIccProfile(profile);
    added.push(profile);
  }
  if (rand.chance(0.2)) {
    image.withXmp(xmpPacket(`Photographer ${seed}`));
    added.push('xmp');
  }
  return { image, with: added };
};

export interface Generated {
  buf: Buffer;
  /** What the case was made of, for a failure message. */
  recipe: string;
}

/** A small noise photo with random JPEG settings and metadata. */
export const cameraLikeJpeg = async (seed: number): Promise<Generated> => {
  const rand = prng(seed);
  const width = rand.int(16, 128);
  const height = rand.int(16, 96);
  const options: JpegOptions = {
    quality: rand.int(10, 100),
    chromaSubsampling: rand.pick(['4:2:0', '4:4:4']),
    progressive: rand.chance(0.5),
    optimiseCoding: rand.chance(0.8),
    quantisationTable: rand.int(0, 8),
    trellisQuantisation: rand.chance(0.2),
    overshootDeringing: rand.chance(0.2),
    optimiseScans: rand.chance(0.1),
  };
  const { image, with: added } = metadata(noise(seed, width, height).jpeg(options), rand, seed);
  return { buf: await image.toBuffer(), recipe: `seed ${seed}: ${width}×${height} ${JSON.stringify(options)} ${added.join('+')}` };
};

/** Chunks of a well-formed PNG (test oracle): type, start offset, and [start, end) of the data. */
export const pngChunks = (png: Buffer) => {
  const chunks: Array<{ type: string; start: number; data: [number, number] }> = [];
  for (let pos = 8; pos + 12 <= png.length; pos += 12 + png.readUInt32BE(pos)) {
    chunks.push({ type: png.toString('latin1', pos + 4, pos + 8), start: pos, data: [pos + 8, pos + 8 + png.readUInt32BE(pos)] });
  }
  return chunks;
};

/** The same PNG with every chunk's CRC recomputed (after bytes were planted in it). */
export const withFixedCrcs = (png: Buffer) => {
  const out = Buffer.from(png);
  for (const { start, data } of pngChunks(out)) out.writeUInt32BE(crc32(out.subarray(start + 4, data[1])) >>> 0, data[1]);
  return out;
};

/** A PNG with one more chunk just before IEND. */
export const withPngChunk = (png: Buffer, type: string, data: Buffer | string) =>
  Buffer.concat([png.subarray(0, png.length - 12), chunk(type, Buffer.from(data)), png.subarray(png.length - 12)]);

/** A small noise image as PNG with random settings (zlib level 0 stores the raw pixels in IDAT) and metadata. */
export const cameraLikePng = async (seed: number): Promise<Generated> => {
  const rand = prng(seed);
  const width = rand.int(4, 96);
  const height = rand.int(4, 96);
  const channels = rand.pick([3, 4] as const);
  const options: PngOptions = {
    compressionLevel: rand.int(0, 9),
    adaptiveFiltering: rand.chance(0.5),
    progressive: rand.chance(0.2),
    palette: rand.chance(0.2),
  };
  if (options.palette) Object.assign(options, { colours: rand.int(2, 256), effort: 1 });
  const { image, with: added } = metadata(noise(seed, width, height, channels).png(options), rand, seed);
  return {
    buf: await image.toBuffer(),
    recipe: `seed ${seed}: ${width}×${height}×${channels} ${JSON.stringify(options)} ${added.join('+')}`,
  };
};

/** Chunks of a well-formed WebP (test oracle), animation frames' inner chunks included. */
export const riffChunks = (webp: Buffer, from = 12, to = 8 + webp.readUInt32LE(4)) => {
  const chunks: Array<{ type: string; data: [number, number] }> = [];
  for (let pos = from; pos + 8 <= to; ) {
    const size = webp.readUInt32LE(pos + 4);
    const type = webp.toString('latin1', pos, pos + 4);
    chunks.push({ type, data: [pos + 8, pos + 8 + size] });
    if (type === 'ANMF') chunks.push(...riffChunks(webp, pos + 8 + 16, pos + 8 + size));
    pos += 8 + size + (size & 1);
  }
  return chunks;
};

/** A WebP with one more chunk at the end of the RIFF container (the RIFF size updated). */
export const withRiffChunk = (webp: Buffer, type: string, data: Buffer | string) => {
  const body = Buffer.from(data);
  const head = Buffer.alloc(8);
  head.write(type, 0, 'latin1');
  head.writeUInt32LE(body.length, 4);
  const out = Buffer.concat([webp, head, body, Buffer.alloc(body.length & 1)]);
  out.writeUInt32LE(out.length - 8, 4);
  return out;
};

/** A small noise image as WebP, lossy (VP8, with ALPH when it has alpha) or lossless (VP8L), with metadata (VP8X). */
export const cameraLikeWebp = async (seed: number): Promise<Generated> => {
  const rand = prng(seed);
  const width = rand.int(4, 96);
  const height = rand.int(4, 96);
  const channels = rand.pick([3, 4] as const);
  const options: WebpOptions = {
    quality: rand.int(1, 100),
    lossless: rand.chance(0.3),
    effort: rand.int(0, 6),
    alphaQuality: rand.int(0, 100),
  };
  const { image, with: added } = metadata(noise(seed, width, height, channels).webp(options), rand, seed);
  return {
    buf: await image.toBuffer(),
    recipe: `seed ${seed}: ${width}×${height}×${channels} ${JSON.stringify(options)} ${added.join('+')}`,
  };
};

/** An animated WebP of `frames` noise frames (ANMF chunks, each with its own VP8/VP8L data). */
export const animatedWebp = async (seed: number, frames = 3) => {
  const stills = await Promise.all(
    Array.from({ length: frames }, (_, i) =>
      noise(seed + i, 48, 32)
        .png()
        .toBuffer()
    )
  );
  return sharp(stills, { join: { animated: true } })
    .webp({ quality: 80 })
    .toBuffer();
};
