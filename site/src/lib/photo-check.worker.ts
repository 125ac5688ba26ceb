/**
 * Web Worker: decodes the taken photo straight to a 512 px copy and runs the quality check (lib/photo-check.ts),
 * so the page stays responsive. Message in: { blob, size, slot, otherSideHash }; out: PhotoCheck or { error }.
 */
import { QUALITY_EDGE } from '../../../cms/src/plugins/eas/shared/photo-quality';
import { checkPixels, type CheckInput } from './photo-check';

type Request = Omit<CheckInput, 'rgba' | 'width' | 'height'> & { blob: Blob };

self.onmessage = async (event: MessageEvent<Request>) => {
  try {
    const { blob, ...rest } = event.data;
    const landscape = rest.size.width >= rest.size.height;
    const bitmap = await createImageBitmap(blob, {
      imageOrientation: 'from-image',
      resizeQuality: 'low',
      ...(landscape
        ? { resizeWidth: Math.min(QUALITY_EDGE, rest.size.width) }
        : { resizeHeight: Math.min(QUALITY_EDGE, rest.size.height) }),
    });
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    ctx.drawImage(bitmap, 0, 0);
    const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
    bitmap.close();
    self.postMessage(checkPixels({ ...rest, rgba: data, width: canvas.width, height: canvas.height }));
  } catch (err) {
    self.postMessage({ error: (err as Error).message });
  }
};
