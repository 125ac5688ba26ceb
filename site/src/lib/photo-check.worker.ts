/**
 * Web Worker: runs the quality check (lib/photo-check.ts) off the main thread, so the page stays responsive. It takes
 * the small copy lib/downscale.ts made from its own decode (transferred, no second decode of a 12 MP photo), or else
 * the photo itself, which it decodes straight to a QUALITY_EDGE copy. Message in: CheckRequest; out: CheckReply.
 */
import { QUALITY_EDGE } from '../../../cms/src/plugins/eas/shared/photo-quality';
import { checkPixels, type CheckReply, type CheckRequest } from './photo-check';

const smallBitmap = (source: ImageBitmap | Blob, size: CheckRequest['size']): Promise<ImageBitmap> => {
  if (!(source instanceof Blob)) return Promise.resolve(source);
  const landscape = size.width >= size.height;
  return createImageBitmap(source, {
    imageOrientation: 'from-image',
    resizeQuality: 'low',
    ...(landscape ? { resizeWidth: Math.min(QUALITY_EDGE, size.width) } : { resizeHeight: Math.min(QUALITY_EDGE, size.height) }),
  });
};

self.onmessage = async (event: MessageEvent<CheckRequest>) => {
  const { id, source, ...rest } = event.data;
  let reply: CheckReply;
  try {
    const bitmap = await smallBitmap(source, rest.size);
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    ctx.drawImage(bitmap, 0, 0);
    const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
    bitmap.close();
    reply = { id, check: checkPixels({ ...rest, rgba: data, width: canvas.width, height: canvas.height }) };
  } catch (err) {
    reply = { id, error: (err as Error).message };
  }
  self.postMessage(reply);
};
