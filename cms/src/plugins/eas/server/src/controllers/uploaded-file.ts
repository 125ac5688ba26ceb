import fs from 'fs';
import path from 'path';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';

interface UploadedFile {
  filepath: string;
  originalFilename?: string | null;
  size: number;
}

/**
 * The one multipart file of a request, in field `field`: its bytes and a safe base name. Every temporary file of
 * the request is removed, whatever happens. Any other file field, none, or more than one is a 400 naming the field;
 * a file over `maxBytes` a 413.
 */
export const takeUpload = async (
  ctx: Context,
  field: string,
  what: string,
  maxBytes: number
): Promise<{ buffer: Buffer; filename: string }> => {
  const files = ((ctx.request as unknown as { files?: Record<string, UploadedFile | UploadedFile[]> }).files ?? {}) as Record<
    string,
    UploadedFile | UploadedFile[]
  >;
  const all = Object.values(files).flat();
  try {
    const extra = Object.keys(files).filter((k) => k !== field);
    if (extra.length) throw new errors.ValidationError(`${extra.join(', ')}: unexpected file field; send one file as "${field}"`);
    const entry = files[field];
    if (Array.isArray(entry) && entry.length !== 1) throw new errors.ValidationError(`${field}: send exactly one file`);
    const file = Array.isArray(entry) ? entry[0] : entry;
    if (!file) throw new errors.ValidationError(`${field}: attach ${what} as the multipart field "${field}"`);
    if (file.size > maxBytes)
      throw new errors.PayloadTooLargeError(`${field}: the file is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`);
    const filename =
      path
        .basename(String(file.originalFilename ?? 'upload'))
        .replace(/[^\w.\- ]+/g, '_')
        .slice(0, 100) || 'upload';
    return { buffer: await fs.promises.readFile(file.filepath), filename };
  } finally {
    await Promise.all(all.map((f) => fs.promises.rm(f.filepath, { force: true })));
  }
};
