import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';
import { FORM_COMPONENTS, UID } from '../constants';
import { toFormDefinition, type FormEntry } from '../utils/form-definition';
import { exportXlsform } from '../utils/xlsform/export';
import { xlsformInvalid } from '../errors';
import { importXlsform, xlsformFileProblem } from '../utils/xlsform/import';
import { takeUpload } from './uploaded-file';
import { requireFormPermission } from './form-permission';

const MAX_BYTES = 10 * 1024 * 1024;

/**
 * POST /eas/forms/import (multipart field `file`): an XLSForm becomes a draft EAS form (docs/xlsform.md), or a 400
 * `xlsform_invalid` listing every problem; nothing is created then. Administrators who may create forms only.
 */
const xlsformController = ({ strapi }: { strapi: Core.Strapi }) => ({
  /** GET /eas/forms/:documentId/xlsform: the form (as it is being edited) as an XLSForm, for ODK tools or a backup. */
  async exportForm(ctx: Context) {
    requireFormPermission(ctx, 'read', 'Exporting a form');
    const documentId = String(ctx.params.documentId ?? '');
    if (!/^[a-z0-9]{10,40}$/.test(documentId)) throw new errors.ValidationError('documentId: is not a form id');
    const form = (await strapi
      .documents(UID.form as 'plugin::eas.form')
      .findOne({ documentId, populate: FORM_COMPONENTS as never })) as unknown as FormEntry | null;
    if (!form) throw new errors.NotFoundError('No such form');
    const buffer = await exportXlsform(toFormDefinition(form));
    ctx.set('Content-Disposition', `attachment; filename="${form.slug}.xlsx"`);
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    ctx.body = buffer;
  },

  async importForm(ctx: Context) {
    requireFormPermission(ctx, 'create', 'Importing a form');
    const { buffer, filename } = await takeUpload(ctx, 'file', 'the XLSForm (.xlsx)', MAX_BYTES);
    const fileProblem = xlsformFileProblem(buffer);
    if (fileProblem) throw xlsformInvalid([{ sheet: 'workbook', message: fileProblem }]);
    const result = await importXlsform(buffer, filename);
    if (!result.ok) throw xlsformInvalid(result.problems);

    const taken = await strapi.db.query(UID.form).findOne({ where: { slug: result.form.slug }, select: ['id'] });
    if (taken)
      throw xlsformInvalid([
        {
          sheet: 'settings',
          column: 'form_id',
          message: `a form with the id "${result.form.slug}" exists already; give this one another form_id`,
        },
      ]);
    let created: { documentId: string };
    try {
      created = await strapi.documents(UID.form as 'plugin::eas.form').create({ data: result.form as never });
    } catch (err) {
      // The form's own rules (shared/validation/form-definition.ts), as on any save: each one a problem.
      if (err instanceof errors.ValidationError) {
        const details = (err.details as { errors?: { path?: string[]; message: string }[] })?.errors ?? [];
        throw xlsformInvalid((details.length ? details : [{ message: err.message }]).map((e) => ({ sheet: 'survey', message: e.message })));
      }
      throw err;
    }
    ctx.status = 201;
    ctx.body = {
      data: {
        documentId: created.documentId,
        slug: result.form.slug,
        name: result.form.name,
        fields: result.form.fields.length,
        notes: result.notes,
      },
    };
  },
});

export default xlsformController;
