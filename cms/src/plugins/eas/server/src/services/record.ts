import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { FormDefinition } from '../../../shared/contracts/form';
import type { CreateRecord, ListRecords, RecordStatus, RecordView, UpdateRecord } from '../../../shared/contracts/record';
import { isEditable } from '../../../shared/record-status';
import { UID } from '../constants';
import { conflict } from '../errors';
import { getService } from '../utils/get-service';
import { EVENTS, type RecordEvent } from '../../../shared/events';
import { emitEvent } from '../utils/emit-event';
import { integrityHash } from '../utils/integrity';
import { payloadHash, recordReference } from '../utils/record-hash';
import type { FormVersionRow } from './form';
import { transaction } from '../utils/transaction';

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
  integrityHash: string | null;
  photos: PhotoRow[];
  signatures: SignatureRow[];
}

export interface PhotoRow {
  id: number;
  side: 'front' | 'back';
  width: number;
  height: number;
  bytes: number;
  sha256: string;
  originalSha256: string | null;
  receivedSha256: string;
  metadata: { takenAt?: string } | null;
  file: { id: number } | null;
  thumbnail: { id: number } | null;
}

export interface SignatureRow {
  id: number;
  slot: string;
  role: string | null;
  signerName: string | null;
  signedAt: string | null;
  sha256: string;
  receivedSha256: string;
  recordHashAtSigning: string | null;
  file: { id: number } | null;
}

const POPULATE = {
  formVersion: true,
  owner: { select: ['id', 'username', 'email'] },
  photos: { populate: { file: { select: ['id'] }, thumbnail: { select: ['id'] } } },
  signatures: { populate: { file: { select: ['id'] } } },
};

const iso = (v: string | Date | null) => (v ? new Date(v).toISOString() : null);

/** Required media of a form version that the record does not have yet. */
export const missingMedia = (
  definition: FormDefinition,
  row: { photos: { side: string }[]; signatures: { slot: string }[] }
): RecordView['missing'] => ({
  photos: definition.photos.filter((p) => p.required && !row.photos?.some((x) => x.side === p.side)).map((p) => p.side),
  signatures: definition.signatures
    .filter((s) => s.required && !row.signatures?.some((x) => x.slot === s.key))
    .map((s) => s.key),
});

/** The integrity hash of a record as it stands (see utils/integrity.ts for what it covers). */
export const integrityOf = (
  row: Pick<RecordRow, 'reference' | 'formVersion' | 'data' | 'capturedAt' | 'location'> & {
    photos: { side: string; sha256: string }[];
    signatures: { slot: string; sha256: string; signerName: string | null; signedAt: string | Date | null }[];
  }
) =>
  integrityHash({
    reference: row.reference,
    form: row.formVersion.slug,
    formVersion: row.formVersion.version,
    data: row.data ?? {},
    capturedAt: row.capturedAt,
    location: row.location ?? null,
    photos: row.photos,
    signatures: row.signatures,
  });

/** What the dashboard and the owner's device are told about a record (see shared/events.ts). */
export const toRecordEvent = (row: RecordRow, sign: UrlSigner): RecordEvent => {
  const thumb = row.photos?.find((p) => p.side === 'front')?.thumbnail ?? row.photos?.[0]?.thumbnail;
  return {
    documentId: row.documentId,
    reference: row.reference,
    form: { slug: row.formVersion.slug, name: row.formVersion.name },
    owner: row.owner ? { id: row.owner.id, username: row.owner.username } : null,
    status: row.state,
    capturedAt: iso(row.capturedAt),
    submittedAt: iso(row.submittedAt),
    reviewedAt: iso(row.reviewedAt),
    reviewComment: row.reviewComment ?? null,
    thumbnailUrl: thumb ? sign(thumb.id) : null,
    at: new Date().toISOString(),
  };
};

/** A file id → a short-lived URL an <img> can load. */
export type UrlSigner = (fileId: number) => string;

const ORDER = { front: 0, back: 1 };

export const toRecordView = (row: RecordRow, sign: UrlSigner): RecordView => ({
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
  photos: [...(row.photos ?? [])]
    .sort((a, b) => ORDER[a.side] - ORDER[b.side])
    .map((p) => ({
      side: p.side,
      width: p.width,
      height: p.height,
      bytes: p.bytes,
      sha256: p.sha256,
      originalSha256: p.originalSha256 ?? null,
      takenAt: p.metadata?.takenAt ?? null,
      url: p.file ? sign(p.file.id) : '',
      thumbnailUrl: p.thumbnail ? sign(p.thumbnail.id) : '',
    })),
  signatures: [...(row.signatures ?? [])]
    .sort((a, b) => a.slot.localeCompare(b.slot))
    .map((s) => ({
      slot: s.slot,
      role: s.role ?? null,
      signerName: s.signerName ?? null,
      signedAt: iso(s.signedAt),
      sha256: s.sha256,
      recordHashAtSigning: s.recordHashAtSigning ?? null,
      url: s.file ? sign(s.file.id) : '',
    })),
  integrityHash: row.integrityHash ?? null,
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
  const sign: UrlSigner = (id) => getService(strapi, 'media-storage').signedUrl(id);
  const view = (row: RecordRow) => toRecordView(row, sign);
  /** Announces a committed change of a record (reloaded, so the event shows what is stored). */
  type EventName = (typeof EVENTS)[keyof typeof EVENTS];
  const announceRow = (row: RecordRow, ...names: EventName[]) => {
    const event = toRecordEvent(row, sign);
    for (const name of names) emitEvent(strapi, name, event);
  };
  const announce = async (id: number, ...names: EventName[]) => {
    const row = await findBy({ id });
    if (row) announceRow(row, ...names);
  };

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
    return { record: view(row), created: false };
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
      // A form without any photo or signature slot is complete on arrival. With media slots the record stays a draft:
      // the last required upload submits it, and with only optional slots the device submits it when it is done.
      const { photos, signatures } = version.definition;
      const state: RecordStatus = photos.length || signatures.length ? 'draft' : 'submitted';
      const now = new Date();

      let row: RecordRow;
      try {
        row = await transaction(strapi, async () => {
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
          const row = { ...created, reference, formVersion: version, photos: [], signatures: [], owner: null } as RecordRow;
          row.integrityHash = integrityOf(row);
          await records().update({ where: { id: created.id }, data: { reference, integrityHash: row.integrityHash } });
          await lifecycle().append(created.id, null, state, { kind: 'field-staff', id: user.id, name: user.username });
          return row;
        });
      } catch (err) {
        // Lost a race with the same clientId (unique index): answer like a replay.
        const winner = await findBy({ clientId: req.clientId });
        if (winner) return replay(winner, user, hash);
        throw err;
      }
      // The row in hand is what was stored (no media yet): announce it without reading it back.
      announceRow({ ...row, owner: { id: user.id, username: user.username, email: '' } }, EVENTS.recordCreated, ...(row.state === 'submitted' ? [EVENTS.recordSubmitted] : []));
      return { record: view(row), created: true };
    },

    async findOwn(user: FieldStaff, documentId: string): Promise<RecordView> {
      return view(await findOwnRow(user, documentId));
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
        data: rows.map(view),
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
      patch.integrityHash = integrityOf({ ...row, ...(patch as Partial<RecordRow>) });
      const { count } = await records().updateMany({ where: { id: row.id, state: row.state }, data: patch });
      if (count !== 1) throw conflict(`Record ${row.reference} was changed meanwhile; reload it and try again`);
      return view((await findBy({ id: row.id }))!);
    },

    /** Submits a draft (or re-submits a rejected record) once every required photo and signature is there. */
    async submit(user: FieldStaff, documentId: string): Promise<RecordView> {
      const row = await findOwnRow(user, documentId);
      if (row.state === 'submitted') return view(row);
      const missing = missingMedia(row.formVersion.definition, row);
      if (missing.photos.length || missing.signatures.length) {
        const parts = [...missing.photos.map((s) => `${s} photo`), ...missing.signatures.map((s) => `signature "${s}"`)];
        throw conflict(`Record ${row.reference} cannot be submitted yet: missing ${parts.join(', ')}`, { missing });
      }
      // Data may have been valid under a looser check when saved; re-check before it goes to review.
      validate(row.formVersion, row.data ?? {}, iso(row.capturedAt)!);
      await lifecycle().transition(row, 'submitted', { kind: 'field-staff', id: user.id, name: user.username }, { extra: { integrityHash: integrityOf(row) } });
      await announce(row.id, EVENTS.recordSubmitted);
      return view((await findBy({ id: row.id }))!);
    },

    findRow: findBy,
    findOwnRow,
    view,
    announce,
    announceRow,
  };
};

export default recordService;
