import type { Core } from '@strapi/strapi';
import type { RecordHistoryEntry, RecordStatus } from '../../../shared/contracts/record';
import { canTransition, type Actor } from '../../../shared/record-status';
import { UID } from '../constants';
import { conflict } from '../errors';
import type { AuditEntry } from '../utils/audit-chain';
import type { NoteKind } from './audit';
import { getService } from '../utils/get-service';
import { integrityOf, statusPart } from '../utils/record-state';
import type { RecordRow } from '../utils/record-view';
import { transaction } from '../utils/transaction';

export interface ActorRef {
  kind: Actor;
  id?: number;
  name?: string;
}

/** A history entry as people read it, from an audit entry of the record and its notes. */
export const toHistoryEntry = (e: AuditEntry, notes: Partial<Record<NoteKind, string | null>> = {}): RecordHistoryEntry => {
  const d = e.details as { from?: RecordStatus | null; to?: RecordStatus; side?: string; slot?: string };
  return {
    seq: e.seq,
    action: e.action,
    from: d.from ?? null,
    to: d.to ?? null,
    // A review's comment, or why a record was redacted (null once redacted itself).
    comment: notes.comment ?? notes.reason ?? null,
    slot: d.side ?? d.slot ?? null,
    actor: { kind: e.actorKind, id: e.actorId ?? null, name: e.actorName },
    at: new Date(e.at).toISOString(),
  };
};

/**
 * Record state changes. Every change goes through `transition`, which applies the lifecycle rules
 * (shared/record-status.ts), writes the new state only if nobody changed it meanwhile, and appends the audit entry —
 * in one transaction. The record's history is its part of the audit chain.
 */
const lifecycleService = ({ strapi }: { strapi: Core.Strapi }) => ({
  async transition(record: RecordRow, to: RecordStatus, actor: ActorRef, { comment = null }: { comment?: string | null } = {}) {
    if (!canTransition(record.state, to, actor.kind)) {
      throw conflict(`Record ${record.reference} is ${record.state}; it cannot become ${to} this way`, { status: record.state });
    }
    const now = new Date();
    const changes: Partial<RecordRow> =
      to === 'submitted' ? { submittedAt: now.toISOString() } : { reviewedAt: now.toISOString(), reviewComment: comment };
    const after = { ...record, ...changes, state: to };
    const integrityHash = integrityOf(after);
    await transaction(strapi, async () => {
      const { count } = await strapi.db.query(UID.record).updateMany({
        // The state and the content the decision was made on: a change that committed meanwhile wins.
        where: { id: record.id, state: record.state, integrityHash: record.integrityHash },
        // updatedAt by hand: the query engine's updateMany leaves it, and the feed's incremental pull reads it.
        data: {
          state: to,
          integrityHash,
          updatedAt: now,
          ...(to === 'submitted' ? { submittedAt: now } : { reviewedAt: now, reviewComment: comment }),
        },
      });
      if (count !== 1) throw conflict(`Record ${record.reference} was changed by someone else; reload it and try again`);
      await getService(strapi, 'audit').append({
        action: to === 'submitted' ? 'record.submitted' : 'record.reviewed',
        actor,
        record,
        at: now,
        details: { from: record.state, to, integrityHash, status: statusPart(after) },
        notes: { comment },
      });
    });
  },

  async history(recordId: number): Promise<RecordHistoryEntry[]> {
    const { entries, notes } = await getService(strapi, 'audit').historyOf(recordId);
    return entries.map((e) => toHistoryEntry(e, notes.get(e.seq)));
  },
});

export default lifecycleService;
