import type { Core } from '@strapi/strapi';
import type { PhotoQuality, RecordDetails, RecordView, ReviewRecord } from '../../../shared/contracts/record';
import type { FormDefinition } from '../../../shared/contracts/form';
import type { RecordQueueQuery } from '../controllers/validation/record';
import { EVENTS } from '../../../shared/events';
import { UID } from '../constants';
import { conflict } from '../errors';
import { getService } from '../utils/get-service';

export interface AdminUser {
  id: number;
  firstname?: string | null;
  lastname?: string | null;
  username?: string | null;
  email?: string;
}

export const adminName = (u: AdminUser) => [u.firstname, u.lastname].filter(Boolean).join(' ') || u.username || u.email || `admin #${u.id}`;

export const adminActor = (u: AdminUser) => ({ kind: 'admin' as const, id: u.id, name: adminName(u) });

export { displayValue } from '../../../shared/display';
import { recordLines, recordSummary } from '../../../shared/display';
import { photoSlot } from '../../../shared/photo-slots';
import { entryKey } from '../../../shared/validation/form-structure';

interface QueueRow {
  documentId: string;
  reference: string;
  state: string;
  formSlug: string;
  capturedAt: string | Date;
  submittedAt: string | Date | null;
  data: Record<string, unknown> | null;
  photos?: { side: string; quality: PhotoQuality | null }[];
  owner?: { username: string } | null;
  formVersion?: { name: string; version: number; definition: FormDefinition } | null;
}

/** Editors' side: readable details of a record (with its integrity check) and the approve/reject decision. */
const reviewService = ({ strapi }: { strapi: Core.Strapi }) => {
  const integrity = () => getService(strapi, 'integrity');

  return {
    /** Records with a photo flagged `photoFlag`, newest first: reference, status, form and each photo's flags. */
    /** The review queue (GET /eas/records; filters in controllers/validation/record.ts). */
    async queue(q: RecordQueueQuery) {
      const where: Record<string, unknown>[] = [];
      if (q.photoFlag) where.push({ photos: { qualityFlags: { $contains: `,${q.photoFlag},` } } });
      if (q.status !== 'all') where.push({ state: q.status });
      if (q.form) where.push({ formSlug: q.form });
      if (q.owner) where.push({ owner: { username: q.owner } });
      if (q.from) where.push({ capturedAt: { $gte: new Date(`${q.from}T00:00:00.000Z`) } });
      if (q.to) where.push({ capturedAt: { $lt: new Date(Date.parse(`${q.to}T00:00:00.000Z`) + 86_400_000) } });
      const filter = where.length ? { $and: where } : {};
      // Submitted records wait in the order they were sent; other lists read by capture time.
      const time = q.status === 'submitted' ? 'submittedAt' : 'capturedAt';
      const direction = q.sort === 'oldest' ? 'asc' : 'desc';
      const rows: QueueRow[] = await strapi.db.query(UID.record).findMany({
        where: filter,
        select: ['documentId', 'reference', 'state', 'formSlug', 'capturedAt', 'submittedAt', 'data'],
        populate: {
          photos: { select: ['side', 'quality'] },
          owner: { select: ['username'] },
          formVersion: { select: ['name', 'version', 'definition'] },
        },
        orderBy: [{ [time]: direction }, { id: direction }],
        offset: (q.page - 1) * q.pageSize,
        limit: q.pageSize,
      });
      const total = await strapi.db.query(UID.record).count({ where: filter });
      return {
        data: rows.map((r) => ({
          documentId: r.documentId,
          reference: r.reference,
          status: r.state,
          form: r.formSlug,
          formName: r.formVersion?.name ?? r.formSlug,
          formVersion: r.formVersion?.version ?? null,
          summary: r.formVersion ? recordSummary(r.formVersion.definition, r.data ?? {}) : null,
          owner: r.owner?.username ?? null,
          capturedAt: new Date(r.capturedAt).toISOString(),
          submittedAt: r.submittedAt ? new Date(r.submittedAt).toISOString() : null,
          photos: (r.photos ?? []).map((p) => ({ side: p.side, flags: p.quality?.flags ?? [], duplicateOf: p.quality?.duplicateOf ?? [] })),
        })),
        meta: { page: q.page, pageSize: q.pageSize, total },
      };
    },

    async details(admin: AdminUser, documentId: string, can: { review: boolean; redact: boolean }): Promise<RecordDetails> {
      const row = await integrity().findRow({ documentId });
      const definition = row.formVersion.definition;
      const data = row.data ?? {};
      const view = getService(strapi, 'record').view(row);
      const check = await integrity().check(row);
      await getService(strapi, 'audit').append({
        action: 'record.viewed',
        actor: adminActor(admin),
        record: row,
        details: { integrity: check.status },
      });
      return {
        reference: row.reference,
        status: row.state,
        form: { slug: row.formVersion.slug, name: row.formVersion.name, version: row.formVersion.version },
        owner: row.owner ? { username: row.owner.username, email: row.owner.email } : null,
        fields: reviewFields(definition, data),
        photos: view.photos.map((p) => ({
          ...p,
          label: photoSlot(definition, p.side)?.label ?? p.side,
          // Editors see which other records hold a near-identical photo (field staff do not).
          quality: row.photos.find((r) => r.side === p.side)?.quality ?? null,
        })),
        signatures: view.signatures.map((s) => ({
          ...s,
          // The text the signer read and signed (in the language they signed in).
          consentText:
            row.signatures.find((r) => r.slot === s.slot)?.consentText ??
            definition.signatures.find((d) => d.key === s.slot)?.consentText ??
            '',
        })),
        location: view.location,
        capturedAt: view.capturedAt,
        submittedAt: view.submittedAt,
        integrityHash: view.integrityHash,
        integrity: check,
        redactedAt: view.redactedAt,
        history: await getService(strapi, 'lifecycle').history(row.id),
        canReview: can.review && row.state === 'submitted',
        canRedact: can.redact,
      };
    },

    /** Approve or reject a submitted record. An altered record cannot be approved: what was approved must be true. */
    async review(admin: AdminUser, documentId: string, req: ReviewRecord.Request): Promise<RecordView> {
      const row = await integrity().findRow({ documentId });
      if (req.decision === 'approve') {
        const check = await integrity().check(row);
        if (check.status === 'altered') {
          throw conflict(
            `Record ${row.reference} no longer matches what EAS recorded (${check.findings.map((f) => f.part).join(', ')}); it cannot be approved. Reject it or investigate the change first.`,
            { code: 'record_altered', altered: check.findings }
          );
        }
      }
      const to = req.decision === 'approve' ? 'approved' : 'rejected';
      await getService(strapi, 'lifecycle').transition(row, to, adminActor(admin), { comment: req.comment ?? null });
      await getService(strapi, 'record').announce(row.id, EVENTS.recordReviewed);
      return getService(strapi, 'record').view((await getService(strapi, 'record').findRow({ id: row.id }))!);
    },
  };
};

export default reviewService;

/** The answers an editor reads, in order; each answer of a repeat's entry as "Meters 2 · Reading". */
const reviewFields = (definition: Pick<FormDefinition, 'fields'>, data: Record<string, unknown>) =>
  recordLines(definition, data).flatMap((line) => {
    if (line.kind === 'heading') return [];
    if (line.kind === 'value') {
      const f = line.field;
      return [{ key: f.key, label: f.label, type: f.type, value: data[f.key], display: line.text }];
    }
    const entries = data[line.field.key] as Record<string, unknown>[];
    return line.rows.flatMap((cells, i) =>
      line.columns.map((c, j) => ({
        key: entryKey(line.field.key, i, c.key),
        label: `${line.field.label} ${i + 1} · ${c.label}`,
        type: c.type,
        value: entries[i]?.[c.key],
        display: cells[j],
      }))
    );
  });
