import type { Core } from '@strapi/strapi';
import type { EasConfig } from '../config';
import { UID } from '../constants';
import {
  GENESIS,
  checkEntry,
  checkRun,
  checkpointDocument,
  entryHash,
  signEntry,
  type AuditActor,
  type AuditEntry,
  type ChainBreak,
} from '../utils/audit-chain';
import { sha256 } from '../utils/hash';
import { PART_ACTIONS } from '../utils/record-state';
import { keyIdOf, parsePrivateKey, parsePublicKey, signText, verifyText } from '../utils/signing-key';
import { transaction } from '../utils/transaction';

/**
 * What the chain records. Details carry hashes, states and counts, never captured values:
 * - record.created / record.updated / photo.stored / signature.stored / record.submitted / record.reviewed /
 *   record.redacted: the record's integrity hash afterwards and the hash of each part that changed (see
 *   utils/record-state.ts, which says which action may change which part), so the verifier can say which part no
 *   longer matches;
 * - record.viewed / record.exported (admin and field-staff receipts) / export.started: who looked or took a copy;
 * - form.saved / form.published / form.unpublished: administrators' changes to forms;
 * - roles.restricted: permissions EAS removed from admin roles that lacked an EAS permission;
 * - session.reuse-revoked: a rotated refresh token came back after the grace window; its family was revoked;
 * - user.created / user.blocked / user.unblocked / admin.invited: people managed on EAS → People.
 * Free text people wrote (a review comment, a redaction reason) is a note beside the chain; the entry holds its hash.
 */
export type AuditAction =
  | 'record.created'
  | 'record.updated'
  | 'photo.stored'
  | 'signature.stored'
  | 'record.submitted'
  | 'record.reviewed'
  | 'record.redacted'
  | 'record.viewed'
  | 'record.exported'
  | 'export.started'
  | 'form.saved'
  | 'form.published'
  | 'form.unpublished'
  | 'roles.restricted'
  | 'session.reuse-revoked'
  | 'user.created'
  | 'user.blocked'
  | 'user.unblocked'
  | 'admin.invited';

export type NoteKind = 'comment' | 'reason';

export interface AuditInput {
  action: AuditAction;
  actor: AuditActor;
  record?: { id: number; reference: string } | null;
  details?: Record<string, unknown>;
  /** Free text of the entry, kept as notes (the entry holds `<kind>Sha256`). */
  notes?: Partial<Record<NoteKind, string | null>>;
  /** The time the change itself carries (e.g. submittedAt), so both read the same. */
  at?: Date;
}

export interface Checkpoint {
  seq: number;
  hash: string;
  at: string;
  keyId: string;
  signature: string;
}

export interface ChainReport {
  entries: number;
  head: { seq: number; hash: string } | null;
  breaks: ChainBreak[];
  checkpoints: {
    total: number;
    latest: Checkpoint | null;
    problems: { seq: number; problem: 'untrusted-key' | 'bad-signature' | 'hash-differs' | 'entry-missing' }[];
  };
}

/** PostgreSQL advisory lock key ("EASA") that serialises appends across every instance on one database. */
const APPEND_LOCK = 0x45415341;
const BATCH = 2000;
/** A record's history shows its changes in full and at most this many of its latest views and exports. */
const RECENT_READS = 50;

/** JSON columns read back as objects (PostgreSQL) or text (SQLite, some drivers). */
const parseDetails = (v: unknown): Record<string, unknown> =>
  typeof v === 'string' ? (JSON.parse(v) as Record<string, unknown>) : ((v ?? {}) as Record<string, unknown>);

/**
 * The append-only, hash-chained, signed audit log. `append` runs inside the caller's transaction, as its last step:
 * on PostgreSQL it takes an advisory lock held until that transaction commits, reads the chain head and inserts the
 * next entry (SQLite has a single writer). Every entry's hash is signed with the Ed25519 key that is not in the
 * database, so nobody but EAS can add one. Nothing in EAS updates or deletes entries, and database triggers refuse it
 * (services/database-guards.ts). Checkpoints sign the head, so truncating the chain before one is visible too.
 */
const auditService = ({ strapi }: { strapi: Core.Strapi }) => {
  const config = (strapi.config.get('plugin::eas') as EasConfig).custody;
  const key = parsePrivateKey(config.signingKey);
  const trusted = new Map([
    [key.keyId, key.publicKey],
    ...config.trustedPublicKeys.map((k) => parsePublicKey(k)).map((pk) => [keyIdOf(pk), pk] as const),
  ]);
  const entries = () => strapi.db.query(UID.auditEntry);
  const notes = () => strapi.db.query(UID.auditNote);
  const checkpoints = () => strapi.db.query(UID.auditCheckpoint);
  const isPostgres = () => strapi.db.dialect.client === 'postgres';
  const toEntry = (row: AuditEntry): AuditEntry => ({ ...row, details: parseDetails(row.details) });

  /**
   * A table as Strapi's metadata names it. `append` runs inside every change's transaction — on SQLite the only
   * writer, so its time is every request's — and reads the head and inserts with plain queries on that transaction:
   * through the query engine (row processing, defaults, lifecycles) the two took over twice as long.
   */
  const layouts = new Map<string, { table: string; column: (attribute: string) => string; newDocumentId: () => string }>();
  const layout = (uid: string) => {
    const known = layouts.get(uid);
    if (known) return known;
    const meta = strapi.db.metadata.get(uid);
    const attributes = meta.attributes as Record<string, { columnName?: string; default?: unknown }>;
    const column = (attribute: string) => {
      const name = attributes[attribute]?.columnName;
      if (!name) throw new Error(`${uid}: no column for ${attribute}`);
      return name;
    };
    const documentIdDefault = attributes.documentId?.default;
    if (typeof documentIdDefault !== 'function') throw new Error(`${uid}: Strapi no longer declares how documentIds are made`);
    const made = { table: meta.tableName, column, newDocumentId: documentIdDefault as () => string };
    layouts.set(uid, made);
    return made;
  };
  const rowOf = (uid: string, data: Record<string, unknown>) => {
    const { column, newDocumentId } = layout(uid);
    const now = new Date();
    return Object.fromEntries(
      Object.entries({ documentId: newDocumentId(), ...data, createdAt: now, updatedAt: now, publishedAt: now }).map(([k, v]) => [
        column(k),
        v,
      ])
    );
  };

  const head = async (): Promise<{ seq: number; hash: string } | null> =>
    entries().findOne({ select: ['seq', 'hash'], orderBy: { seq: 'desc' } });

  /** The latest checkpoint whose signature a trusted key verifies (a row that is not one is ignored here). */
  const latestValidCheckpoint = async (): Promise<Checkpoint | null> => {
    const marks: Checkpoint[] = await checkpoints().findMany({ orderBy: { seq: 'desc' }, limit: 100 });
    return (
      marks.find((c) => {
        const publicKey = trusted.get(c.keyId);
        return Boolean(publicKey && verifyText(publicKey, checkpointDocument(c), c.signature));
      }) ?? null
    );
  };

  const api = {
    async append(input: AuditInput): Promise<AuditEntry> {
      return transaction(strapi, () =>
        strapi.db.transaction(async ({ trx }) => {
          if (isPostgres()) await trx.raw('select pg_advisory_xact_lock(?)', [APPEND_LOCK]);
          const { table, column } = layout(UID.auditEntry);
          const last: { seq: number; hash: string } | undefined = await trx(table)
            .select({ seq: column('seq'), hash: column('hash') })
            .orderBy(column('seq'), 'desc')
            .first();
          const texts = Object.entries(input.notes ?? {}).filter((n): n is [NoteKind, string] => typeof n[1] === 'string' && n[1] !== '');
          const entry: Omit<AuditEntry, 'hash' | 'signature' | 'keyId'> = {
            seq: Number(last?.seq ?? 0) + 1,
            at: input.at ?? new Date(),
            action: input.action,
            actorKind: input.actor.kind,
            actorId: input.actor.id ?? null,
            actorName: input.actor.name ?? null,
            recordId: input.record?.id ?? null,
            reference: input.record?.reference ?? null,
            // As it will read back from a JSON column.
            details: JSON.parse(
              JSON.stringify({
                ...(input.details ?? {}),
                ...Object.fromEntries(texts.map(([kind, text]) => [`${kind}Sha256`, sha256(text)])),
              })
            ),
            prevHash: last?.hash ?? GENESIS,
          };
          const hash = entryHash(entry);
          const full: AuditEntry = { ...entry, hash, ...signEntry(hash, key) };
          // The row exactly as the query engine writes it (datetimes as Date, JSON as text, Strapi's documentId).
          await trx(table).insert(rowOf(UID.auditEntry, { ...full, at: new Date(full.at), details: JSON.stringify(full.details) }));
          if (texts.length) {
            await trx(layout(UID.auditNote).table).insert(
              texts.map(([kind, text]) => rowOf(UID.auditNote, { entrySeq: full.seq, recordId: full.recordId, kind, text }))
            );
          }
          return full;
        })
      );
    },

    /** The entries that can change a record's parts, oldest first (what its integrity check folds). */
    async partsOf(recordId: number): Promise<AuditEntry[]> {
      return (
        (await entries().findMany({ where: { recordId, action: { $in: PART_ACTIONS } }, orderBy: { seq: 'asc' } })) as AuditEntry[]
      ).map(toEntry);
    },

    /** The same for several records, in one query (every id has a list, maybe empty). */
    async partsOfRecords(recordIds: number[]): Promise<Map<number, AuditEntry[]>> {
      const byRecord = new Map(recordIds.map((id) => [id, [] as AuditEntry[]]));
      if (!recordIds.length) return byRecord;
      const rows = (await entries().findMany({
        where: { recordId: { $in: recordIds }, action: { $in: PART_ACTIONS } },
        orderBy: { seq: 'asc' },
      })) as AuditEntry[];
      for (const row of rows) byRecord.get(row.recordId!)?.push(toEntry(row));
      return byRecord;
    },

    /** A record's history: every change, and its latest views and exports (they can be many), oldest first. */
    async historyOf(recordId: number): Promise<{ entries: AuditEntry[]; notes: Map<number, Partial<Record<NoteKind, string | null>>> }> {
      const [changes, reads] = await Promise.all([
        entries().findMany({
          where: { recordId, action: { $notIn: ['record.viewed', 'record.exported'] } },
          orderBy: { seq: 'asc' },
        }) as Promise<AuditEntry[]>,
        entries().findMany({
          where: { recordId, action: { $in: ['record.viewed', 'record.exported'] } },
          orderBy: { seq: 'desc' },
          limit: RECENT_READS,
        }) as Promise<AuditEntry[]>,
      ]);
      const all = [...changes, ...reads].sort((a, b) => a.seq - b.seq).map(toEntry);
      const rows: { entrySeq: number; kind: NoteKind; text: string | null }[] = await notes().findMany({
        where: { recordId },
        select: ['entrySeq', 'kind', 'text'],
      });
      const byEntry = new Map<number, Partial<Record<NoteKind, string | null>>>();
      for (const n of rows) byEntry.set(n.entrySeq, { ...byEntry.get(n.entrySeq), [n.kind]: n.text });
      return { entries: all, notes: byEntry };
    },

    /** A data-protection redaction of a record's notes: their text goes, the chain keeps each note's hash. */
    async redactNotes(recordId: number, at: Date) {
      await notes().updateMany({ where: { recordId, text: { $notNull: true } }, data: { text: null, redactedAt: at } });
    },

    /** Breaks among some entries on their own: each must hash right and be signed by EAS. */
    checkEntries: (list: AuditEntry[]): ChainBreak[] => list.flatMap((e) => checkEntry(e, trusted)),

    /** Walks the whole chain in batches and checks every checkpoint. */
    async verifyChain(): Promise<ChainReport> {
      const breaks: ChainBreak[] = [];
      let previous: AuditEntry | null = null;
      let count = 0;
      const hashAt = new Map<number, string>();
      const marks: Checkpoint[] = await checkpoints().findMany({ orderBy: { seq: 'asc' } });
      const wanted = new Set(marks.map((c) => c.seq));
      for (;;) {
        const batch: AuditEntry[] = (
          (await entries().findMany({
            where: previous ? { seq: { $gt: previous.seq } } : {},
            orderBy: { seq: 'asc' },
            limit: BATCH,
          })) as AuditEntry[]
        ).map(toEntry);
        if (!batch.length) break;
        breaks.push(...checkRun(batch, previous, trusted));
        for (const e of batch) if (wanted.has(e.seq)) hashAt.set(e.seq, e.hash);
        count += batch.length;
        previous = batch[batch.length - 1];
      }
      const problems: ChainReport['checkpoints']['problems'] = [];
      for (const c of marks) {
        const publicKey = trusted.get(c.keyId);
        if (!publicKey) problems.push({ seq: c.seq, problem: 'untrusted-key' });
        else if (!verifyText(publicKey, checkpointDocument(c), c.signature)) problems.push({ seq: c.seq, problem: 'bad-signature' });
        else if (!hashAt.has(c.seq)) problems.push({ seq: c.seq, problem: 'entry-missing' });
        else if (hashAt.get(c.seq) !== c.hash) problems.push({ seq: c.seq, problem: 'hash-differs' });
      }
      const latest = marks.length ? marks[marks.length - 1] : null;
      return {
        entries: count,
        head: previous ? { seq: previous.seq, hash: previous.hash } : null,
        breaks,
        checkpoints: { total: marks.length, latest: latest && { ...latest, at: new Date(latest.at).toISOString() }, problems },
      };
    },

    /**
     * Signs the chain head (unless it is signed already). Also logged, so a copy lives outside the database. It
     * vouches for nothing but the head: every entry carries its own signature, so an entry not written by EAS stays
     * visible as one whatever a later checkpoint signs; what a checkpoint adds is that the chain up to it cannot be
     * cut short or re-ordered unnoticed.
     */
    async checkpoint(): Promise<Checkpoint | null> {
      const last = await head();
      if (!last) return null;
      const latest = await latestValidCheckpoint();
      if (latest && latest.seq === last.seq && latest.hash === last.hash) return latest;
      const at = new Date();
      const mark: Checkpoint = { seq: last.seq, hash: last.hash, at: at.toISOString(), keyId: key.keyId, signature: '' };
      mark.signature = signText(key, checkpointDocument(mark));
      await checkpoints().create({ data: { ...mark, at, publishedAt: at } });
      strapi.log.info(
        `[eas] audit checkpoint seq=${mark.seq} hash=${mark.hash} at=${mark.at} key=${mark.keyId} signature=${mark.signature}`
      );
      return mark;
    },

    keyId: key.keyId,
  };
  return api;
};

export default auditService;
