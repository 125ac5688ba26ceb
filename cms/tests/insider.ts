/**
 * What an insider with database credentials — but not the Ed25519 signing key — can do to the audit chain: append
 * an entry at its head that is chained exactly as EAS chains them (the triggers refuse UPDATE and DELETE, not
 * INSERT), using EAS's own hashing code. Used by the custody tests to show that such an entry counts for nothing.
 */
import { randomBytes } from 'node:crypto';
import { entryHash } from '../src/plugins/eas/server/src/utils/audit-chain';
import type { DbAccess } from './db-access';
import type { StrapiInstance } from './harness';

export const appendForged = async (
  strapi: StrapiInstance,
  sql: DbAccess,
  entry: {
    action: string;
    actorKind: 'field-staff' | 'admin' | 'system';
    actorId?: number | null;
    actorName?: string | null;
    recordId: number | null;
    reference: string | null;
    details: Record<string, unknown>;
  }
) => {
  const [last] = await sql.query<{ seq: number; hash: string }>('select seq, hash from eas_audit_log order by seq desc limit 1');
  const at = new Date();
  const fields = {
    seq: Number(last.seq) + 1,
    at,
    action: entry.action,
    actorKind: entry.actorKind,
    actorId: entry.actorId ?? null,
    actorName: entry.actorName ?? null,
    recordId: entry.recordId,
    reference: entry.reference,
    details: JSON.parse(JSON.stringify(entry.details)),
    prevHash: last.hash,
  };
  const hash = entryHash(fields);
  const ts = strapi.db === 'sqlite' ? at.getTime() : at.toISOString();
  await sql.query(
    `insert into eas_audit_log (document_id, seq, at, action, actor_kind, actor_id, actor_name, record_id, reference, details, prev_hash, hash, created_at, updated_at, published_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      randomBytes(12).toString('hex'),
      fields.seq,
      ts,
      fields.action,
      fields.actorKind,
      fields.actorId,
      fields.actorName,
      fields.recordId,
      fields.reference,
      JSON.stringify(fields.details),
      fields.prevHash,
      hash,
      ts,
      ts,
      ts,
    ]
  );
  return { ...fields, hash };
};
