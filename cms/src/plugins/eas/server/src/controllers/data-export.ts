import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { z } from 'zod';
import { RECORD_STATES } from '../constants';
import { getService } from '../utils/get-service';
import { parse } from './validation/parse';
import { formSlug } from './validation/record';
import { adminActor, type AdminUser } from '../services/review';
import { DATA_EXPORT_FORMATS } from '../services/data-export';
import { EXPORT_PROFILES } from '../utils/table-rows';

const isoDate = z.iso
  .datetime({ offset: true, error: 'is not an ISO 8601 date-time' })
  .or(z.iso.date({ error: 'is not a date (YYYY-MM-DD)' }));

const body = z
  .object({
    form: formSlug,
    format: z.enum(DATA_EXPORT_FORMATS),
    version: z.number().int().min(1).optional(),
    status: z.enum(RECORD_STATES).optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    owner: z.number().int().min(1).optional(),
    header: z.enum(['key', 'label']).optional(),
    language: z
      .string()
      .regex(/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/, { error: 'is not a language code' })
      .optional(),
    bom: z.boolean().optional(),
    profile: z.enum(EXPORT_PROFILES).optional(),
  })
  .strict();

const jobId = z.uuid({ error: 'is not an export id' });

/** Admin: CSV / XLSX / ZIP exports of a form's records (services/data-export.ts); same permission as the PDF export. */
const dataExportController = ({ strapi }: { strapi: Core.Strapi }) => {
  const exports = () => getService(strapi, 'data-export');
  const adminId = (ctx: Context) => (ctx.state.user as { id: number }).id;
  return {
    /** POST /eas/data-exports { form, format, version?, status?, from?, to?, owner?, header?, language?, bom?, profile? } → 202 { id, total } */
    async start(ctx: Context) {
      const options = parse(body, ctx.request.body);
      ctx.status = 202;
      ctx.body = { data: await exports().start(adminActor(ctx.state.user as AdminUser), options) };
    },

    /** GET /eas/data-exports → the admin's own recent exports */
    async list(ctx: Context) {
      ctx.body = { data: await exports().list(adminId(ctx)) };
    },

    /** GET /eas/data-exports/field-staff → [{ id, username }] for the export's field staff filter */
    async fieldStaff(ctx: Context) {
      ctx.body = { data: await exports().fieldStaff() };
    },

    /** GET /eas/data-exports/:id → progress */
    async progress(ctx: Context) {
      ctx.body = { data: await exports().progress(parse(jobId, ctx.params.id, 'path'), adminId(ctx)) };
    },

    /** GET /eas/data-exports/:id/file → the CSV, XLSX or ZIP, once done */
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
