import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { validateFormDefinition } from '../../shared/validation/form-definition';
import { FORM_COMPONENTS, UID } from './constants';
import { getService } from './utils/get-service';
import { toFormDefinition, type FormEntry } from './utils/form-definition';


/** Refuses an invalid form definition with messages (and Content-Manager field paths) naming each problem. */
const assertValidForm = (entry: Partial<FormEntry>) => {
  const definition = toFormDefinition({ slug: entry.slug ?? '', name: entry.name ?? '', ...entry } as FormEntry);
  const issues = validateFormDefinition(definition);
  if (issues.length === 0) return;
  throw new errors.ValidationError(issues.map((i) => i.message).join('\n'), {
    errors: issues.map((i) => ({ path: i.path.map(String), message: i.message, name: 'ValidationError' })),
  });
};

/**
 * Document Service middlewares (registered once, in register):
 * - forms: definitions are validated on save and on publish; a publish freezes a new version after it succeeded;
 * - records: EAS's services write them through the query engine (keeping history, reference and lifecycle
 *   consistent); any write through the Document Service — the Content Manager, another plugin — is refused.
 */
export const registerDocumentMiddlewares = (strapi: Core.Strapi) => {
  strapi.documents.use(async (ctx, next) => {
    const params = ctx.params as { documentId?: string; data?: Partial<FormEntry> };

    if (ctx.uid === UID.form) {
      if ((ctx.action === 'create' || ctx.action === 'update') && params.data && ('fields' in params.data || 'signatures' in params.data)) {
        assertValidForm(params.data);
      }
      if (ctx.action === 'publish' && params.documentId) {
        const draft = await strapi.documents(UID.form).findOne({ documentId: params.documentId, status: 'draft', populate: FORM_COMPONENTS });
        if (draft) assertValidForm(draft as unknown as FormEntry);
      }
    }

    if (ctx.uid === UID.record && ['create', 'update', 'publish', 'unpublish', 'discardDraft', 'clone'].includes(ctx.action)) {
      // A ValidationError, because the Content Manager shows its message to the administrator (a 403 shows "Forbidden").
      throw new errors.ValidationError(
        'Records change only through EAS: field staff edit drafts and rejected records on the capture site; editors approve or reject them in the record panel.'
      );
    }

    const result = await next();

    if (ctx.uid === UID.form && ctx.action === 'publish' && params.documentId) {
      await getService(strapi, 'form').freezeVersion(params.documentId);
    }
    return result;
  });
};
