import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { validateFormDefinition } from '../../shared/validation/form-definition';
import { EVIDENCE_UIDS, FORM_COMPONENTS, UID } from './constants';
import { adminActor, type AdminUser } from './services/review';
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

const WRITES = ['create', 'update', 'publish', 'unpublish', 'discardDraft', 'clone', 'delete'];

/** A ValidationError, because the Content Manager shows its message to the administrator (a 403 shows "Forbidden"). */
const refuse = (message: string) => new errors.ValidationError(message);

/**
 * Document Service middlewares (registered once, in register) — every route that goes through the Document Service
 * (the Content Manager, other plugins, the console) passes here:
 * - evidence (records, photos, signatures, files, form versions, the audit log) is never written or deleted this
 *   way: EAS's services write it through the query engine, keeping the audit chain, references and hashes right;
 * - a form with records cannot be deleted (archive it), a field-staff account with records cannot be deleted
 *   (block it): records must keep their form and their owner;
 * - forms are validated on save and on publish; a publish freezes a new version after it succeeded; the
 *   administrator's changes go into the audit chain.
 */
export const registerDocumentMiddlewares = (strapi: Core.Strapi) => {
  const actor = () => {
    const user = strapi.requestContext.get()?.state?.user as AdminUser | undefined;
    return user ? adminActor(user) : { kind: 'system' as const, name: 'EAS' };
  };
  const recordsWhere = async (where: Record<string, unknown>) => strapi.db.query(UID.record).count({ where });

  strapi.documents.use(async (ctx, next) => {
    const params = ctx.params as { documentId?: string; data?: Partial<FormEntry> };

    if ((EVIDENCE_UIDS as readonly string[]).includes(ctx.uid) && WRITES.includes(ctx.action)) {
      throw refuse(
        ctx.action === 'delete'
          ? 'Evidence is never deleted: records, their photos, signatures and history are kept. A data-protection request is handled by an audited redaction (EAS → record → Redact).'
          : 'Records change only through EAS: field staff edit drafts and rejected records on the capture site; editors approve or reject them in the record panel.'
      );
    }

    if (ctx.uid === UID.form) {
      const data = params.data;
      if ((ctx.action === 'create' || ctx.action === 'update') && data && ['fields', 'signatures', 'listField'].some((k) => k in data)) {
        // A change of the list field alone is judged against the fields the draft has.
        const stored =
          ctx.action === 'update' && params.documentId && !('fields' in data)
            ? await strapi.documents(UID.form).findOne({ documentId: params.documentId, status: 'draft', populate: FORM_COMPONENTS })
            : null;
        assertValidForm({ ...(stored as Partial<FormEntry> | null), ...data });
      }
      if (ctx.action === 'publish' && params.documentId) {
        const draft = await strapi
          .documents(UID.form)
          .findOne({ documentId: params.documentId, status: 'draft', populate: FORM_COMPONENTS });
        if (draft) assertValidForm(draft as unknown as FormEntry);
      }
      if (ctx.action === 'delete' && params.documentId) {
        const versions: { id: number }[] = await strapi.db
          .query(UID.formVersion)
          .findMany({ where: { formDocumentId: params.documentId }, select: ['id'] });
        if (versions.length && (await recordsWhere({ formVersion: { id: { $in: versions.map((v) => v.id) } } }))) {
          throw refuse(
            'This form has records, so it cannot be deleted: archive it instead (its records stay readable, and it accepts no new ones).'
          );
        }
      }
    }

    if (ctx.uid === UID.user && ctx.action === 'delete' && params.documentId) {
      const user: { id: number } | null = await strapi.db
        .query(UID.user)
        .findOne({ where: { documentId: params.documentId }, select: ['id'] });
      if (user && (await recordsWhere({ owner: { id: user.id } }))) {
        throw refuse('This account has captured records, so it cannot be deleted: block it instead (its records keep their author).');
      }
    }

    const result = await next();

    if (ctx.uid === UID.form && params.documentId) {
      if (ctx.action === 'publish') await getService(strapi, 'form').freezeVersion(params.documentId, actor());
      if (ctx.action === 'update' || ctx.action === 'unpublish') {
        await getService(strapi, 'audit').append({
          action: ctx.action === 'update' ? 'form.saved' : 'form.unpublished',
          actor: actor(),
          details: { form: params.documentId },
        });
      }
    }
    if (ctx.uid === UID.form && ctx.action === 'create') {
      const created = result as { documentId?: string } | null;
      await getService(strapi, 'audit').append({
        action: 'form.saved',
        actor: actor(),
        details: { form: created?.documentId ?? null, created: true },
      });
    }
    return result;
  });
};
