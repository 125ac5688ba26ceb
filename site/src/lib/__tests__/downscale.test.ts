import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { downscaleToJpeg, fitEdge, fitWithin, PhotoError, type DecodedImage, type DownscaleDeps } from '../downscale';
import { sniffBlob, sniffImageType } from '../image-type';

/** The first bytes of an ISO-BMFF file: an ftyp box with a major brand and compatible brands. */
const ftyp = (major: string, ...compatible: string[]) => {
  const size = 16 + 4 * compatible.length;
  const text = `ftyp${major}\0\0\0\0${compatible.join('')}`;
  return new Uint8Array([0, 0, 0, size, ...[...text].map((c) => c.charCodeAt(0)), 0, 0, 0, 8]);
};

describe('fitting a photo within the pixel limit', () => {
  it('keeps a photo that already fits as it is — never enlarges', () => {
    expect(fitWithin(1600, 1200, 8_000_000)).toEqual({ width: 1600, height: 1200 });
    expect(fitWithin(2000, 2000, 4_000_000)).toEqual({ width: 2000, height: 2000 });
  });

  it('scales a 12 MP photo to at most 4 MP with the same aspect ratio', () => {
    const { width, height } = fitWithin(4032, 3024, 4_000_000);
    expect(width * height).toBeLessThanOrEqual(4_000_000);
    expect(width * height).toBeGreaterThan(3_990_000);
    expect(Number.isInteger(width) && Number.isInteger(height)).toBe(true);
    expect(Math.abs(width / height - 4032 / 3024)).toBeLessThan(0.001);
  });

  it('works for portrait photos and odd sizes', () => {
    for (const [w, h, max] of [
      [3024, 4032, 2_000_000],
      [4001, 2999, 1_000_003],
      [7, 5000, 1000],
      [100_000, 3, 5000],
    ]) {
      const out = fitWithin(w, h, max);
      expect(out.width * out.height).toBeLessThanOrEqual(max);
      expect(out.width).toBeGreaterThanOrEqual(1);
      expect(out.height).toBeGreaterThanOrEqual(1);
      expect(out.width).toBeLessThanOrEqual(w);
      expect(out.height).toBeLessThanOrEqual(h);
    }
    expect(fitWithin(3024, 4032, 2_000_000).height).toBeGreaterThan(fitWithin(3024, 4032, 2_000_000).width);
  });

  it('refuses sizes that are not pictures, with a message', () => {
    expect(() => fitWithin(0, 100, 1000)).toThrow(/at least 1×1/);
    expect(() => fitWithin(100, 100, 0)).toThrow(/pixel limit/);
    expect(() => fitWithin(Number.NaN, 100, 1000)).toThrow(RangeError);
  });
});

describe('recognising the kind of picture from its bytes', () => {
  it('recognises JPEG, PNG and WebP made by an encoder', async () => {
    const base = sharp({ create: { width: 4, height: 4, channels: 3, background: '#123' } });
    expect(sniffImageType(new Uint8Array(await base.clone().jpeg().toBuffer()))).toBe('jpeg');
    expect(sniffImageType(new Uint8Array(await base.clone().png().toBuffer()))).toBe('png');
    expect(sniffImageType(new Uint8Array(await base.clone().webp().toBuffer()))).toBe('webp');
  });

  it('recognises HEIC/HEIF by the ftyp brand, also when it is only a compatible brand', () => {
    expect(sniffImageType(ftyp('heic', 'mif1', 'heic'))).toBe('heic');
    expect(sniffImageType(ftyp('heix'))).toBe('heic');
    expect(sniffImageType(ftyp('mif1', 'heic'))).toBe('heic');
    expect(sniffImageType(ftyp('msf1', 'hevc'))).toBe('heic');
  });

  it('does not take AVIF or a video for HEIC', () => {
    expect(sniffImageType(ftyp('avif', 'mif1', 'miaf'))).toBe('avif');
    expect(sniffImageType(ftyp('isom', 'mp41'))).toBe('unknown');
    expect(sniffImageType(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe('unknown');
    expect(sniffImageType(new Uint8Array([]))).toBe('unknown');
  });

  it('reads only the start of a Blob', async () => {
    const blob = new Blob([ftyp('heic', 'mif1'), new Uint8Array(1_000_000)]);
    expect(await sniffBlob(blob)).toBe('heic');
  });
});

describe('preparing a photo for upload', () => {
  const fakeDeps = (decodable: boolean, size = { width: 4032, height: 3024 }) => {
    const seen: { size?: { width: number; height: number }; quality?: number; closed: boolean } = { closed: false };
    const deps: DownscaleDeps = {
      decode: async () => {
        if (!decodable) throw new DOMException('The source image could not be decoded.', 'InvalidStateError');
        const image: DecodedImage = { ...size, source: {} as CanvasImageSource, close: () => (seen.closed = true) };
        return image;
      },
      encodeJpeg: async (_image, target, quality) => {
        seen.size = target;
        seen.quality = quality;
        return new Blob([new Uint8Array([0xff, 0xd8, 0xff])], { type: 'image/jpeg' });
      },
    };
    return { deps, seen };
  };

  it('scales to the slot limit and encodes a JPEG at quality 0.9', async () => {
    const { deps, seen } = fakeDeps(true);
    const out = await downscaleToJpeg(new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0])]), 4_000_000, undefined, deps);
    expect(out.width * out.height).toBeLessThanOrEqual(4_000_000);
    expect(seen.size).toEqual({ width: out.width, height: out.height });
    expect(seen.quality).toBe(0.9);
    expect(out.blob.type).toBe('image/jpeg');
    expect(seen.closed).toBe(true);
  });

  it('asks for a JPEG when the browser cannot open a HEIC photo', async () => {
    const { deps } = fakeDeps(false);
    const err = await downscaleToJpeg(new Blob([ftyp('heic', 'mif1', 'heic')]), 4_000_000, 0.9, deps).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PhotoError);
    expect(err).toMatchObject({ code: 'heic' });
    expect((err as Error).message).toMatch(/HEIC/);
    expect((err as Error).message).toMatch(/Choose a JPEG/);
  });

  it('accepts HEIC when the browser can decode it', async () => {
    const { deps } = fakeDeps(true, { width: 800, height: 600 });
    const out = await downscaleToJpeg(new Blob([ftyp('heic', 'mif1')]), 4_000_000, 0.9, deps);
    expect(out).toMatchObject({ width: 800, height: 600 });
  });

  it('says so when a file is not a picture or is empty', async () => {
    const { deps } = fakeDeps(false);
    await expect(downscaleToJpeg(new Blob(['%PDF-1.7']), 1000, 0.9, deps)).rejects.toMatchObject({
      code: 'unreadable',
      message: expect.stringMatching(/JPEG, PNG or WebP/),
    });
    await expect(downscaleToJpeg(new Blob([]), 1000, 0.9, deps)).rejects.toMatchObject({ code: 'empty' });
  });

  it('makes the quality check its small copy from the same decode, only when asked, and closes the decode after', async () => {
    const { deps, seen } = fakeDeps(true);
    const shrunk: { size: { width: number; height: number }; decodeOpen: boolean }[] = [];
    const small = {} as ImageBitmap;
    const withShrink: DownscaleDeps = {
      ...deps,
      shrink: async (_image, size) => {
        shrunk.push({ size, decodeOpen: !seen.closed });
        return small;
      },
    };
    const jpeg = new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0])]);
    expect((await downscaleToJpeg(jpeg, 4_000_000, 0.9, withShrink)).small).toBeUndefined();
    expect(shrunk).toEqual([]);
    seen.closed = false;
    expect((await downscaleToJpeg(jpeg, 4_000_000, 0.9, withShrink, 512)).small).toBe(small);
    expect(shrunk).toEqual([{ size: { width: 512, height: 384 }, decodeOpen: true }]);
    expect(seen.closed).toBe(true);
  });

  it('still gives the photo when the small copy cannot be made', async () => {
    const { deps } = fakeDeps(true);
    const failing: DownscaleDeps = { ...deps, shrink: () => Promise.reject(new Error('no memory')) };
    const out = await downscaleToJpeg(new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0])]), 4_000_000, 0.9, failing, 512);
    expect(out.small).toBeUndefined();
    expect(out.blob.size).toBeGreaterThan(0);
  });
});

describe('the long edge of the quality copy', () => {
  it('scales the long edge down to the limit, keeps the aspect ratio and never enlarges', () => {
    expect(fitEdge(4032, 3024, 512)).toEqual({ width: 512, height: 384 });
    expect(fitEdge(3024, 4032, 512)).toEqual({ width: 384, height: 512 });
    expect(fitEdge(400, 300, 512)).toEqual({ width: 400, height: 300 });
    expect(fitEdge(10_000, 10, 512)).toEqual({ width: 512, height: 1 });
  });
});
