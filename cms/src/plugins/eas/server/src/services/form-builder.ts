import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { FormDefinition } from '../../../shared/contracts/form';
import { FORM_COMPONENTS, UID } from '../constants';
import { optionTextProblem, toFormDefinition, toFormEntry, type FormEntry } from '../utils/form-definition';
import { definitionSha256 } from '../utils/record-state';

/** Where a form stands: never published, published as it is, or published with draft changes not yet published. */
export type BuilderStatus = 'draft' | 'published' | 'modified';

export interface BuilderListItem {
  documentId: string;
  name: string;
  slug: string;
  status: BuilderStatus;
  version: number;
  archived: boolean;
  records: number;
  waiting: number;
  updatedAt: string;
}

export interface BuilderForm {
  documentId: string;
  status: BuilderStatus;
  version: number;
  archived: boolean;
  /** The draft, as the builder edits it. */
  definition: FormDefinition;
  /** The last published version's definition (what Publish compares with); null before the first publish. */
  published: FormDefinition | null;
}

type Documents = ReturnType<Core.Strapi['documents']>;

/**
 * The EAS form builder's reads and writes. Forms stay in the form content type (the Content Manager still works
 * on them, versions are frozen on publish as before); the builder sends and receives whole definitions.
 */
const formBuilderService = ({ strapi }: { strapi: Core.Strapi }) => {
  const forms = () => strapi.documents(UID.form as 'plugin::eas.form') as unknown as Documents;

  const latestDefinition = async (formDocumentId: string): Promise<{ version: number; definition: FormDefinition } | null> =>
    strapi.db
      .query(UID.formVersion)
      .findOne({ where: { formDocumentId }, orderBy: { version: 'desc' }, select: ['version', 'definition'] });

  const statusOf = (draft: FormDefinition, latest: { definition: FormDefinition } | null): BuilderStatus =>
    !latest ? 'draft' : definitionSha256(draft) === definitionSha256(latest.definition) ? 'published' : 'modified';

  /** Problems a definition has that the stored option text cannot carry (named like the form's own rules). */
  const assertStorable = (definition: FormDefinition) => {
    const problems = definition.fields.flatMap((f, i) =>
      (f.options ?? []).flatMap((o, j) => {
        const problem = optionTextProblem(o);
        return problem
          ? [{ path: ['fields', String(i), 'options', String(j)], message: `Field ${i + 1} ("${f.key}"): option ${j + 1} ${problem}` }]
          : [];
      })
    );
    if (problems.length) throw new errors.ValidationError(problems.map((p) => p.message).join('\n'), { errors: problems });
  };

  return {
    async list(): Promise<BuilderListItem[]> {
      const drafts = (await forms().findMany({
        status: 'draft',
        sort: 'name:asc',
        populate: FORM_COMPONENTS as never,
      })) as unknown as (FormEntry & {
        documentId: string;
        version: number | null;
        archived: boolean | null;
        updatedAt: string;
      })[];
      return Promise.all(
        drafts.map(async (d) => {
          const latest = await latestDefinition(d.documentId);
          const versions: { id: number }[] = await strapi.db
            .query(UID.formVersion)
            .findMany({ where: { formDocumentId: d.documentId }, select: ['id'] });
          const ofForm = { formVersion: { id: { $in: versions.map((v) => v.id) } } };
          const [records, waiting] = versions.length
            ? await Promise.all([
                strapi.db.query(UID.record).count({ where: ofForm }),
                strapi.db.query(UID.record).count({ where: { ...ofForm, state: 'submitted' } }),
              ])
            : [0, 0];
          return {
            documentId: d.documentId,
            name: d.name,
            slug: d.slug,
            status: statusOf(toFormDefinition(d), latest),
            version: latest?.version ?? 0,
            archived: Boolean(d.archived),
            records,
            waiting,
            updatedAt: new Date(d.updatedAt).toISOString(),
          };
        })
      );
    },

    async read(documentId: string): Promise<BuilderForm> {
      const draft = (await forms().findOne({ documentId, status: 'draft', populate: FORM_COMPONENTS as never })) as unknown as
        | (FormEntry & { archived: boolean | null })
        | null;
      if (!draft) throw new errors.NotFoundError('No such form');
      const latest = await latestDefinition(documentId);
      const definition = toFormDefinition(draft);
      return {
        documentId,
        status: statusOf(definition, latest),
        version: latest?.version ?? 0,
        archived: Boolean(draft.archived),
        definition,
        published: latest?.definition ?? null,
      };
    },

    /** A new draft form; its id (slug) must be free. */
    async create(definition: FormDefinition): Promise<BuilderForm> {
      assertStorable(definition);
      const taken = await strapi.db.query(UID.form).findOne({ where: { slug: definition.slug }, select: ['id'] });
      if (taken) {
        throw new errors.ValidationError(`slug: a form with the id "${definition.slug}" exists already`, {
          errors: [{ path: ['slug'], message: `a form with the id "${definition.slug}" exists already; choose another` }],
        });
      }
      const created = (await forms().create({ data: toFormEntry(definition) as never })) as { documentId: string };
      return this.read(created.documentId);
    },

    /** Saves the draft (the published version is unchanged until Publish). The id cannot change once published. */
    async save(documentId: string, definition: FormDefinition): Promise<BuilderForm> {
      assertStorable(definition);
      const current = await this.read(documentId);
      if (definition.slug !== current.definition.slug && current.version > 0) {
        throw new errors.ValidationError('slug: the form id cannot change after the form was published', {
          errors: [{ path: ['slug'], message: `the form id stays "${current.definition.slug}" once the form was published` }],
        });
      }
      if (definition.slug !== current.definition.slug) {
        const taken = await strapi.db.query(UID.form).findOne({ where: { slug: definition.slug }, select: ['id'] });
        if (taken) {
          throw new errors.ValidationError(`slug: a form with the id "${definition.slug}" exists already`, {
            errors: [{ path: ['slug'], message: `a form with the id "${definition.slug}" exists already; choose another` }],
          });
        }
      }
      await forms().update({ documentId, status: 'draft', data: toFormEntry(definition) as never });
      return this.read(documentId);
    },

    /** Publishes the draft: a new version when it differs from the last one (document-middlewares.ts freezes it). */
    async publish(documentId: string): Promise<BuilderForm & { newVersion: boolean }> {
      const before = await this.read(documentId);
      await forms().publish({ documentId });
      const after = await this.read(documentId);
      return { ...after, newVersion: after.version !== before.version };
    },
  };
};

export default formBuilderService;
