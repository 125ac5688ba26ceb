import type { Core } from '@strapi/strapi';
import type { RecordHistoryEntry, RecordStatus } from '../../../shared/contracts/record';
import { canTransition, type Actor } from '../../../shared/record-status';
import { UID } from '../constants';
import { conflict } from '../errors';
import { transaction } from '../utils/transaction';

export interface ActorRef {
  kind: Actor;
  id?: number;
  name?: string;
}

interface EventRow {
  fromState: RecordStatus | null;
  toState: RecordStatus;
  comment: string | null;
  actorKind: Actor;
  actorName: string | null;
  at: string;
}

/**
 * Record state changes and their history. Every change goes through `transition`, which applies the lifecycle rules
 * (shared/record-status.ts), writes the new state only if nobody changed it meanwhile, and appends a history entry —
 * in one transaction.
 */
const lifecycleService = ({ strapi }: { strapi: Core.Strapi }) => {
  const events = () => strapi.db.query(UID.recordEvent);

  const api = {
    /** History entry for a record's creation or a state change. Call inside the caller's transaction. */
    async append(recordId: number, from: RecordStatus | null, to: RecordStatus, actor: ActorRef, comment?: string | null) {
      await events().create({
        data: {
          record: recordId,
          fromState: from,
          toState: to,
          comment: comment ?? null,
          actorKind: actor.kind,
          actorId: actor.id ?? null,
          actorName: actor.name ?? null,
          at: new Date(),
        },
      });
    },

    async transition(
      record: { id: number; reference: string; state: RecordStatus },
      to: RecordStatus,
      actor: ActorRef,
      { comment = null, extra = {} }: { comment?: string | null; extra?: Record<string, unknown> } = {}
    ) {
      if (!canTransition(record.state, to, actor.kind)) {
        throw conflict(`Record ${record.reference} is ${record.state}; it cannot become ${to} this way`, {
          status: record.state,
        });
      }
      const now = new Date();
      const timestamps: Record<string, unknown> =
        to === 'submitted' ? { submittedAt: now } : to === 'approved' || to === 'rejected' ? { reviewedAt: now, reviewComment: comment } : {};
      await transaction(strapi, async () => {
        const { count } = await strapi.db
          .query(UID.record)
          .updateMany({ where: { id: record.id, state: record.state }, data: { state: to, ...timestamps, ...extra } });
        if (count !== 1) throw conflict(`Record ${record.reference} was changed by someone else; reload it and try again`);
        await api.append(record.id, record.state, to, actor, comment);
      });
    },

    async history(recordId: number): Promise<RecordHistoryEntry[]> {
      const rows: EventRow[] = await events().findMany({ where: { record: { id: recordId } }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
      return rows.map((e) => ({
        from: e.fromState,
        to: e.toState,
        comment: e.comment,
        actor: { kind: e.actorKind, name: e.actorName },
        at: new Date(e.at).toISOString(),
      }));
    },
  };
  return api;
};

export default lifecycleService;
