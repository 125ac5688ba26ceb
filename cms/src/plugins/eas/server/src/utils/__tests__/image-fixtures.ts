/**
 * Test images made on the fly with real sharp (no binary fixtures in git): photos with EXIF orientation and GPS,
 * PNG/WebP, and hostile inputs (HEIC header, SVG, HTML, JPEG+HTML polyglot, truncated JPEG, oversize file, a PNG that
 * declares 20000×20000 pixels).
 */
import { crc32 } from 'zlib';
import sharp from 'sharp';

/** A landscape test card: left half red, right half blue, so orientation can be checked by pixel colour. */
export const card = (width = 400, height = 200) =>
  sharp({ create: { width, height, channels: 3, background: '#ff0000' } }).composite([
    { input: { create: { width: Math.floor(width / 2), height, channels: 3, background: '#0000ff' } }, left: Math.ceil(width / 2), top: 0 },
  ]);

/** JPEG stored sideways (EXIF orientation 6 = rotate 90° clockwise to view) with a GPS position in its EXIF. */
export const rotatedJpegWithGps = (width = 400, height = 200) =>
  card(width, height)
    .jpeg({ quality: 90 })
    .withExif({
      IFD0: { Make: 'TestPhone', Model: 'Evidence 1' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1', GPSLongitudeRef: 'W', GPSLongitude: '0/1 7/1 0/1' },
    })
    .withMetadata({ orientation: 6 })
    .toBuffer();

export const jpeg = (width = 640, height = 480) => card(width, height).jpeg({ quality: 85 }).toBuffer();
export const png = (width = 300, height = 200) => card(width, height).png().toBuffer();
export const webp = (width = 300, height = 200) => card(width, height).webp().toBuffer();

/** A signature as signature_pad exports it: transparent canvas with a dark stroke in the middle. */
export const signaturePng = async (width = 600, height = 300) =>
  sharp({ create: { width, height, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
    .composite([
      { input: { create: { width: 200, height: 40, channels: 4, background: { r: 20, g: 20, b: 60, alpha: 1 } } }, left: 150, top: 120 },
    ])
    .png()
    .toBuffer();

/** Counts from a random start per process: unique within a process, and across processes almost surely. */
let signatures = Math.floor(Math.random() * 5_000_000);

/**
 * A signature no other test signature equals (EAS refuses the same drawing twice): the same shape as signaturePng,
 * in an ink colour of its own.
 */
export const uniqueSignaturePng = async (width = 600, height = 300) => {
  const n = ++signatures % 6_000_000; // 6,000,000 distinct inks
  const ink = { r: n % 200, g: Math.floor(n / 200) % 200, b: 60 + (Math.floor(n / 40_000) % 150), alpha: 1 };
  return sharp({ create: { width, height, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
    .composite([{ input: { create: { width: 200, height: 40, channels: 4, background: ink } }, left: 150, top: 120 }])
    .png()
    .toBuffer();
};

/** signature_pad strokes no other test signature has (a pen stroke at this moment). */
export const uniqueStrokes = () => {
  const t = Date.now() + ++signatures;
  return [
    {
      penColor: 'black',
      points: [
        { x: 10, y: 10, time: t, pressure: 0.5 },
        { x: 50 + (t % 100), y: 20, time: t + 20, pressure: 0.5 },
      ],
    },
  ];
};

export const emptySignaturePng = () =>
  sharp({ create: { width: 600, height: 300, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
    .png()
    .toBuffer();

export const heicHeader = () =>
  Buffer.concat([
    Buffer.from([0, 0, 0, 0x18]),
    Buffer.from('ftypheic', 'latin1'),
    Buffer.from([0, 0, 0, 0]),
    Buffer.from('mif1heic', 'latin1'),
    Buffer.alloc(64),
  ]);

export const svg = () => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>');
export const html = () => Buffer.from('<!DOCTYPE html><html><body><img src=x onerror=alert(1)></body></html>');
export const pdf = () => Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

/** A valid JPEG with an HTML document appended: a browser sniffing it could run the script. */
export const jpegHtmlPolyglot = async () =>
  Buffer.concat([await jpeg(64, 64), Buffer.from('<html><script>alert(document.cookie)</script></html>')]);

export const truncatedJpeg = async () => {
  const full = await jpeg(800, 600);
  return full.subarray(0, Math.floor(full.length * 0.6));
};

/** More bytes than the upload limit, starting like a JPEG. */
export const oversize = (bytes = 21 * 1024 * 1024) => {
  const buf = Buffer.alloc(bytes, 0x20);
  buf[0] = 0xff;
  buf[1] = 0xd8;
  buf[2] = 0xff;
  return buf;
};

export const chunk = (type: string, data: Buffer) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([len, body, crc]);
};

/** A few hundred bytes that declare a 20000×20000 image: decoding it would need 1.2 GB. */
export const pixelBombPng = (width = 20000, height = 20000) => {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', Buffer.from([0x78, 0x9c, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01])),
    chunk('IEND', Buffer.alloc(0)),
  ]);
};

/** Colour of a pixel, for orientation checks. */
export const pixel = async (buf: Buffer, x: number, y: number) => {
  const { data, info } = await sharp(buf).raw().toBuffer({ resolveWithObject: true });
  const i = (y * info.width + x) * info.channels;
  return { r: data[i], g: data[i + 1], b: data[i + 2] };
};
