/**
 * What kind of picture a file is, judged by its first bytes (names and MIME types from the picker are unreliable).
 */
export type ImageKind = 'jpeg' | 'png' | 'webp' | 'gif' | 'heic' | 'avif' | 'unknown';

/** ISO-BMFF brands of HEIF/HEIC images (iPhone and many Android cameras). */
const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs', 'mif1', 'msf1']);
const AVIF_BRANDS = new Set(['avif', 'avis']);

const ascii = (bytes: Uint8Array, from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));

/** Sniffs the first bytes (16 are enough for JPEG/PNG/WebP; HEIF brands need the ftyp box, up to ~64 bytes). */
export const sniffImageType = (bytes: Uint8Array): ImageKind => {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 8 && bytes[0] === 0x89 && ascii(bytes, 1, 4) === 'PNG' && bytes[4] === 0x0d && bytes[5] === 0x0a) return 'png';
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'webp';
  if (bytes.length >= 6 && ascii(bytes, 0, 4) === 'GIF8') return 'gif';
  if (bytes.length >= 12 && ascii(bytes, 4, 8) === 'ftyp') {
    // Box: size (4), 'ftyp', major brand (4), minor version (4), compatible brands (4 each) up to the box size.
    const size = (bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3];
    const end = Math.min(bytes.length, size > 16 ? size : 16);
    const brands = [ascii(bytes, 8, 12)];
    for (let i = 16; i + 4 <= end; i += 4) brands.push(ascii(bytes, i, i + 4));
    // AVIF files list mif1 too; an avif brand decides.
    if (brands.some((b) => AVIF_BRANDS.has(b))) return 'avif';
    if (brands.some((b) => HEIF_BRANDS.has(b))) return 'heic';
  }
  return 'unknown';
};

export const sniffBlob = async (blob: Blob): Promise<ImageKind> => sniffImageType(new Uint8Array(await blob.slice(0, 64).arrayBuffer()));
