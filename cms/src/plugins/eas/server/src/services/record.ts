import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { FormDefinition } from '../../../shared/contracts/form';
import type { CreateRecord, ListRecords, RecordStatus, RecordView, UpdateRecord } from '../../../shared/contracts/record';
import { isEditable } from '../../../shared/record-status';
import { UID } from '../constants';
import { conflict } from '../errors';
import { getService } from '../utils/get-service';
import { payloadHash, recordReference } from '../utils/record-hash';
import type { FormVersionRow } from './form';

export interface FieldStaff {
  id: number;
  username: string;
}

export interface RecordRow {
  id: number;
  documentId: string;
  reference: string;
  clientId: string;
  formSlug: string;
  state: RecordStatus;
  data: Record<string, unknown> | null;
  capturedAt: string;
  submittedAt: string | null;
  reviewedAt: string | null;
  reviewComment: string | null;
  location: RecordView['location'];
  payloadHash: string;
  createdAt: string;
  updatedAt: string;
  formVersion: FormVersionRow;
  owner: { id: number; username: string; email: string } | null;
  photos: { side: 'front' | 'back' }[];
  signatures: { slot: string }[];
}

const POPULATE = {
  formVersion: true,
  owner: { select: ['id', 'username', 'email'] },
  photos: { select: ['id', 'side'] },
  signatures: { select: ['id', 'slot'] },
};

const iso = (v: string | Date | null) => (v ? new Date(v).toISOString() : null);

/** Required media of a form version that the record does not have yet. */
export const missingMedia = (definition: FormDefinition, row: Pick<RecordRow, 'photos' | 'signatures'>): RecordView['missing'] => ({
  photos: definition.photos.filter((p) => p.required && !row.photos?.some((x) => x.side === p.side)).map((p) => p.side),
  signatures: definition.signatures
    .filter((s) => s.required && !row.signatures?.some((x) => x.slot === s.key))
    .map((s) => s.key),
});

export const toRecordView = (row: RecordRow): RecordView => ({
  documentId: row.documentId,
  reference: row.reference,
  clientId: row.clientId,
  form: { slug: row.formVersion.slug, name: row.formVersion.name, version: row.formVersion.version },
  status: row.state,
  data: row.data ?? {},
  capturedAt: iso(row.capturedAt)!,
  submittedAt: iso(row.submittedAt),
  reviewedAt: iso(row.reviewedAt),
  reviewComment: row.reviewComment ?? null,
  location: row.location ?? null,
  createdAt: iso(row.createdAt)!,
  updatedAt: iso(row.updatedAt)!,
  missing: missingMedia(row.formVersion.definition, row),
});

const validationFailed = (errs: { key: string; code: string; message: string }[]) =>
  new errors.ValidationError(`Invalid record data: ${errs.map((e) => e.message).join('; ')}`, {
    errors: errs.map((e) => ({ path: ['data', e.key].filter(Boolean), key: e.key, code: e.code, message: e.message })),
  });

/** Records as field staff see and change them: their own only, validated, idempotent. */
const recordService = ({ strapi }: { strapi: Core.Strapi }) => {
  const records = () => strapi.db.query(UID.record);
  const forms = () => getService(strapi, 'form');
  const lifecycle = () => getService(strapi, 'lifecycle');

  const findBy = (where: Record<string, unknown>): Promise<RecordRow | null> => records().findOne({ where, populate: POPULATE });

  const findOwnRow = async (user: FieldStaff, documentId: string): Promise<RecordRow> => {
    const row = await findBy({ documentId, owner: { id: user.id } });
    // Another user's record answers exactly like a missing one, so existence does not leak.
    if (!row) throw new errors.NotFoundError('No such record');
    return row;
  };

  /** A clientId seen before: the same submission again is answered with the record; anything else is a conflict. */
  const replay = (row: RecordRow, user: FieldStaff, hash: string) => {
    if (row.owner?.id !== user.id || row.payloadHash !== hash) {
      throw conflict(
        `The clientId ${row.clientId} was already used for a record with different content. A new record needs a new clientId.`,
        { clientId: row.clientId }
      );
    }
    return { record: toRecordView(row), created: false };
  };

  const validate = (version: FormVersionRow, data: unknown, capturedAt: string) => {
    const result = forms().validatorFor(version)(data, { today: new Date(capturedAt).toISOString().slice(0, 10) });
    if (!result.ok) throw validationFailed(result.errors);
    return result.data;
  };

  return {
    async create(user: FieldStaff, req: CreateRecord.Request): Promise<{ record: RecordView; created: boolean }> {
      const hash = payloadHash(req);
      const seen: { id: number } | null = await records().findOne({ where: { clientId: req.clientId }, select: ['id'] });
      if (seen) return replay((await findBy({ id: seen.id }))!, user, hash);

      const version = await forms().resolveVersion(req.form, req.formVersion);
      const data = validate(version, req.data, req.capturedAt);
      const missing = missingMedia(version.definition, { photos: [], signatures: [] });
      const state: RecordStatus = missing.photos.length || missing.signatures.length ? 'draft' : 'submitted';
      const now = new Date();

      let row: RecordRow;
      try {
        row = await strapi.db.transaction(async () => {
          // The query engine fills documentId; publishedAt marks the row live, as for every type without drafts.
          const created = await records().create({
            data: {
              clientId: req.clientId,
              formVersion: version.id,
              formSlug: version.slug,
              state,
              data,
              capturedAt: new Date(req.capturedAt),
              submittedAt: state === 'submitted' ? now : null,
              location: req.location ?? null,
              owner: user.id,
              payloadHash: hash,
              publishedAt: now,
            },
          });
          const reference = recordReference(created.id, now);
          await records().update({ where: { id: created.id }, data: { reference } });
          await lifecycle().append(created.id, null, state, { kind: 'field-staff', id: user.id, name: user.username });
          return { ...created, reference, formVersion: version, photos: [], signatures: [], owner: null } as RecordRow;
        });
      } catch (err) {
        // Lost a race with the same clientId (unique index): answer like a replay.
        const winner = await findBy({ clientId: req.clientId });
        if (winner) return replay(winner, user, hash);
        throw err;
      }
      return { record: toRecordView(row), created: true };
    },

    async findOwn(user: FieldStaff, documentId: string): Promise<RecordView> {
      return toRecordView(await findOwnRow(user, documentId));
    },

    async listOwn(user: FieldStaff, q: Required<Pick<ListRecords.Query, 'page' | 'pageSize'>> & ListRecords.Query): Promise<ListRecords.Response> {
      const where: Record<string, unknown> = { owner: { id: user.id } };
      if (q.status) where.state = q.status;
      if (q.form) where.formSlug = q.form;
      const [rows, total] = await Promise.all([
        records().findMany({
          where,
          populate: POPULATE,
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          offset: (q.page - 1) * q.pageSize,
          limit: q.pageSize,
        }) as Promise<RecordRow[]>,
        records().count({ where }),
      ]);
      return {
        data: rows.map(toRecordView),
        meta: { pagination: { page: q.page, pageSize: q.pageSize, pageCount: Math.ceil(total / q.pageSize), total } },
      };
    },

    /** The owner changes data (or capture time/location) of a draft or rejected record. */
    async update(user: FieldStaff, documentId: string, req: UpdateRecord.Request): Promise<RecordView> {
      const row = await findOwnRow(user, documentId);
      if (!isEditable(row.state)) {
        throw conflict(`Record ${row.reference} is ${row.state}; only drafts and rejected records can be changed`, { status: row.state });
      }
      const capturedAt = req.capturedAt ?? iso(row.capturedAt)!;
      const patch: Record<string, unknown> = {};
      if (req.data !== undefined) patch.data = validate(row.formVersion, req.data, capturedAt);
      if (req.capturedAt !== undefined) patch.capturedAt = new Date(req.capturedAt);
      if (req.location !== undefined) patch.location = req.location;
      const { count } = await records().updateMany({ where: { id: row.id, state: row.state }, data: patch });
      if (count !== 1) throw conflict(`Record ${row.reference} was changed meanwhile; reload it and try again`);
      return toRecordView((await findBy({ id: row.id }))!);
    },

    /** Submits a draft (or re-submits a rejected record) once every required photo and signature is there. */
    async submit(user: FieldStaff, documentId: string): Promise<RecordView> {
      const row = await findOwnRow(user, documentId);
      if (row.state === 'submitted') return toRecordView(row);
      const missing = missingMedia(row.formVersion.definition, row);
      if (missing.photos.length || missing.signatures.length) {
        const parts = [...missing.photos.map((s) => `${s} photo`), ...missing.signatures.map((s) => `signature "${s}"`)];
        throw conflict(`Record ${row.reference} cannot be submitted yet: missing ${parts.join(', ')}`, { missing });
      }
      // Data may have been valid under a looser check when saved; re-check before it goes to review.
      validate(row.formVersion, row.data ?? {}, iso(row.capturedAt)!);
      await lifecycle().transition(row, 'submitted', { kind: 'field-staff', id: user.id, name: user.username });
      return toRecordView((await findBy({ id: row.id }))!);
    },

    findRow: findBy,
  };
};

export default recordService;
