import type { Core } from '@strapi/strapi';
import type { EasConfig } from '../config';
import { UID } from '../constants';
import { GENESIS, checkRun, checkpointDocument, entryHash, type AuditActor, type AuditEntry, type ChainBreak } from '../utils/audit-chain';
import { keyIdOf, parsePrivateKey, parsePublicKey, signText, verifyText } from '../utils/signing-key';
import { transaction } from '../utils/transaction';

/**
 * What the chain records. Details carry hashes, states and counts, never captured values:
 * - record.created / record.updated / photo.stored / signature.stored / record.submitted / record.reviewed /
 *   record.redacted: the record's integrity hash afterwards and the hash of each part that changed (see
 *   utils/record-state.ts), so the verifier can say which part no longer matches;
 * - record.viewed / record.exported (admin and field-staff receipts) / export.started: who looked or took a copy;
 * - form.saved / form.published / form.unpublished: administrators' changes to forms;
 * - roles.restricted: permissions EAS removed from admin roles that lacked an EAS permission.
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
  | 'roles.restricted';

export interface AuditInput {
  action: AuditAction;
  actor: AuditActor;
  record?: { id: number; reference: string } | null;
  details?: Record<string, unknown>;
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
  checkpoints: { total: number; latest: Checkpoint | null; problems: { seq: number; problem: 'untrusted-key' | 'bad-signature' | 'hash-differs' | 'entry-missing' }[] };
}

/** PostgreSQL advisory lock key ("EASA") that serialises appends across every instance on one database. */
const APPEND_LOCK = 0x45415341;
const BATCH = 2000;

/** JSON columns read back as objects (PostgreSQL) or text (SQLite, some drivers). */
const parseDetails = (v: unknown): Record<string, unknown> => (typeof v === 'string' ? (JSON.parse(v) as Record<string, unknown>) : ((v ?? {}) as Record<string, unknown>));

/**
 * The append-only, hash-chained audit log. `append` runs inside the caller's transaction, as its last step: on
 * PostgreSQL it takes an advisory lock held until that transaction commits, reads the chain head and inserts the next
 * entry (SQLite has a single writer). Nothing in EAS updates or deletes entries, and database triggers refuse it
 * (ensureAppendOnly). Checkpoints sign the head with the Ed25519 key that is not in the database.
 */
const auditService = ({ strapi }: { strapi: Core.Strapi }) => {
  const config = (strapi.config.get('plugin::eas') as EasConfig).custody;
  const key = parsePrivateKey(config.signingKey);
  const trusted = new Map([[key.keyId, key.publicKey], ...config.trustedPublicKeys.map((k) => parsePublicKey(k)).map((pk) => [keyIdOf(pk), pk] as const)]);
  const entries = () => strapi.db.query(UID.auditEntry);
  const checkpoints = () => strapi.db.query(UID.auditCheckpoint);
  const isPostgres = () => strapi.db.dialect.client === 'postgres';
  const toEntry = (row: AuditEntry): AuditEntry => ({ ...row, details: parseDetails(row.details) });

  /**
   * The audit table as Strapi's metadata names it. `append` runs inside every change's transaction — on SQLite the
   * only writer, so its time is every request's — and reads the head and inserts with plain queries on that
   * transaction: through the query engine (row processing, defaults, lifecycles) the two took over twice as long.
   */
  let tableLayout: { table: string; column: (attribute: string) => string; newDocumentId: () => string } | undefined;
  const layout = () => {
    if (tableLayout) return tableLayout;
    const meta = strapi.db.metadata.get(UID.auditEntry);
    const attributes = meta.attributes as Record<string, { columnName?: string; default?: unknown }>;
    const column = (attribute: string) => {
      const name = attributes[attribute]?.columnName;
      if (!name) throw new Error(`audit log: no column for ${attribute}`);
      return name;
    };
    const documentIdDefault = attributes.documentId?.default;
    if (typeof documentIdDefault !== 'function') throw new Error('audit log: Strapi no longer declares how documentIds are made');
    return (tableLayout = { table: meta.tableName, column, newDocumentId: documentIdDefault as () => string });
  };

  const head = async (): Promise<{ seq: number; hash: string } | null> =>
    entries().findOne({ select: ['seq', 'hash'], orderBy: { seq: 'desc' } });

  const api = {
    async append(input: AuditInput): Promise<AuditEntry> {
      return transaction(strapi, () =>
        strapi.db.transaction(async ({ trx }) => {
          if (isPostgres()) await trx.raw('select pg_advisory_xact_lock(?)', [APPEND_LOCK]);
          const { table, column, newDocumentId } = layout();
          const last: { seq: number; hash: string } | undefined = await trx(table)
            .select({ seq: column('seq'), hash: column('hash') })
            .orderBy(column('seq'), 'desc')
            .first();
          const entry: Omit<AuditEntry, 'hash'> = {
            seq: Number(last?.seq ?? 0) + 1,
            at: input.at ?? new Date(),
            action: input.action,
            actorKind: input.actor.kind,
            actorId: input.actor.id ?? null,
            actorName: input.actor.name ?? null,
            recordId: input.record?.id ?? null,
            reference: input.record?.reference ?? null,
            // As it will read back from a JSON column.
            details: JSON.parse(JSON.stringify(input.details ?? {})),
            prevHash: last?.hash ?? GENESIS,
          };
          const full = { ...entry, hash: entryHash(entry) };
          const now = new Date();
          // The row exactly as the query engine writes it (datetimes as Date, JSON as text, Strapi's documentId).
          const row: Record<string, unknown> = {
            documentId: newDocumentId(),
            ...full,
            at: new Date(full.at),
            details: JSON.stringify(full.details),
            createdAt: now,
            updatedAt: now,
            publishedAt: now,
          };
          await trx(table).insert(Object.fromEntries(Object.entries(row).map(([k, v]) => [column(k), v])));
          return full;
        })
      );
    },

    /** A record's entries, oldest first. */
    async ofRecord(recordId: number): Promise<AuditEntry[]> {
      return ((await entries().findMany({ where: { recordId }, orderBy: { seq: 'asc' } })) as AuditEntry[]).map(toEntry);
    },

    /** The entries of several records, oldest first per record, in one query (every id has a list, maybe empty). */
    async ofRecords(recordIds: number[]): Promise<Map<number, AuditEntry[]>> {
      const byRecord = new Map(recordIds.map((id) => [id, [] as AuditEntry[]]));
      if (!recordIds.length) return byRecord;
      const rows = (await entries().findMany({ where: { recordId: { $in: recordIds } }, orderBy: { seq: 'asc' } })) as AuditEntry[];
      for (const row of rows) byRecord.get(row.recordId!)?.push(toEntry(row));
      return byRecord;
    },

    /** The entries just before each given entry (to check a record's entries against their neighbours). */
    async predecessors(list: AuditEntry[]): Promise<Map<number, AuditEntry>> {
      const seqs = list.map((e) => e.seq - 1).filter((s) => s > 0);
      const rows = seqs.length ? ((await entries().findMany({ where: { seq: { $in: seqs } } })) as AuditEntry[]) : [];
      return new Map(rows.map((r) => [r.seq, toEntry(r)]));
    },

    /** Breaks among a record's own entries: each must hash right and follow the entry before it in the chain. */
    async checkEntries(list: AuditEntry[]): Promise<ChainBreak[]> {
      const before = await api.predecessors(list);
      return list.flatMap((e) => checkRun([e], e.seq === 1 ? null : (before.get(e.seq - 1) ?? { seq: e.seq - 1, hash: 'missing' })));
    },

    /** Walks the whole chain in batches and checks every checkpoint. */
    async verifyChain(): Promise<ChainReport> {
      const breaks: ChainBreak[] = [];
      let previous: AuditEntry | null = null;
      let count = 0;
      const hashAt = new Map<number, string>();
      const marks: Checkpoint[] = await checkpoints().findMany({ orderBy: { seq: 'asc' } });
      const wanted = new Set(marks.map((c) => c.seq));
      for (;;) {
        const batch: AuditEntry[] = ((await entries().findMany({
          where: previous ? { seq: { $gt: previous.seq } } : {},
          orderBy: { seq: 'asc' },
          limit: BATCH,
        })) as AuditEntry[]).map(toEntry);
        if (!batch.length) break;
        breaks.push(...checkRun(batch, previous));
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
     * Signs the chain head (unless it is signed already). Also logged, so a copy lives outside the database. The
     * entries since the previous checkpoint are checked first: a chain that is broken there is not signed (the
     * sweep reports the break); what a checkpoint signs was whole when it was signed.
     */
    async checkpoint(): Promise<Checkpoint | null> {
      const last = await head();
      if (!last) return null;
      const latest: Checkpoint | null = await checkpoints().findOne({ orderBy: { seq: 'desc' } });
      if (latest && latest.seq === last.seq) return latest;
      const anchor: AuditEntry | null = latest ? ((await entries().findOne({ where: { seq: latest.seq } })) as AuditEntry | null) : null;
      if (latest && (!anchor || anchor.hash !== latest.hash)) {
        strapi.log.error(`[eas] audit checkpoint not signed: the entry at the last checkpoint (${latest.seq}) is missing or changed`);
        return null;
      }
      let previous: AuditEntry | null = anchor;
      for (;;) {
        const batch: AuditEntry[] = ((await entries().findMany({ where: { seq: { $gt: previous?.seq ?? 0 } }, orderBy: { seq: 'asc' }, limit: BATCH })) as AuditEntry[]).map(toEntry);
        if (!batch.length) break;
        const breaks = checkRun(batch, previous);
        if (breaks.length) {
          strapi.log.error(`[eas] audit checkpoint not signed: the chain breaks at ${breaks[0].seq} (${breaks[0].problem})`);
          return null;
        }
        previous = batch[batch.length - 1];
      }
      const at = new Date();
      const mark: Checkpoint = { seq: last.seq, hash: last.hash, at: at.toISOString(), keyId: key.keyId, signature: '' };
      mark.signature = signText(key, checkpointDocument(mark));
      await checkpoints().create({ data: { ...mark, at, publishedAt: at } });
      strapi.log.info(`[eas] audit checkpoint seq=${mark.seq} hash=${mark.hash} at=${mark.at} key=${mark.keyId} signature=${mark.signature}`);
      return mark;
    },

    keyId: key.keyId,

    /**
     * Database triggers that refuse UPDATE, DELETE and TRUNCATE on the audit log and its checkpoints, and DELETE on
     * records, whoever sends them (EAS, another plugin, a console). Idempotent; run at every boot, because a schema
     * change can recreate a table (SQLite) and drop its triggers. A database owner can still drop the triggers:
     * the chain and the signed checkpoints are what make such an edit visible.
     */
    async ensureAppendOnly() {
      const table = (uid: string) => strapi.db.metadata.get(uid).tableName;
      const log = table(UID.auditEntry);
      const marks = table(UID.auditCheckpoint);
      const records = table(UID.record);
      const knex = strapi.db.connection;
      if (isPostgres()) {
        await knex.transaction(async (trx) => {
          await trx.raw('select pg_advisory_xact_lock(?)', [APPEND_LOCK + 1]);
          await trx.raw(`CREATE OR REPLACE FUNCTION eas_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'EAS: % on % is refused: evidence is append-only', TG_OP, TG_TABLE_NAME USING ERRCODE = '42501'; END $$`);
          for (const t of [log, marks]) {
            await trx.raw(`CREATE OR REPLACE TRIGGER eas_append_only BEFORE UPDATE OR DELETE ON ?? FOR EACH ROW EXECUTE FUNCTION eas_refuse_change()`, [t]);
            await trx.raw(`CREATE OR REPLACE TRIGGER eas_no_truncate BEFORE TRUNCATE ON ?? FOR EACH STATEMENT EXECUTE FUNCTION eas_refuse_change()`, [t]);
          }
          await trx.raw(`CREATE OR REPLACE TRIGGER eas_no_delete BEFORE DELETE ON ?? FOR EACH ROW EXECUTE FUNCTION eas_refuse_change()`, [records]);
          await trx.raw(`CREATE OR REPLACE TRIGGER eas_no_truncate BEFORE TRUNCATE ON ?? FOR EACH STATEMENT EXECUTE FUNCTION eas_refuse_change()`, [records]);
        });
        return;
      }
      const refuse = (name: string, when: string, t: string) =>
        knex.raw(`CREATE TRIGGER IF NOT EXISTS ${name} BEFORE ${when} ON ${t} BEGIN SELECT RAISE(ABORT, 'EAS: ${when} on ${t} is refused: evidence is append-only'); END`);
      for (const t of [log, marks]) {
        await refuse(`${t}_no_update`, 'UPDATE', t);
        await refuse(`${t}_no_delete`, 'DELETE', t);
      }
      await refuse(`${records}_no_delete`, 'DELETE', records);
    },
  };
  return api;
};

export default auditService;
