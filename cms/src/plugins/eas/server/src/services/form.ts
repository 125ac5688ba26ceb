import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { PublishedForm } from '../../../shared/contracts/form';
import { summaryFieldOf } from '../../../shared/display';
import { createRecordValidator, type RecordValidator } from '../../../shared/validation/record-data';
import { FORM_COMPONENTS, UID } from '../constants';
import { conflict, unknownFormVersion } from '../errors';
import type { AuditActor } from '../utils/audit-chain';
import { toFormDefinition, type FormEntry } from '../utils/form-definition';
import { getService } from '../utils/get-service';
import { definitionSha256 } from '../utils/record-state';
import { transaction } from '../utils/transaction';

export interface FormVersionRow {
  id: number;
  documentId: string;
  formDocumentId: string;
  slug: string;
  name: string;
  version: number;
  definition: PublishedForm['definition'];
  createdAt: string;
}

/** Forms: freezing versions on publish, and reading the published ones for field staff. */
const formService = ({ strapi }: { strapi: Core.Strapi }) => {
  const versions = () => strapi.db.query(UID.formVersion);

  const latestVersion = async (formDocumentId: string): Promise<FormVersionRow | null> =>
    versions().findOne({
      where: { formDocumentId },
      orderBy: { version: 'desc' },
    });

  const toPublished = (v: FormVersionRow): PublishedForm => ({
    slug: v.slug,
    name: v.definition.name,
    ...(v.definition.description ? { description: v.definition.description } : {}),
    version: v.version,
    publishedAt: new Date(v.createdAt).toISOString(),
    definition: v.definition,
    summaryField: summaryFieldOf(v.definition)?.key ?? null,
  });

  // Validators are pure functions of a frozen version: build each once.
  const validators = new Map<number, RecordValidator>();

  /** Current (highest) version of each given form, in the order of the forms. */
  const currentVersions = async (formDocumentIds: string[]): Promise<PublishedForm[]> => {
    if (formDocumentIds.length === 0) return [];
    const rows: FormVersionRow[] = await versions().findMany({
      where: { formDocumentId: { $in: formDocumentIds } },
      orderBy: { version: 'desc' },
    });
    const latest = new Map<string, FormVersionRow>();
    for (const row of rows) if (!latest.has(row.formDocumentId)) latest.set(row.formDocumentId, row);
    return formDocumentIds.flatMap((id) => (latest.has(id) ? [toPublished(latest.get(id)!)] : []));
  };

  return {
    /**
     * Called after a form is published: stores its definition as version n+1 unless it is identical to version n
     * (re-publishing an unchanged form does not mint a new version). Returns the current version number.
     */
    async freezeVersion(documentId: string, actor: AuditActor = { kind: 'system', name: 'EAS' }): Promise<number> {
      const form = (await strapi.documents(UID.form).findOne({
        documentId,
        status: 'published',
        populate: FORM_COMPONENTS,
      })) as (FormEntry & { id: number }) | null;
      if (!form) return 0;

      const definition = toFormDefinition(form);
      const definitionSha = definitionSha256(definition);
      const latest = await latestVersion(documentId);
      const audit = getService(strapi, 'audit');
      if (latest && definitionSha256(latest.definition) === definitionSha) {
        await audit.append({
          action: 'form.published',
          actor,
          details: { form: documentId, slug: form.slug, version: latest.version, definitionSha256: definitionSha, newVersion: false },
        });
        return latest.version;
      }

      const version = (latest?.version ?? 0) + 1;
      await transaction(strapi, async () => {
        await versions().create({
          data: { formDocumentId: documentId, slug: form.slug, name: form.name, label: `${form.name} v${version}`, version, definition },
        });
        // Plain query: both the draft and the published row carry the number, and the draft is not marked modified.
        await strapi.db.query(UID.form).updateMany({ where: { documentId }, data: { version } });
        await audit.append({
          action: 'form.published',
          actor,
          details: { form: documentId, slug: form.slug, version, definitionSha256: definitionSha, newVersion: true },
        });
      });
      return version;
    },

    /** Published, non-archived forms with their current version, by name. */
    async listPublished(): Promise<PublishedForm[]> {
      const forms = await strapi.documents(UID.form).findMany({
        status: 'published',
        filters: { archived: { $ne: true } },
        sort: 'name:asc',
        fields: ['documentId'],
      });
      return currentVersions(forms.map((f) => f.documentId));
    },

    async findPublished(slug: string): Promise<PublishedForm | null> {
      const form = await strapi.documents(UID.form).findFirst({
        status: 'published',
        filters: { slug, archived: { $ne: true } },
        fields: ['documentId'],
      });
      if (!form) return null;
      const [current] = await currentVersions([form.documentId]);
      return current ?? null;
    },

    /**
     * One frozen version by the slug it was published under (what a record's `form` says) and its number, whether or
     * not it is the current one, and also of an archived form: the phone renders a rejected record with the version
     * it was captured with. 404 for a version that never existed.
     */
    async findVersion(slug: string, version: number): Promise<PublishedForm> {
      const row: FormVersionRow | null = await versions().findOne({ where: { slug, version } });
      if (!row) throw unknownFormVersion(slug, version);
      return toPublished(row);
    },

    /**
     * The frozen version a record is captured against: 404 for an unknown form, 409 for an archived one, 400 for a
     * version the form never had. Older versions stay valid (a device may have captured offline with one).
     */
    async resolveVersion(slug: string, version: number): Promise<FormVersionRow> {
      // Hot path (every submission): one lean query on the published row instead of the Document Service.
      const form: { documentId: string; archived: boolean | null } | null = await strapi.db.query(UID.form).findOne({
        where: { slug, publishedAt: { $notNull: true } },
        select: ['documentId', 'archived'],
      });
      if (!form) throw new errors.NotFoundError(`No published form "${slug}"`);
      if (form.archived) {
        throw conflict(`The form "${slug}" is archived and accepts no new records`, { form: slug });
      }
      const row: FormVersionRow | null = await versions().findOne({ where: { formDocumentId: form.documentId, version } });
      if (!row) {
        const [current] = await currentVersions([form.documentId]);
        throw new errors.ValidationError(
          `formVersion: the form "${slug}" has no version ${version} (current: ${current?.version ?? 'none'})`,
          {
            errors: [{ path: ['formVersion'], message: `the form "${slug}" has no version ${version}` }],
          }
        );
      }
      return row;
    },

    validatorFor(version: FormVersionRow): RecordValidator {
      let validator = validators.get(version.id);
      if (!validator) {
        validator = createRecordValidator(version.definition);
        validators.set(version.id, validator);
      }
      return validator;
    },
  };
};

export default formService;
