import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';
import { z } from 'zod';
import { RECORD_STATES } from '../constants';
import { getService } from '../utils/get-service';
import { PdfUnavailableError } from '../utils/pdf-pool';
import { ChromiumNotFoundError } from '../utils/chromium';
import { SealTimestampError } from '../utils/tsa-client';
import { pdfUnavailable, recordIsDraft, sealUnavailable } from '../errors';
import { parse } from './validation/parse';
import { documentIdParam, formSlug } from './validation/record';
import { adminActor, type AdminUser } from '../services/review';
import { fieldStaffOf } from './field-staff';

const bulkBody = z
  .object({
    documentIds: z.array(documentIdParam).max(5000, { error: 'at most 5000 records per export' }).optional(),
    status: z.enum(RECORD_STATES).optional(),
    form: formSlug.optional(),
  })
  .strict();

const jobId = z.uuid({ error: 'is not an export id' });
/** ?lang= the labels' language (one of the form's; any other falls back to the form's default language). */
const pdfQuery = z.object({
  lang: z
    .string()
    .regex(/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/, { error: 'is not a language code' })
    .optional(),
});

/** Renderer or TSA trouble is the server's, not the caller's: 503 with a message, never a hang or a 500. */
const rendering = async <T>(work: () => Promise<T>): Promise<T> => {
  try {
    return await work();
  } catch (err) {
    if (err instanceof PdfUnavailableError || err instanceof ChromiumNotFoundError) throw pdfUnavailable(err.message);
    if (err instanceof SealTimestampError) throw sealUnavailable(err.code, err.message);
    throw err;
  }
};

const sendPdf = (ctx: Context, filename: string, buffer: Buffer) => {
  ctx.set('Content-Disposition', `attachment; filename="${filename}"`);
  ctx.set('Cache-Control', 'private, no-store');
  ctx.type = 'application/pdf';
  ctx.body = buffer;
};

const pdfController = ({ strapi }: { strapi: Core.Strapi }) => {
  const pdf = () => getService(strapi, 'pdf-export');
  const exports = () => getService(strapi, 'bulk-export');
  const adminId = (ctx: Context) => (ctx.state.user as { id: number }).id;

  return {
    /** Admin: GET /eas/records/:documentId/pdf */
    async download(ctx: Context) {
      const documentId = parse(documentIdParam, ctx.params.documentId, 'path');
      const { lang } = parse(pdfQuery, ctx.query, 'query');
      const { filename, buffer } = await rendering(() =>
        pdf().renderRecord({ documentId }, adminActor(ctx.state.user as AdminUser), 'admin', lang ?? null)
      );
      sendPdf(ctx, filename, buffer);
    },

    /** Field staff: GET /api/eas/records/:documentId/pdf — a receipt of their own record once it was submitted. */
    async receipt(ctx: Context) {
      const documentId = parse(documentIdParam, ctx.params.documentId, 'path');
      const user = fieldStaffOf(ctx);
      const row = await getService(strapi, 'record').findRow({ documentId, owner: { id: user.id } });
      if (!row) throw new errors.NotFoundError('No such record');
      if (row.state === 'draft') throw recordIsDraft(row.reference);
      const { filename, buffer } = await rendering(() =>
        pdf().renderRecord({ id: row.id }, { kind: 'field-staff', id: user.id, name: user.username }, 'receipt')
      );
      sendPdf(ctx, filename, buffer);
    },

    /** Admin: POST /eas/exports { documentIds? | status?, form? } → 202 { id, total } */
    async startBulk(ctx: Context) {
      const body = parse(bulkBody, ctx.request.body);
      ctx.status = 202;
      ctx.body = { data: await exports().start(adminActor(ctx.state.user as AdminUser), body) };
    },

    /** Admin: GET /eas/exports/:id → progress (from any instance) */
    async progress(ctx: Context) {
      ctx.body = { data: await exports().progress(parse(jobId, ctx.params.id, 'path'), adminId(ctx)) };
    },

    /** Admin: GET /eas/exports/:id/file → the ZIP, once done, streamed from the job storage */
    async file(ctx: Context) {
      const zip = await exports().file(parse(jobId, ctx.params.id, 'path'), adminId(ctx));
      ctx.set('Content-Disposition', `attachment; filename="eas-export-${zip.createdAt.toISOString().slice(0, 10)}.zip"`);
      ctx.set('Cache-Control', 'private, no-store');
      ctx.type = 'application/zip';
      if (zip.bytes > 0) ctx.length = zip.bytes;
      ctx.body = zip.body;
    },
  };
};

export default pdfController;
