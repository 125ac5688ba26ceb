import fs from 'fs';
import path from 'path';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';
import type { IncomingFile } from '../services/evidence';
import { getService } from '../utils/get-service';
import { fieldStaffOf as caller } from './field-staff';
import { parse } from './validation/parse';
import { documentIdParam } from './validation/record';
import { photoFields, photoSide, signatureFields, slotKey } from './validation/evidence';

interface UploadedFile {
  filepath: string;
  originalFilename?: string | null;
  size: number;
}

/** The one multipart file of the request, read and its temporary copy removed. Names are reduced to a safe base. */
const takeFile = async (ctx: Context): Promise<IncomingFile> => {
  const files = ((ctx.request as unknown as { files?: Record<string, UploadedFile | UploadedFile[]> }).files ?? {}) as Record<
    string,
    UploadedFile | UploadedFile[]
  >;
  const all = Object.values(files).flat();
  try {
    const extra = Object.keys(files).filter((k) => k !== 'file');
    if (extra.length) throw new errors.ValidationError(`${extra.join(', ')}: unexpected file field; send one file as "file"`);
    const entry = files.file;
    if (!entry) throw new errors.ValidationError('file: attach the image as the multipart field "file"');
    if (Array.isArray(entry) && entry.length !== 1) throw new errors.ValidationError('file: send exactly one file');
    const file = Array.isArray(entry) ? entry[0] : entry;
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

/** Content API for field staff: the photos and signatures of their own records. */
const evidenceController = ({ strapi }: { strapi: Core.Strapi }) => ({
  async putPhoto(ctx: Context) {
    const documentId = parse(documentIdParam, ctx.params.documentId, 'path');
    const side = parse(photoSide, ctx.params.side, 'path');
    const fields = parse(photoFields, ctx.request.body);
    const file = await takeFile(ctx);
    const { record, created } = await getService(strapi, 'evidence').putPhoto(caller(ctx), documentId, side, {
      ...file,
      originalSha256: fields.originalSha256.toLowerCase(),
      metadata: fields.metadata ?? null,
    });
    ctx.status = created ? 201 : 200;
    ctx.body = { data: record };
  },

  async putSignature(ctx: Context) {
    const documentId = parse(documentIdParam, ctx.params.documentId, 'path');
    const slot = parse(slotKey, ctx.params.slot, 'path');
    const fields = parse(signatureFields, ctx.request.body);
    const file = await takeFile(ctx);
    const { record, created } = await getService(strapi, 'evidence').putSignature(caller(ctx), documentId, slot, { ...file, ...fields });
    ctx.status = created ? 201 : 200;
    ctx.body = { data: record };
  },
});

export default evidenceController;
