import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { MediaRejectedError, processPhoto, processSignature, sha256, sniff } from '../image-processing';
import * as fx from './image-fixtures';

const rejection = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => null,
    (e: unknown) => e
  );
  expect(err).toBeInstanceOf(MediaRejectedError);
  return err as MediaRejectedError;
};

describe('sniff (by content, not by name)', () => {
  it('recognises the accepted formats and the usual impostors', async () => {
    expect(sniff(await fx.jpeg())).toBe('jpeg');
    expect(sniff(await fx.png())).toBe('png');
    expect(sniff(await fx.webp())).toBe('webp');
    expect(sniff(fx.heicHeader())).toBe('heic');
    expect(sniff(fx.svg())).toBe('svg');
    expect(sniff(fx.html())).toBe('html');
    expect(sniff(fx.pdf())).toBe('pdf');
  });
});

describe('processPhoto (real sharp)', () => {
  it('turns a sideways phone JPEG upright and strips EXIF and GPS', async () => {
    const input = await fx.rotatedJpegWithGps(400, 200);
    expect((await sharp(input).metadata()).exif).toBeDefined();
    const out = await processPhoto(input, 'front.jpg');

    expect(out.original).toMatchObject({ width: 200, height: 400, bytes: input.length, sha256: sha256(input) });
    expect([out.display.width, out.display.height]).toEqual([200, 400]);
    const meta = await sharp(out.display.buffer).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    expect(out.display.buffer.includes(Buffer.from('TestPhone'))).toBe(false);
    // Rotated 90° clockwise: the red left half is now on top.
    expect((await fx.pixel(out.display.buffer, 100, 20)).r).toBeGreaterThan(200);
    expect((await fx.pixel(out.display.buffer, 100, 380)).b).toBeGreaterThan(200);
  });

  it('limits the display copy to 2048 px and the thumbnail to 320 px, and hashes what is stored', async () => {
    const out = await processPhoto(await fx.jpeg(4000, 3000), 'big.jpg');
    expect([out.display.width, out.display.height]).toEqual([2048, 1536]);
    expect([out.thumbnail.width, out.thumbnail.height]).toEqual([320, 240]);
    expect(out.display.sha256).toBe(sha256(out.display.buffer));
    expect(out.display.bytes).toBe(out.display.buffer.length);
    expect(out.display.mime).toBe('image/jpeg');
  });

  it('accepts PNG and WebP and stores JPEG', async () => {
    for (const input of [await fx.png(), await fx.webp()]) {
      const out = await processPhoto(input, 'x');
      expect((await sharp(out.display.buffer).metadata()).format).toBe('jpeg');
    }
  });

  it('never enlarges a small photo', async () => {
    const out = await processPhoto(await fx.jpeg(100, 80), 'small.jpg');
    expect([out.display.width, out.display.height]).toEqual([100, 80]);
  });

  it.each([
    ['HEIC', () => fx.heicHeader(), 415, 'heic', /HEIC\/HEIF.*send it as JPEG/],
    ['SVG', () => fx.svg(), 415, 'unsupported_type', /an SVG drawing/],
    ['HTML', () => fx.html(), 415, 'unsupported_type', /an HTML document/],
    ['PDF', () => fx.pdf(), 415, 'unsupported_type', /a PDF document/],
    ['JPEG+HTML polyglot', () => fx.jpegHtmlPolyglot(), 415, 'polyglot', /embedded markup/],
    ['truncated JPEG', () => fx.truncatedJpeg(), 422, 'corrupt', /damaged or truncated|not a readable image/],
    ['oversize file', () => fx.oversize(), 413, 'too_large', /limit is 20 MB/],
  ])('refuses %s with %i, naming the file', async (_name, make, status, code, message) => {
    const err = await rejection(processPhoto(await make(), 'evidence.jpg'));
    expect(err.status).toBe(status);
    expect(err.code).toBe(code);
    expect(err.message).toContain('"evidence.jpg"');
    expect(err.message).toMatch(message);
  });

  it('refuses a pixel bomb from its header, without decoding it', async () => {
    // 20000×20000 pixels claimed by a file too small to hold them: only the header can have been read to refuse it
    // as too many pixels (a decoder would fail on the missing data as a damaged file, after allocating 1.2 GB).
    const bomb = fx.pixelBombPng();
    expect(bomb.length).toBeLessThan(200);
    const err = await rejection(processPhoto(bomb, 'bomb.png'));
    expect(err.status).toBe(422);
    expect(err.code).toBe('too_many_pixels');
    expect(err.message).toContain('"bomb.png"');
  });
});

describe('processSignature', () => {
  it('trims the transparent margins around the ink', async () => {
    const out = await processSignature(await fx.signaturePng(), 'signature.png');
    expect([out.image.width, out.image.height]).toEqual([200, 40]);
    expect(out.image.mime).toBe('image/png');
  });

  it('refuses an empty pad and anything that is not a PNG', async () => {
    expect((await rejection(processSignature(await fx.emptySignaturePng(), 'sig.png'))).code).toBe('empty_signature');
    expect((await rejection(processSignature(await fx.jpeg(), 'sig.png'))).status).toBe(415);
  });
});
