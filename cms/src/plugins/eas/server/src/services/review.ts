import type { Core } from '@strapi/strapi';
import type { RecordDetails, RecordView, ReviewRecord } from '../../../shared/contracts/record';
import { EVENTS } from '../../../shared/events';
import { conflict } from '../errors';
import { getService } from '../utils/get-service';

export interface AdminUser {
  id: number;
  firstname?: string | null;
  lastname?: string | null;
  username?: string | null;
  email?: string;
}

export const adminName = (u: AdminUser) =>
  [u.firstname, u.lastname].filter(Boolean).join(' ') || u.username || u.email || `admin #${u.id}`;

export const adminActor = (u: AdminUser) => ({ kind: 'admin' as const, id: u.id, name: adminName(u) });

export { displayValue } from '../../../shared/display';
import { displayValue } from '../../../shared/display';

/** Editors' side: readable details of a record (with its integrity check) and the approve/reject decision. */
const reviewService = ({ strapi }: { strapi: Core.Strapi }) => {
  const integrity = () => getService(strapi, 'integrity');

  return {
    async details(admin: AdminUser, documentId: string, can: { review: boolean; redact: boolean }): Promise<RecordDetails> {
      const row = await integrity().findRow({ documentId });
      const definition = row.formVersion.definition;
      const data = row.data ?? {};
      const view = getService(strapi, 'record').view(row);
      const check = await integrity().check(row);
      await getService(strapi, 'audit').append({ action: 'record.viewed', actor: adminActor(admin), record: row, details: { integrity: check.status } });
      return {
        reference: row.reference,
        status: row.state,
        form: { slug: row.formVersion.slug, name: row.formVersion.name, version: row.formVersion.version },
        owner: row.owner ? { username: row.owner.username, email: row.owner.email } : null,
        fields: definition.fields
          .filter((f) => data[f.key] !== undefined)
          .map((f) => ({ key: f.key, label: f.label, type: f.type, value: data[f.key], display: displayValue(f, data[f.key]) })),
        photos: view.photos.map((p) => ({ ...p, label: definition.photos.find((d) => d.side === p.side)?.label ?? p.side })),
        signatures: view.signatures.map((s) => ({
          ...s,
          consentText: definition.signatures.find((d) => d.key === s.slot)?.consentText ?? '',
        })),
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
