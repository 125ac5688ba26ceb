/**
 * The audit chain's rules, pure (no Strapi): how an entry is hashed and signed, how a checkpoint is signed, and how
 * a run of entries is checked. Each entry's hash covers its own content and the previous entry's hash, so an edited,
 * deleted, inserted or reordered entry breaks the chain at that position; each entry's hash is also signed with the
 * EAS signing key, which is not in the database, so an entry written by anyone else — even one correctly chained at
 * the head — is refused. Documented in docs/security-and-integrity.md.
 */
import type { KeyObject } from 'crypto';
import { canonical } from '../../../shared/integrity';
import { sha256 } from './hash';
import { signText, verifyText, type SigningKey } from './signing-key';

export const GENESIS = '0'.repeat(64);

export interface AuditActor {
  kind: 'field-staff' | 'admin' | 'system';
  id?: number | null;
  name?: string | null;
}

export interface AuditEntry {
  seq: number;
  at: string | Date;
  action: string;
  actorKind: AuditActor['kind'];
  actorId: number | null;
  actorName: string | null;
  recordId: number | null;
  reference: string | null;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
  /** Ed25519 signature (base64) of `hash`, by the key `keyId`. */
  signature: string | null;
  keyId: string | null;
}

/** The text an entry's hash is the SHA-256 of. */
export const entryDocument = (e: Omit<AuditEntry, 'hash' | 'signature' | 'keyId'>) =>
  canonical({
    v: 1,
    kind: 'eas-audit',
    seq: e.seq,
    prevHash: e.prevHash,
    at: new Date(e.at).toISOString(),
    action: e.action,
    actor: { kind: e.actorKind, id: e.actorId ?? null, name: e.actorName ?? null },
    recordId: e.recordId ?? null,
    reference: e.reference ?? null,
    details: e.details ?? {},
  });

export const entryHash = (e: Omit<AuditEntry, 'hash' | 'signature' | 'keyId'>) => sha256(entryDocument(e));

/** The entry's hash, signed. */
export const signEntry = (hash: string, key: SigningKey) => ({ signature: signText(key, `eas-audit:${hash}`), keyId: key.keyId });

/** Was this entry's hash signed by a key EAS trusts? */
export const entrySigned = (e: Pick<AuditEntry, 'hash' | 'signature' | 'keyId'>, trusted: Map<string, KeyObject>) => {
  const key = e.keyId ? trusted.get(e.keyId) : undefined;
  return Boolean(key && e.signature && verifyText(key, `eas-audit:${e.hash}`, e.signature));
};

/** The text a checkpoint's Ed25519 signature covers. */
export const checkpointDocument = (c: { seq: number; hash: string; at: string | Date }) =>
  canonical({ v: 1, kind: 'eas-audit-checkpoint', seq: c.seq, hash: c.hash, at: new Date(c.at).toISOString() });

export type ChainProblem = 'edited' | 'missing' | 'relinked' | 'unsigned';

export interface ChainBreak {
  /** Sequence number where the chain breaks. */
  seq: number;
  /** edited: the entry's content no longer gives its hash; missing: entries before it are gone (a gap);
   *  relinked: it no longer points at the entry before it (an entry was inserted, reordered or re-hashed);
   *  unsigned: its hash is not signed by a trusted EAS key (it was not written by EAS). */
  problem: ChainProblem;
}

/**
 * Checks consecutive entries (sorted by seq). `previous` is the entry before the first one (null at the start of
 * the chain). Returns every break found.
 */
export const checkRun = (
  entries: AuditEntry[],
  previous: Pick<AuditEntry, 'seq' | 'hash'> | null,
  trusted: Map<string, KeyObject>
): ChainBreak[] => {
  const breaks: ChainBreak[] = [];
  let prev = previous;
  for (const entry of entries) {
    const expectedSeq = (prev?.seq ?? 0) + 1;
    if (entry.seq !== expectedSeq) breaks.push({ seq: entry.seq, problem: 'missing' });
    else if (entry.prevHash !== (prev?.hash ?? GENESIS)) breaks.push({ seq: entry.seq, problem: 'relinked' });
    breaks.push(...checkEntry(entry, trusted));
    prev = entry;
  }
  return breaks;
};

/** One entry on its own: its content gives its hash, and EAS signed that hash. */
export const checkEntry = (entry: AuditEntry, trusted: Map<string, KeyObject>): ChainBreak[] => {
  const breaks: ChainBreak[] = [];
  if (entryHash(entry) !== entry.hash) breaks.push({ seq: entry.seq, problem: 'edited' });
  if (!entrySigned(entry, trusted)) breaks.push({ seq: entry.seq, problem: 'unsigned' });
  return breaks;
};
