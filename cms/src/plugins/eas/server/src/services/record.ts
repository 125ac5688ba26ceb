import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { CreateRecord, ListRecords, RecordStatus, RecordView, UpdateRecord } from '../../../shared/contracts/record';
import { EVENTS, type EventName, type RecordEvent } from '../../../shared/events';
import { completeOnArrival, describeOutstanding, isComplete, outstanding } from '../../../shared/record-rules';
import { isEditable } from '../../../shared/record-status';
import { UID } from '../constants';
import { conflict, ownerMismatch } from '../errors';
import { emitEvent } from '../utils/emit-event';
import { getService } from '../utils/get-service';
import { payloadHash, recordReference } from '../utils/record-hash';
import { contentHashOf, dataPart, formPart, identityPart, integrityOf, ownerPart, statusPart } from '../utils/record-state';
import { POPULATE, toRecordEvent, toRecordView, type FieldStaff, type RecordRow, type UrlSigner } from '../utils/record-view';
import { transaction } from '../utils/transaction';
import type { FormVersionRow } from './form';

export type { FieldStaff, RecordRow } from '../utils/record-view';

const iso = (v: string | Date | null) => (v ? new Date(v).toISOString() : null);

const validationFailed = (errs: { key: string; code: string; message: string }[]) =>
  new errors.ValidationError(`Invalid record data: ${errs.map((e) => e.message).join('; ')}`, {
    errors: errs.map((e) => ({ path: ['data', e.key].filter(Boolean), key: e.key, code: e.code, message: e.message })),
  });

const staffActor = (user: FieldStaff) => ({ kind: 'field-staff' as const, id: user.id, name: user.username });

/** Records as field staff see and change them: their own only, validated, idempotent, every change in the audit chain. */
const recordService = ({ strapi }: { strapi: Core.Strapi }) => {
  const records = () => strapi.db.query(UID.record);
  const forms = () => getService(strapi, 'form');
  const audit = () => getService(strapi, 'audit');
  const sign: UrlSigner = (id) => getService(strapi, 'evidence-store').signedUrl(id);
  const view = (row: RecordRow) => toRecordView(row, sign);

  /** Announces a committed change of a record with the row as it is stored. */
  const announceRow = (row: RecordRow, ...names: EventName[]) => {
    const event = toRecordEvent(row, sign);
    for (const name of names) emitEvent(strapi, name, event);
  };
  /** Announces that one photo or signature of the record was stored (eas.media.processed). */
  const announceMedia = (row: RecordRow, media: NonNullable<RecordEvent['media']>) =>
    emitEvent(strapi, EVENTS.mediaProcessed, { ...toRecordEvent(row, sign), media } satisfies RecordEvent);
  const findBy = (where: Record<string, unknown>): Promise<RecordRow | null> => records().findOne({ where, populate: POPULATE });
  const announce = async (id: number, ...names: EventName[]) => {
    const row = await findBy({ id });
    if (row) announceRow(row, ...names);
  };

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
      // First, before a replay is answered: a record the phone holds for someone else reveals and stores nothing.
      if (req.owner !== undefined && req.owner !== user.id) throw ownerMismatch(req.owner);
      const hash = payloadHash(req);
      const seen: { id: number } | null = await records().findOne({ where: { clientId: req.clientId }, select: ['id'] });
      if (seen) return replay((await findBy({ id: seen.id }))!, user, hash);

      const version = await forms().resolveVersion(req.form, req.formVersion);
      const data = validate(version, req.data, req.capturedAt);
      const state: RecordStatus = completeOnArrival(version.definition) ? 'submitted' : 'draft';
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
              capturedBy: user.username,
              payloadHash: hash,
              publishedAt: now,
            },
          });
          const reference = recordReference(created.id, now);
          const row = {
            ...created,
            reference,
            formVersion: version,
            photos: [],
            signatures: [],
            owner: { id: user.id, username: user.username, email: '' },
          } as RecordRow;
          row.integrityHash = integrityOf(row);
          await records().update({ where: { id: created.id }, data: { reference, integrityHash: row.integrityHash } });
          await audit().append({
            action: 'record.created',
            actor: staffActor(user),
            record: { id: created.id, reference },
            at: now,
            details: {
              to: state,
              integrityHash: row.integrityHash,
              identity: identityPart(row),
              data: dataPart(row),
              owner: ownerPart(row),
              form: formPart(row),
              status: statusPart(row),
            },
          });
          return row;
        });
      } catch (err) {
        // Lost a race with the same clientId (unique index): answer like a replay.
        const winner = await findBy({ clientId: req.clientId });
        if (winner) return replay(winner, user, hash);
        throw err;
      }
      // The row in hand is what was stored (no media yet): announce it without reading it back.
      announceRow(row, EVENTS.recordCreated, ...(row.state === 'submitted' ? [EVENTS.recordSubmitted] : []));
      return { record: view(row), created: true };
    },

    async findOwn(user: FieldStaff, documentId: string): Promise<RecordView> {
      return view(await findOwnRow(user, documentId));
    },

    async listOwn(
      user: FieldStaff,
      q: Required<Pick<ListRecords.Query, 'page' | 'pageSize'>> & ListRecords.Query
    ): Promise<ListRecords.Response> {
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

    /**
     * The owner changes data (or capture time/location) of a draft or rejected record. Signatures given before stop
     * counting (they endorse the old content): the record cannot be submitted until they are given again.
     */
    async update(user: FieldStaff, documentId: string, req: UpdateRecord.Request): Promise<RecordView> {
      const row = await findOwnRow(user, documentId);
      if (!isEditable(row.state)) {
        throw conflict(`Record ${row.reference} is ${row.state}; only drafts and rejected records can be changed`, { status: row.state });
      }
      const capturedAt = req.capturedAt ?? iso(row.capturedAt)!;
      const patch: Partial<RecordRow> = {};
      if (req.data !== undefined) patch.data = validate(row.formVersion, req.data, capturedAt);
      if (req.capturedAt !== undefined) patch.capturedAt = req.capturedAt;
      if (req.location !== undefined) patch.location = req.location;
      const next = { ...row, ...patch };
      const integrityHash = integrityOf(next);
      await transaction(strapi, async () => {
        // Nothing may have changed meanwhile (another request's upload or submission): the hash says so.
        const { count } = await records().updateMany({
          where: { id: row.id, state: row.state, integrityHash: row.integrityHash },
          data: { ...patch, ...(patch.capturedAt ? { capturedAt: new Date(patch.capturedAt) } : {}), integrityHash, updatedAt: new Date() },
        });
        if (count !== 1) throw conflict(`Record ${row.reference} was changed meanwhile; reload it and try again`);
        await audit().append({
          action: 'record.updated',
          actor: staffActor(user),
          record: row,
          details: { integrityHash, data: dataPart(next) },
        });
      });
      const after = (await findBy({ id: row.id }))!;
      announceRow(after, EVENTS.recordChanged);
      return view(after);
    },

    /** Submits a draft (or re-submits a rejected record) once every required photo and signature is there and bound. */
    async submit(user: FieldStaff, documentId: string): Promise<RecordView> {
      const row = await findOwnRow(user, documentId);
      if (row.state === 'submitted') return view(row);
      const definition = row.formVersion.definition;
      const left = outstanding(definition, row, contentHashOf(row));
      if (!isComplete(left)) {
        throw conflict(`Record ${row.reference} cannot be submitted yet: ${describeOutstanding(left, definition)}`, { missing: left });
      }
      // Data may have been valid under a looser check when saved; re-check before it goes to review.
      validate(row.formVersion, row.data ?? {}, iso(row.capturedAt)!);
      try {
        await getService(strapi, 'lifecycle').transition(row, 'submitted', staffActor(user));
      } catch (err) {
        // A copy of this request (the network sent it twice) submitted it a moment ago: the same answer, 200.
        const now = await findBy({ id: row.id });
        if (now?.state === 'submitted' && now.integrityHash === row.integrityHash) return view(now);
        throw err;
      }
      await announce(row.id, EVENTS.recordSubmitted);
      return view((await findBy({ id: row.id }))!);
    },

    findRow: findBy,
    findOwnRow,
    view,
    announce,
    announceRow,
    announceMedia,
  };
};

export default recordService;
