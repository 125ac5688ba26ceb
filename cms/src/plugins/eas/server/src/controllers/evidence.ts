import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import type { IncomingFile } from '../services/evidence';
import { getService } from '../utils/get-service';
import { fieldStaffOf as caller } from './field-staff';
import { parse } from './validation/parse';
import { takeUpload } from './uploaded-file';
import { documentIdParam } from './validation/record';
import { photoFields, photoSide, signatureFields, slotKey } from './validation/evidence';

/** The one multipart file of the request (its size is bounded by the body parser's UPLOAD_MAX_MB). */
const takeFile = (ctx: Context): Promise<IncomingFile> => takeUpload(ctx, 'file', 'the image', Number.MAX_SAFE_INTEGER);

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
