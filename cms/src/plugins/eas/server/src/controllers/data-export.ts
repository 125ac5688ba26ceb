import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { z } from 'zod';
import { RECORD_STATES } from '../constants';
import { getService } from '../utils/get-service';
import { parse } from './validation/parse';
import { formSlug } from './validation/record';
import { adminActor, type AdminUser } from '../services/review';

const isoDate = z.iso
  .datetime({ offset: true, error: 'is not an ISO 8601 date-time' })
  .or(z.iso.date({ error: 'is not a date (YYYY-MM-DD)' }));

const body = z
  .object({
    form: formSlug,
    format: z.enum(['csv', 'xlsx']),
    version: z.number().int().min(1).optional(),
    status: z.enum(RECORD_STATES).optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    owner: z.number().int().min(1).optional(),
    header: z.enum(['key', 'label']).optional(),
    bom: z.boolean().optional(),
  })
  .strict();

const jobId = z.uuid({ error: 'is not an export id' });

/** Admin: CSV / XLSX exports of a form's records (services/data-export.ts); same permission as the PDF export. */
const dataExportController = ({ strapi }: { strapi: Core.Strapi }) => {
  const exports = () => getService(strapi, 'data-export');
  const adminId = (ctx: Context) => (ctx.state.user as { id: number }).id;
  return {
    /** POST /eas/data-exports { form, format, version?, status?, from?, to?, owner?, header?, bom? } → 202 { id, total } */
    async start(ctx: Context) {
      const options = parse(body, ctx.request.body);
      ctx.status = 202;
      ctx.body = { data: await exports().start(adminActor(ctx.state.user as AdminUser), options) };
    },

    /** GET /eas/data-exports/:id → progress */
    async progress(ctx: Context) {
      ctx.body = { data: await exports().progress(parse(jobId, ctx.params.id, 'path'), adminId(ctx)) };
    },

    /** GET /eas/data-exports/:id/file → the CSV or XLSX, once done */
    async file(ctx: Context) {
      const file = await exports().file(parse(jobId, ctx.params.id, 'path'), adminId(ctx));
      ctx.set('Content-Disposition', `attachment; filename="eas-records-${file.createdAt.toISOString().slice(0, 10)}.${file.format}"`);
      ctx.set('Cache-Control', 'private, no-store');
      ctx.type = file.mime;
      if (file.bytes > 0) ctx.length = file.bytes;
      ctx.body = file.body;
    },
  };
};

export default dataExportController;
