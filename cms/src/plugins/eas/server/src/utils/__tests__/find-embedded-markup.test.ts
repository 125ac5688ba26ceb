import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { checkInput, MediaRejectedError, processPhoto } from '../image-processing';
import * as fx from './image-fixtures';
import * as pg from './polyglot-fixtures';

/** The refusal checkInput throws for `buf`, or null if it accepts it. */
const refusal = (buf: Buffer, filename = 'evidence.jpg') => {
  try {
    checkInput(buf, filename, ['jpeg', 'png', 'webp']);
    return null;
  } catch (err) {
    expect(err).toBeInstanceOf(MediaRejectedError);
    return err as MediaRejectedError;
  }
};

const expectRefusedFor = (buf: Buffer, markup: string) => {
  const err = refusal(buf);
  expect(err?.message).toBe(`"evidence.jpg" contains embedded markup (${markup}…) and is refused`);
  expect(err?.status).toBe(415);
  expect(err?.code).toBe('polyglot');
};

/** Runs `make` for each seed and returns the cases checkInput refused (expected: none), with their recipe. */
const refusedCases = async (seeds: number, make: (seed: number) => Promise<pg.Generated>) => {
  const refused: string[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const { buf, recipe } = await make(seed);
    const err = refusal(buf);
    if (err) refused.push(`${recipe}: ${err.message}`);
  }
  return refused;
};

const PROPERTY_TIMEOUT = 60_000;

describe('checkInput: markup-like bytes in compressed pixel data are not a polyglot (real sharp)', () => {
  it(
    'accepts 1,000 camera-like JPEGs (baseline and progressive, quality 10–100, any subsampling and metadata) with markup planted in their scans',
    async () => {
      const refused = await refusedCases(1000, async (seed) => {
        const { buf, recipe } = await pg.cameraLikeJpeg(seed);
        const scans = pg.jpegScans(buf);
        const rand = pg.prng(seed);
        // Somewhere in any scan, and once in the last roomy scan, which a progressive JPEG reaches after several others.
        const once = pg.plantMarkup(buf, scans, rand, rand.int(1, 3), true);
        const last = scans.filter(([start, end]) => end - start >= pg.LONGEST_SAMPLE).pop()!;
        const planted = pg.plantMarkup(once.buf, [last], rand, 1, true);
        const { width, height } = await sharp(planted.buf).metadata();
        return {
          buf: planted.buf,
          recipe: `${recipe} (${scans.length} scans, ${width}×${height}, planted ${[...once.planted, ...planted.planted].map((p) => p.text)})`,
        };
      });
      expect(refused).toEqual([]);
    },
    PROPERTY_TIMEOUT
  );

  it('accepts 200 JPEGs with restart intervals with markup planted among their RST markers', async () => {
    const refused = await refusedCases(200, async (seed) => {
      const rand = pg.prng(seed);
      const [width, height, interval] = [rand.int(16, 200), rand.int(16, 120), rand.int(4, 24)];
      const jpg = pg.restartJpeg(seed, width, height, interval);
      const info = await sharp(jpg, { failOn: 'warning' }).raw().toBuffer({ resolveWithObject: true });
      expect([info.info.width, info.info.height]).toEqual([width, height]);
      const { buf, planted } = pg.plantMarkup(jpg, pg.jpegScans(jpg), rand, rand.int(1, 4), true);
      return {
        buf,
        recipe: `seed ${seed}: ${width}×${height}, restart every ${interval} blocks, planted ${planted.map((p) => `${p.text}@${p.at}`)}`,
      };
    });
    expect(refused).toEqual([]);
  });

  it(
    'accepts 300 PNGs (any compression, filtering, interlacing, palette, alpha and metadata) with markup planted in IDAT',
    async () => {
      const refused = await refusedCases(300, async (seed) => {
        const { buf, recipe } = await pg.cameraLikePng(seed);
        const idat = pg
          .pngChunks(buf)
          .filter((c) => c.type === 'IDAT')
          .map((c) => c.data);
        const rand = pg.prng(seed);
        const { buf: planted, planted: what } = pg.plantMarkup(buf, idat, rand, rand.int(1, 3));
        return { buf: pg.withFixedCrcs(planted), recipe: `${recipe} (${idat.length} IDAT, planted ${what.map((p) => p.text)})` };
      });
      expect(refused).toEqual([]);
    },
    PROPERTY_TIMEOUT
  );

  it(
    'accepts 300 WebPs (lossy with ALPH, lossless, with metadata) with markup planted in their VP8/VP8L/ALPH data',
    async () => {
      const refused = await refusedCases(300, async (seed) => {
        const { buf, recipe } = await pg.cameraLikeWebp(seed);
        const chunks = pg.riffChunks(buf);
        const bitstreams = chunks.filter((c) => ['VP8 ', 'VP8L', 'ALPH'].includes(c.type)).map((c) => c.data);
        const rand = pg.prng(seed);
        const { buf: planted, planted: what } = pg.plantMarkup(buf, bitstreams, rand, rand.int(1, 3));
        return { buf: planted, recipe: `${recipe} (${chunks.map((c) => c.type).join(',')}, planted ${what.map((p) => p.text)})` };
      });
      expect(refused).toEqual([]);
    },
    PROPERTY_TIMEOUT
  );

  it('accepts an animated WebP with markup planted in every frame', async () => {
    const webp = await pg.animatedWebp(7, 3);
    const frames = pg.riffChunks(webp).filter((c) => c.type === 'VP8 ' || c.type === 'VP8L');
    expect(pg.riffChunks(webp).filter((c) => c.type === 'ANMF')).toHaveLength(3);
    expect(frames).toHaveLength(3);
    let buf = webp;
    for (const [i, frame] of frames.entries()) buf = pg.plantMarkup(buf, [frame.data], pg.prng(i), 1).buf;
    expect(refusal(buf, 'anim.webp')).toBeNull();
  });

  it('accepts a JPEG followed by a second one (MPF preview, Ultra HDR gain map) with markup planted in both scans', async () => {
    const [first, second] = [await pg.cameraLikeJpeg(11), await pg.cameraLikeJpeg(12)];
    const plant = ({ buf }: pg.Generated, seed: number) => pg.plantMarkup(buf, pg.jpegScans(buf), pg.prng(seed), 2, true).buf;
    expect(refusal(Buffer.concat([plant(first, 1), plant(second, 2)]))).toBeNull();
  });
});

describe('processPhoto: a photo whose compressed data spells "<svg" by chance', () => {
  // Found offline by encoding noise(seed, 640, 480) at quality 95 for seeds 1, 2, 3, … with this sharp and searching each
  // whole file with the pattern checkInput used to apply to it: seed 4273 (1.3 GB of JPEG in) is the first hit, 11854
  // the next. Both hits lie in the entropy-coded data.
  const SEED = 4273;

  it('stores its display copy instead of refusing it as a polyglot', async () => {
    const photo = await pg.noise(SEED, 640, 480).jpeg({ quality: 95 }).toBuffer();
    // The precondition, exact so that a different encoder output shows up here rather than as a vacuous pass.
    const at = photo.toString('latin1').search(/<(?:script|html|svg|iframe|body|!doctype|\?php)|javascript:/i);
    expect([at, photo.toString('latin1', at, at + 4)]).toEqual([98967, '<SvG']);
    const [[scanStart, scanEnd]] = pg.jpegScans(photo);
    expect(scanStart < at && at + 4 <= scanEnd).toBe(true);

    const out = await processPhoto(photo, 'noise.jpg');
    expect([out.display.width, out.display.height]).toEqual([640, 480]);
    expect(out.display.mime).toBe('image/jpeg');
    expect((await sharp(out.display.buffer).metadata()).format).toBe('jpeg');
  });
});

describe('checkInput: real polyglots stay refused', () => {
  const html = '<html><body><script>alert(document.cookie)</script></body></html>';
  const exif = (format: 'jpeg' | 'png' | 'webp', IFD0: Record<string, string>) =>
    fx.card(32, 32).toFormat(format).withExif({ IFD0 }).toBuffer();
  const xmp = (format: 'jpeg' | 'webp', creator: string) => fx.card(32, 32).toFormat(format).withXmp(pg.xmpPacket(creator)).toBuffer();

  it.each(pg.MARKUP_SAMPLES)('recognises %s in any case (in a JPEG comment)', async (sample) => {
    const text = pg.mixedCase(pg.prng(sample.length), sample);
    expectRefusedFor(pg.withJpegSegment(await fx.jpeg(32, 32), 0xfe, `note ${text} end`), text);
  });

  it.each([
    ['in a JPEG COM segment', async () => pg.withJpegSegment(await fx.jpeg(32, 32), 0xfe, '<script>alert(1)</script>'), '<script'],
    ['in a JPEG APP1/EXIF segment', () => exif('jpeg', { ImageDescription: '<svg onload=alert(1)>' }), '<svg'],
    ['in a JPEG APP1/XMP segment', () => xmp('jpeg', '<iframe src=//x.example>'), '<iframe'],
    [
      'in an unknown JPEG segment (APP11)',
      async () => pg.withJpegSegment(await fx.jpeg(32, 32), 0xeb, 'javascript:alert(1)'),
      'javascript:',
    ],
    ['after the JPEG EOI', async () => Buffer.concat([await fx.jpeg(32, 32), Buffer.from(html)]), '<html'],
    [
      'after a second JPEG',
      async () => Buffer.concat([await fx.jpeg(32, 32), await fx.jpeg(16, 16), Buffer.from('<?php system($_GET[0]); ?>')]),
      '<?php',
    ],
    [
      'in a comment of a second JPEG',
      async () => Buffer.concat([await fx.jpeg(32, 32), pg.withJpegSegment(await fx.jpeg(16, 16), 0xfe, '<body onload=x>')]),
      '<body',
    ],
    ['in a PNG tEXt chunk', async () => pg.withPngChunk(await fx.png(32, 32), 'tEXt', 'Comment\0<script>alert(1)</script>'), '<script'],
    [
      'in a PNG iTXt chunk',
      async () => pg.withPngChunk(await fx.png(32, 32), 'iTXt', 'Description\0\0\0en\0\0<svg onload=alert(1)>'),
      '<svg',
    ],
    ['in a PNG zTXt keyword', async () => pg.withPngChunk(await fx.png(32, 32), 'zTXt', '<html>\0\0x\x9c\x03\0\0\0\0\x01'), '<html'],
    ['in PNG EXIF', () => exif('png', { Artist: '<iframe src=//x.example>' }), '<iframe'],
    ['in an unknown PNG chunk', async () => pg.withPngChunk(await fx.png(32, 32), 'prVt', '<!DOCTYPE html>'), '<!DOCTYPE'],
    ['after the PNG IEND', async () => Buffer.concat([await fx.png(32, 32), Buffer.from(html)]), '<html'],
    [
      'in a chunk named IDAT after the PNG IEND',
      async () => Buffer.concat([await fx.png(32, 32), fx.chunk('IDAT', Buffer.from(html))]),
      '<html',
    ],
    ['in a WebP EXIF chunk', () => exif('webp', { Copyright: 'javascript:alert(1)' }), 'javascript:'],
    ['in a WebP XMP chunk', () => xmp('webp', '<script>alert(1)</script>'), '<script'],
    ['in an unknown WebP chunk', async () => pg.withRiffChunk(await fx.webp(32, 32), 'HTML', html), '<html'],
    ['after the RIFF end of a WebP', async () => Buffer.concat([await fx.webp(32, 32), Buffer.from(html)]), '<html'],
    [
      'in a chunk named VP8 after the RIFF end of a WebP',
      async () => Buffer.concat([await fx.webp(32, 32), pg.withRiffChunk(Buffer.from('RIFF\0\0\0\0WEBP'), 'VP8 ', html).subarray(12)]),
      '<html',
    ],
    ['in an HTML page with a JPEG header prepended', () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), fx.html()]), '<!DOCTYPE'],
    [
      'in an HTML page after a JPEG SOI and JFIF header',
      async () => Buffer.concat([(await fx.jpeg(8, 8)).subarray(0, 20), fx.html()]),
      '<!DOCTYPE',
    ],
    [
      'in an HTML page with a PNG signature prepended',
      async () => Buffer.concat([(await fx.png(8, 8)).subarray(0, 8), fx.html()]),
      '<!DOCTYPE',
    ],
    [
      'in an HTML page with a WebP header prepended',
      async () => Buffer.concat([(await fx.webp(8, 8)).subarray(0, 12), fx.html()]),
      '<!DOCTYPE',
    ],
  ])('refuses markup %s', async (_where, make, markup) => {
    expectRefusedFor(await make(), markup);
  });

  it('finds markup wherever it sits in a long trailer (across the 64 KiB windows the scan reads)', async () => {
    const jpg = await fx.jpeg(16, 16);
    for (let at = 65536 - 12; at <= 65536 + 1; at++) {
      const trailer = Buffer.alloc(70_000, 0x20);
      trailer.write('JavaScript:', at - 2, 'latin1'); // the scan of the trailer starts at the EOI marker, 2 bytes earlier
      expectRefusedFor(Buffer.concat([jpg, trailer]), 'JavaScript:');
    }
  });
});

describe('checkInput: where the structure cannot be walked, the rest of the file is scanned', () => {
  const scanWithMarkup = async () => {
    const jpg = await fx.jpeg(64, 64);
    const [[start]] = pg.jpegScans(jpg);
    const planted = Buffer.from(jpg);
    planted.write('<svg', start + 4, 'latin1');
    return planted;
  };

  it('accepts markup in a complete scan but refuses it in a scan that never ends (no EOI: truncated)', async () => {
    const planted = await scanWithMarkup();
    expect(refusal(planted)).toBeNull();
    expectRefusedFor(planted.subarray(0, planted.length - 2), '<svg');
  });

  it('refuses markup after a JPEG segment whose length runs past the end of the file', async () => {
    const jpg = await fx.jpeg(32, 32);
    const app1 = Buffer.from([0xff, 0xe1, 0xff, 0xf0]);
    expectRefusedFor(Buffer.concat([jpg.subarray(0, 2), app1, Buffer.from('Exif\0\0<script>')]), '<script');
  });

  it('refuses markup where a JPEG marker should be', async () => {
    const jpg = await fx.jpeg(32, 32);
    const app0End = 4 + jpg.readUInt16BE(4);
    expectRefusedFor(Buffer.concat([jpg.subarray(0, app0End), Buffer.from('<body onload=x>'), jpg.subarray(app0End)]), '<body');
  });

  it('refuses markup in the IDAT of a PNG cut short, and in the VP8 data of a WebP cut short', async () => {
    const png = await pg.noise(3, 64, 64).png({ compressionLevel: 0 }).toBuffer();
    const [idat] = pg.pngChunks(png).filter((c) => c.type === 'IDAT');
    const plantedPng = Buffer.from(png);
    plantedPng.write('<svg', idat.data[0] + 10, 'latin1');
    expect(refusal(plantedPng)).toBeNull();
    expectRefusedFor(plantedPng.subarray(0, idat.data[0] + 100), '<svg');

    const webp = await pg.noise(3, 64, 64).webp().toBuffer();
    const [vp8] = pg.riffChunks(webp).filter((c) => c.type === 'VP8 ');
    const plantedWebp = Buffer.from(webp);
    plantedWebp.write('<svg', vp8.data[0] + 10, 'latin1');
    expect(refusal(plantedWebp)).toBeNull();
    expectRefusedFor(plantedWebp.subarray(0, vp8.data[0] + 100), '<svg');
  });
});
