import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { IntegritySummary } from '../../../shared/contracts/dashboard';
import type { AlteredPart, IntegrityCheck, IntegrityFinding, VerifyRecord } from '../../../shared/contracts/record';
import { EVENTS } from '../../../shared/events';
import type { EasConfig } from '../config';
import { PLUGIN_ID, UID } from '../constants';
import type { ChainReport } from './audit';
import type { AuditEntry } from '../utils/audit-chain';
import { emitEvent } from '../utils/emit-event';
import { EvidenceMissingError } from '../utils/evidence-backends';
import { getService } from '../utils/get-service';
import { sha256 } from '../utils/hash';
import { expectedParts, partsOf } from '../utils/record-state';
import { POPULATE, type FileRef, type RecordRow } from '../utils/record-view';

export interface SweepReport {
  startedAt: string;
  finishedAt: string;
  records: number;
  files: number;
  bytes: number;
  /** Records whose check found something (at most 200 listed; `alteredCount` counts all). */
  altered: { reference: string; documentId: string; findings: IntegrityFinding[] }[];
  alteredCount: number;
  unrecorded: number;
  chain: Pick<ChainReport, 'entries' | 'head' | 'breaks'> & { checkpointProblems: ChainReport['checkpoints']['problems']; checkpoints: number };
}

const BATCH = 50;
/** Evidence files being read at once by a check (a few, so the next ones arrive while one is hashed). */
const READ_AHEAD = 4;
const STORE_KEY = 'integrityReport';

interface FileCheck {
  part: AlteredPart;
  file: FileRef | null;
  /** The SHA-256 the part recorded for the file (null: only the file row's own hash counts, e.g. thumbnails). */
  expected: string | null;
}

interface FileResult {
  ok: boolean;
  missing: boolean;
  bytes: number;
}

/**
 * The integrity check, the one place that decides whether a record is as EAS recorded it. It recomputes the
 * record's integrity hash and the hash of each of its parts from what is stored now, re-hashes its files from the
 * evidence store, and compares them with the last values the audit chain recorded (whose own entries it checks too).
 * Used on demand (the editor's record view, the verify page, approvals), by the periodic sweep over every record,
 * file and the whole chain (findings reach /health and the dashboard), and by `npm run verify`.
 */
const integrityService = ({ strapi }: { strapi: Core.Strapi }) => {
  const config = strapi.config.get('plugin::eas') as EasConfig;
  const audit = () => getService(strapi, 'audit');
  const store = strapi.store({ type: 'plugin', name: PLUGIN_ID });
  let timer: NodeJS.Timeout | undefined;
  let sweeping: Promise<SweepReport> | null = null;

  /** Re-hashes one stored file against the SHA-256 its row (and the part that names it) recorded. */
  const checkFile = async (file: FileRef | null, expected: string | null): Promise<FileResult> => {
    if (!file) return { ok: expected === null, missing: expected !== null, bytes: 0 };
    if (file.redactedAt) return { ok: true, missing: false, bytes: 0 };
    try {
      const bytes = await getService(strapi, 'evidence-store').read(file);
      const actual = sha256(bytes);
      return { ok: actual === file.sha256 && (expected === null || actual === expected), missing: false, bytes: bytes.length };
    } catch (err) {
      if (err instanceof EvidenceMissingError) return { ok: false, missing: true, bytes: 0 };
      throw err;
    }
  };

  /**
   * Re-hashes files, in order of the list, reading up to READ_AHEAD at once: the store reads the next files (libuv's
   * threads, or S3 round trips) while this thread hashes the one that arrived.
   */
  const checkFiles = async (checks: FileCheck[]): Promise<FileResult[]> => {
    const results: FileResult[] = new Array(checks.length);
    let next = 0;
    const reader = async () => {
      while (next < checks.length) {
        const i = next++;
        results[i] = await checkFile(checks[i].file, checks[i].expected);
      }
    };
    await Promise.all(Array.from({ length: Math.min(READ_AHEAD, checks.length) }, reader));
    return results;
  };

  /** The record's files with the part each belongs to and the hash that part recorded (none for thumbnails). */
  const fileChecksOf = (row: RecordRow): FileCheck[] => [
    ...row.photos.flatMap((p): FileCheck[] => [
      { part: `photo:${p.side}`, file: p.file, expected: p.sha256 },
      { part: `photo:${p.side}`, file: p.thumbnail, expected: null },
    ]),
    ...row.signatures.map((s): FileCheck => ({ part: `signature:${s.slot}`, file: s.file, expected: s.sha256 })),
  ];

  /**
   * The verdict on one record from what was read: its audit entries (oldest first), whether any of them breaks the
   * chain, and its files' results (in fileChecksOf order; none when files were not checked).
   */
  const judge = (row: RecordRow, entries: AuditEntry[], chainBroken: boolean, files: { checks: FileCheck[]; results: FileResult[] } | null): IntegrityCheck & { bytes: number } => {
    const actual = partsOf(row);
    const expected = expectedParts(entries);
    const findings: IntegrityFinding[] = [];
    const add = (part: AlteredPart, problem: IntegrityFinding['problem']) => findings.push({ part, problem });
    let bytes = 0;
    let filesChecked = 0;

    if (chainBroken) add('history', 'chain');
    if (expected) {
      if (actual.data !== expected.data) add('data', 'changed');
      if (actual.status !== expected.status) add('status', 'changed');
      if (actual.owner !== expected.owner) add('owner', 'changed');
      if (actual.form !== expected.form) add('form', 'changed');
      for (const [group, prefix] of [['photos', 'photo'], ['signatures', 'signature']] as const) {
        const names = new Set([...Object.keys(actual[group]), ...Object.keys(expected[group])]);
        for (const name of names) {
          const part = `${prefix}:${name}` as AlteredPart;
          if (!(name in expected[group])) add(part, 'unrecorded');
          else if (!(name in actual[group])) add(part, 'missing');
          else if (actual[group][name] !== expected[group][name]) add(part, 'changed');
        }
      }
      // The stored hash must be the one the chain recorded; while nothing was redacted it must also be the one
      // the content gives now (a redaction changes the content on purpose and keeps the recorded hash).
      if (row.integrityHash !== expected.integrityHash || (!row.redactedAt && actual.integrityHash !== expected.integrityHash)) {
        if (!findings.length) add('integrity-hash', 'changed');
      }
    }
    if (files) {
      files.checks.forEach(({ part, file }, i) => {
        const result = files.results[i];
        if (file && !file.redactedAt) filesChecked++;
        bytes += result.bytes;
        if (!result.ok && !findings.some((f) => f.part === part && (f.problem === 'file' || f.problem === 'missing'))) {
          add(part, result.missing ? 'missing' : 'file');
        }
      });
    }
    const status: IntegrityCheck['status'] = !expected ? 'unrecorded' : findings.length ? 'altered' : row.redactedAt ? 'redacted' : 'intact';
    return {
      status,
      findings,
      computedHash: actual.integrityHash,
      recordedHash: expected?.integrityHash ?? null,
      checkedAt: new Date().toISOString(),
      filesChecked,
      bytes,
    };
  };

  const checkRow = async (row: RecordRow, { files = true } = {}): Promise<IntegrityCheck & { bytes: number }> => {
    const entries = await audit().ofRecord(row.id);
    const chainBroken = (await audit().checkEntries(entries)).length > 0;
    const checks = files ? fileChecksOf(row) : [];
    return judge(row, entries, chainBroken, files ? { checks, results: await checkFiles(checks) } : null);
  };

  /**
   * The sweep's reads for the batch of records after `afterId`: the rows, their audit entries and which of those
   * break the chain — two queries for the batch's entries and their predecessors, not two per record. Null at the end.
   */
  const readBatch = async (afterId: number) => {
    const rows: RecordRow[] = await strapi.db.query(UID.record).findMany({ where: { id: { $gt: afterId } }, populate: POPULATE, orderBy: { id: 'asc' }, limit: BATCH });
    if (!rows.length) return null;
    const entriesOf = await audit().ofRecords(rows.map((r) => r.id));
    const broken = new Set((await audit().checkEntries([...entriesOf.values()].flat())).map((b) => b.seq));
    return { rows, entriesOf, broken };
  };

  /** The same check as checkRow for a batch read by readBatch, its files through one read-ahead queue. */
  const checkBatch = async ({ rows, entriesOf, broken }: NonNullable<Awaited<ReturnType<typeof readBatch>>>) => {
    const checks = rows.map(fileChecksOf);
    const results = await checkFiles(checks.flat());
    let offset = 0;
    return rows.map((row, i) => {
      const entries = entriesOf.get(row.id) ?? [];
      const mine = results.slice(offset, (offset += checks[i].length));
      return { row, check: judge(row, entries, entries.some((e) => broken.has(e.seq)), { checks: checks[i], results: mine }) };
    });
  };

  const findRow = async (where: Record<string, unknown>) => {
    const row: RecordRow | null = await strapi.db.query(UID.record).findOne({ where, populate: POPULATE });
    if (!row) throw new errors.NotFoundError('No such record');
    return row;
  };

  const sweep = async (): Promise<SweepReport> => {
    const startedAt = new Date().toISOString();
    // Sign what is whole first (a broken tail is not signed), then check everything against the signatures.
    await audit().checkpoint();
    const report: SweepReport = { startedAt, finishedAt: startedAt, records: 0, files: 0, bytes: 0, altered: [], alteredCount: 0, unrecorded: 0, chain: null as never };
    // The next batch is read from the database while this one's files are read and hashed.
    let next = readBatch(0);
    for (;;) {
      const batch = await next;
      if (!batch) break;
      next = readBatch(batch.rows[batch.rows.length - 1].id);
      // Its failure is awaited (and thrown) in the next turn; until then it must not count as unhandled.
      next.catch(() => undefined);
      for (const { row, check } of await checkBatch(batch)) {
        report.records++;
        report.files += check.filesChecked;
        report.bytes += check.bytes;
        if (check.status === 'unrecorded') report.unrecorded++;
        if (check.status === 'altered') {
          report.alteredCount++;
          if (report.altered.length < 200) report.altered.push({ reference: row.reference, documentId: row.documentId, findings: check.findings });
        }
      }
    }
    const chain = await audit().verifyChain();
    report.chain = { entries: chain.entries, head: chain.head, breaks: chain.breaks.slice(0, 200), checkpointProblems: chain.checkpoints.problems, checkpoints: chain.checkpoints.total };
    report.finishedAt = new Date().toISOString();
    await store.set({ key: STORE_KEY, value: report });
    if (report.alteredCount || chain.breaks.length || chain.checkpoints.problems.length) {
      strapi.log.error(
        `[eas] integrity sweep: ${report.alteredCount} altered record(s), ${chain.breaks.length} audit-chain break(s), ${chain.checkpoints.problems.length} checkpoint problem(s)`
      );
      emitEvent(strapi, EVENTS.integrityAltered, { altered: report.alteredCount, chainBreaks: chain.breaks.length + chain.checkpoints.problems.length, checkedAt: report.finishedAt });
    }
    return report;
  };

  const api = {
    /** The check of one record (files re-hashed unless `files: false`). */
    check: (row: RecordRow, options?: { files?: boolean }): Promise<IntegrityCheck> => checkRow(row, options).then(({ bytes: _bytes, ...check }) => check),

    /** What the verify page answers for a reference and a hash from a PDF or its QR code. Nothing personal. */
    async verify(reference: string, hash: string): Promise<VerifyRecord.Response['data']> {
      const row = await findRow({ reference });
      const check = await checkRow(row);
      const base = { reference, checkedAt: check.checkedAt };
      if (check.status === 'altered') return { ...base, result: 'altered', match: false, altered: [...new Set(check.findings.map((f) => f.part))] };
      const submitted = { status: row.state, submittedAt: row.submittedAt ? new Date(row.submittedAt).toISOString() : null };
      if (check.status === 'redacted') {
        return { ...base, result: hash === check.recordedHash ? 'redacted' : 'unknown', match: false, redactedAt: new Date(row.redactedAt!).toISOString() };
      }
      if (check.status === 'intact' && hash === check.recordedHash) return { ...base, result: 'match', match: true, ...submitted };
      // An earlier version's hash: the record was submitted with it, then changed (rejected and corrected).
      const earlier = (await audit().ofRecord(row.id)).find((e) => e.action === 'record.submitted' && e.details.integrityHash === hash);
      return { ...base, result: 'unknown', match: false, ...(earlier ? { earlierVersion: { submittedAt: new Date(earlier.at).toISOString() } } : {}) };
    },

    findRow,
    sweep: () => (sweeping ??= sweep().finally(() => (sweeping = null))),

    /** The last sweep's report, from any instance (kept in the plugin store). */
    lastReport: async (): Promise<SweepReport | null> => ((await store.get({ key: STORE_KEY })) as SweepReport | null) ?? null,

    /** For /health and the dashboard: counts only. */
    async summary(): Promise<IntegritySummary> {
      const report = await api.lastReport();
      if (!report) return { status: 'unchecked', altered: 0, chainBreaks: 0, checkedAt: null };
      const breaks = report.chain.breaks.length + report.chain.checkpointProblems.length;
      return { status: report.alteredCount || breaks ? 'altered' : 'ok', altered: report.alteredCount, chainBreaks: breaks, checkedAt: report.finishedAt };
    },

    /**
     * Periodic work in every instance: the chain head is signed every custody.checkpointMinutes and everything is
     * swept every custody.sweepMinutes (skipped when another instance swept recently).
     */
    start() {
      const custody = config.custody;
      const tick = async () => {
        try {
          await audit().checkpoint();
          if (!custody.sweepMinutes) return;
          const last = await api.lastReport();
          if (!last || Date.now() - Date.parse(last.finishedAt) >= custody.sweepMinutes * 60_000) await api.sweep();
        } catch (err) {
          strapi.log.warn(`[eas] integrity sweep or checkpoint failed, will retry: ${(err as Error).message}`);
        }
      };
      timer = setInterval(() => void tick(), Math.min(custody.checkpointMinutes, custody.sweepMinutes || Infinity) * 60_000);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
    },
  };
  return api;
};

export default integrityService;
