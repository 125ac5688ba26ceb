/**
 * Reads a barcode or QR code from an image (a camera frame or a photo): the browser's own BarcodeDetector where it
 * has one (Android, ChromeOS, macOS), else ZXing-C++ compiled to WebAssembly (zxing-wasm), loaded only when the
 * person first scans — its ~0.9 MB .wasm is served by the site itself (bundled by Vite, precached for offline use),
 * never fetched from a CDN (zxing-wasm's default, overridden here).
 */
type Source = ImageBitmap | ImageData | HTMLCanvasElement | HTMLVideoElement;

interface DetectorLike {
  detect(source: ImageBitmapSource): Promise<{ rawValue: string }[]>;
}

const nativeDetector = async (): Promise<DetectorLike | null> => {
  const Ctor = (globalThis as unknown as { BarcodeDetector?: { new (): DetectorLike; getSupportedFormats(): Promise<string[]> } })
    .BarcodeDetector;
  if (!Ctor) return null;
  try {
    return (await Ctor.getSupportedFormats()).length ? new Ctor() : null;
  } catch {
    return null;
  }
};

let zxing: Promise<typeof import('zxing-wasm/reader')> | null = null;
const loadZxing = () =>
  (zxing ??= Promise.all([import('zxing-wasm/reader'), import('zxing-wasm/reader/zxing_reader.wasm?url')]).then(([mod, wasm]) => {
    mod.prepareZXingModule({
      overrides: { locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? wasm.default : prefix + path) },
    });
    return mod;
  }));

const toImageData = (source: Source): ImageData => {
  if (source instanceof ImageData) return source;
  const width = source instanceof HTMLVideoElement ? source.videoWidth : source.width;
  const height = source instanceof HTMLVideoElement ? source.videoHeight : source.height;
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.drawImage(source as CanvasImageSource, 0, 0);
  return ctx.getImageData(0, 0, width, height);
};

/** The text of the first code found in the image, or null. */
export const decodeBarcode = async (source: Source): Promise<string | null> => {
  const native = await nativeDetector();
  if (native) {
    const found = await native.detect(source as ImageBitmapSource).catch(() => []);
    if (found[0]?.rawValue) return found[0].rawValue;
  }
  const { readBarcodes } = await loadZxing();
  const results = await readBarcodes(toImageData(source), { tryHarder: true, maxNumberOfSymbols: 1 });
  return results.find((r) => r.isValid)?.text ?? null;
};

/** A photo of a code (a file the person picked): decoded after drawing it (EXIF orientation applied). */
export const decodeBarcodeFile = async (file: Blob): Promise<string | null> => {
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  try {
    return await decodeBarcode(bitmap);
  } finally {
    bitmap.close();
  }
};
