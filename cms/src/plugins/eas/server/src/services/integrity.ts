import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { IntegritySummary } from '../../../shared/contracts/dashboard';
import type { AlteredPart, IntegrityCheck, IntegrityFinding, VerifyRecord } from '../../../shared/contracts/record';
import { EVENTS } from '../../../shared/events';
import type { EasConfig } from '../config';
import { PLUGIN_ID, UID } from '../constants';
import type { ChainReport } from './audit';
import type { AuditEntry } from '../utils/audit-chain';
import { conflict } from '../errors';
import { emitEvent } from '../utils/emit-event';
import { EvidenceMissingError } from '../utils/evidence-backends';
import { getService } from '../utils/get-service';
import { sha256 } from '../utils/hash';
import { contentHashOf, expectedParts, partsOf } from '../utils/record-state';
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
  chain: Pick<ChainReport, 'entries' | 'head' | 'breaks'> & {
    checkpointProblems: ChainReport['checkpoints']['problems'];
    checkpoints: number;
  };
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
  /** `broken`: the sequence numbers of the entries that do not hash right or are not signed by EAS. */
  const judge = (
    row: RecordRow,
    entries: AuditEntry[],
    broken: Set<number>,
    files: { checks: FileCheck[]; results: FileResult[] } | null
  ): IntegrityCheck & { bytes: number } => {
    const checkedAt = new Date().toISOString();
    // A row EAS did not make (no form version) cannot be read as a record at all.
    if (!row.formVersion)
      return {
        status: 'altered',
        findings: [{ part: 'form', problem: 'missing' }],
        computedHash: '',
        recordedHash: null,
        checkedAt,
        filesChecked: 0,
        bytes: 0,
      };
    const actual = partsOf(row);
    // Only what EAS wrote counts: an entry its key did not sign is a break, and says nothing about the record.
    const chainBroken = entries.some((e) => broken.has(e.seq));
    const expected = expectedParts(entries.filter((e) => !broken.has(e.seq)));
    const findings: IntegrityFinding[] = [];
    const add = (part: AlteredPart, problem: IntegrityFinding['problem']) => {
      if (!findings.some((f) => f.part === part && f.problem === problem)) findings.push({ part, problem });
    };
    let bytes = 0;
    let filesChecked = 0;

    if (chainBroken) add('history', 'chain');
    if (!expected) add('history', 'missing');
    else {
      if (expected.illegal) add('history', 'chain');
      for (const part of ['identity', 'data', 'status', 'owner', 'form'] as const)
        if (actual[part] !== expected[part]) add(part, 'changed');
      // The record says it was redacted exactly when its history says so.
      if (Boolean(row.redactedAt) !== expected.redacted) add('status', 'changed');
      for (const [group, prefix] of [
        ['photos', 'photo'],
        ['signatures', 'signature'],
      ] as const) {
        const names = new Set([...Object.keys(actual[group]), ...Object.keys(expected[group])]);
        for (const name of names) {
          const part = `${prefix}:${name}` as AlteredPart;
          if (!(name in expected[group])) add(part, 'unrecorded');
          else if (!(name in actual[group])) add(part, 'missing');
          else if (actual[group][name] !== expected[group][name]) add(part, 'changed');
        }
      }
      // The stored hash must be the one the chain recorded; unless a redaction changed the content on purpose (and
      // kept the recorded hash), it must also be the one the content gives now.
      if (row.integrityHash !== expected.integrityHash || (!expected.redacted && actual.integrityHash !== expected.integrityHash)) {
        if (!findings.length) add('integrity-hash', 'changed');
      }
      // Once submitted, every signature endorses the content as it is (EAS refuses to submit otherwise).
      if (row.state !== 'draft' && !expected.redacted) {
        const content = contentHashOf(row);
        for (const s of row.signatures) if (s.contentHash !== content) add(`signature:${s.slot}`, 'unbound');
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
    return {
      status: findings.length ? 'altered' : expected?.redacted ? 'redacted' : 'intact',
      findings,
      computedHash: actual.integrityHash,
      recordedHash: expected?.integrityHash ?? null,
      checkedAt,
      filesChecked,
      bytes,
    };
  };

  const checkRow = async (
    row: RecordRow,
    { files = true, entries: known }: { files?: boolean; entries?: AuditEntry[] } = {}
  ): Promise<IntegrityCheck & { bytes: number }> => {
    const entries = known ?? (await audit().partsOf(row.id));
    const broken = new Set(
      audit()
        .checkEntries(entries)
        .map((b) => b.seq)
    );
    const checks = files ? fileChecksOf(row) : [];
    return judge(row, entries, broken, files ? { checks, results: await checkFiles(checks) } : null);
  };

  /** The sweep's reads for the batch of records after `afterId`: the rows and their audit entries, in two queries. Null at the end. */
  const readBatch = async (afterId: number) => {
    const rows: RecordRow[] = await strapi.db
      .query(UID.record)
      .findMany({ where: { id: { $gt: afterId } }, populate: POPULATE, orderBy: { id: 'asc' }, limit: BATCH });
    if (!rows.length) return null;
    return { rows, entriesOf: await audit().partsOfRecords(rows.map((r) => r.id)) };
  };

  /**
   * The same check as checkRow for a batch read by readBatch, its files through one read-ahead queue. Which entries
   * break the chain comes from the walk over the whole chain the sweep made first (each entry's signature is
   * verified once); an entry appended since that walk is checked here.
   */
  const checkBatch = async (
    { rows, entriesOf }: NonNullable<Awaited<ReturnType<typeof readBatch>>>,
    walked: { head: number; broken: Set<number> }
  ) => {
    const entriesOfBatch = [...entriesOf.values()].flat();
    const broken = new Set([
      ...entriesOfBatch.filter((e) => walked.broken.has(e.seq)).map((e) => e.seq),
      ...audit()
        .checkEntries(entriesOfBatch.filter((e) => e.seq > walked.head))
        .map((b) => b.seq),
    ]);
    const checks = rows.map(fileChecksOf);
    const results = await checkFiles(checks.flat());
    let offset = 0;
    return rows.map((row, i) => {
      const entries = entriesOf.get(row.id) ?? [];
      const mine = results.slice(offset, (offset += checks[i].length));
      return { row, check: judge(row, entries, broken, { checks: checks[i], results: mine }) };
    });
  };

  const findRow = async (where: Record<string, unknown>) => {
    const row: RecordRow | null = await strapi.db.query(UID.record).findOne({ where, populate: POPULATE });
    if (!row) throw new errors.NotFoundError('No such record');
    if (!row.formVersion) {
      throw conflict(`Record ${row.reference} has no form version: EAS did not make it this way, and it cannot be read as a record`, {
        code: 'record_broken',
      });
    }
    return row;
  };

  const sweep = async (): Promise<SweepReport> => {
    const startedAt = new Date().toISOString();
    // Sign what is whole first (a broken tail is not signed), then check everything against the signatures.
    await audit().checkpoint();
    const report: SweepReport = {
      startedAt,
      finishedAt: startedAt,
      records: 0,
      files: 0,
      bytes: 0,
      altered: [],
      alteredCount: 0,
      unrecorded: 0,
      chain: null as never,
    };
    // The next batch is read from the database while the chain is walked, then while this batch's files are hashed.
    // The altered records' forms, for the integrity.altered event (a webhook endpoint of one form hears of its own).
    const forms = new Map<string, string>();
    let next = readBatch(0);
    // Its failure is awaited (and thrown) below; until then it must not count as unhandled.
    next.catch(() => undefined);
    const chain = await audit().verifyChain();
    // The entries that are not what EAS wrote (a link problem belongs to the chain, not to an entry).
    const walked = {
      head: chain.head?.seq ?? 0,
      broken: new Set(chain.breaks.filter((b) => b.problem === 'edited' || b.problem === 'unsigned').map((b) => b.seq)),
    };
    for (;;) {
      const batch = await next;
      if (!batch) break;
      next = readBatch(batch.rows[batch.rows.length - 1].id);
      next.catch(() => undefined);
      for (const { row, check } of await checkBatch(batch, walked)) {
        report.records++;
        report.files += check.filesChecked;
        report.bytes += check.bytes;
        if (check.findings.some((f) => f.part === 'history' && f.problem === 'missing')) report.unrecorded++;
        if (check.status === 'altered') {
          report.alteredCount++;
          if (report.altered.length < 200)
            report.altered.push({ reference: row.reference, documentId: row.documentId, findings: check.findings });
          if (forms.size < 200) forms.set(row.documentId, row.formSlug);
        }
      }
    }
    report.chain = {
      entries: chain.entries,
      head: chain.head,
      breaks: chain.breaks.slice(0, 200),
      checkpointProblems: chain.checkpoints.problems,
      checkpoints: chain.checkpoints.total,
    };
    report.finishedAt = new Date().toISOString();
    await store.set({ key: STORE_KEY, value: report });
    if (report.alteredCount || chain.breaks.length || chain.checkpoints.problems.length) {
      strapi.log.error(
        `[eas] integrity sweep: ${report.alteredCount} altered record(s), ${chain.breaks.length} audit-chain break(s), ${chain.checkpoints.problems.length} checkpoint problem(s)`
      );
      emitEvent(strapi, EVENTS.integrityAltered, {
        altered: report.alteredCount,
        records: report.altered.map(({ reference, documentId }) => ({ reference, documentId, form: forms.get(documentId) ?? '' })),
        chainBreaks: chain.breaks.length + chain.checkpoints.problems.length,
        checkedAt: report.finishedAt,
      });
    }
    return report;
  };

  const api = {
    /** The check of one record (files re-hashed unless `files: false`). */
    check: (row: RecordRow, options?: { files?: boolean }): Promise<IntegrityCheck> =>
      checkRow(row, options).then(({ bytes: _bytes, ...check }) => check),

    /**
     * What the verify page answers for a reference and a hash from a PDF or its QR code. Nothing personal, and
     * nothing at all about a record for a hash EAS never recorded for it (so the page is no oracle on references):
     * the hash is compared with the recorded ones first, and only a recorded hash earns the full check.
     */
    async verify(reference: string, hash: string): Promise<VerifyRecord.Response['data']> {
      const checkedAt = new Date().toISOString();
      const unknown = { reference, result: 'unknown' as const, match: false, checkedAt };
      const row: RecordRow | null = await strapi.db.query(UID.record).findOne({ where: { reference }, populate: POPULATE });
      if (!row) return unknown;
      const entries = await audit().partsOf(row.id);
      const recorded = entries.filter((e) => e.details.integrityHash === hash);
      if (!recorded.length) return unknown;
      const check = await checkRow(row, { entries });
      const base = { reference, checkedAt: check.checkedAt };
      if (check.status === 'altered')
        return { ...base, result: 'altered', match: false, altered: [...new Set(check.findings.map((f) => f.part))] };
      if (check.status === 'redacted')
        return { ...base, result: 'redacted', match: false, redactedAt: new Date(row.redactedAt!).toISOString() };
      if (hash === check.recordedHash) {
        return {
          ...base,
          result: 'match',
          match: true,
          status: row.state,
          submittedAt: row.submittedAt ? new Date(row.submittedAt).toISOString() : null,
        };
      }
      // An earlier version's hash: the record was submitted with it, then changed (rejected and corrected).
      const earlier = recorded.find((e) => e.action === 'record.submitted');
      return {
        ...base,
        result: 'unknown',
        match: false,
        ...(earlier ? { earlierVersion: { submittedAt: new Date(earlier.at).toISOString() } } : {}),
      };
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
      return {
        status: report.alteredCount || breaks ? 'altered' : 'ok',
        altered: report.alteredCount,
        chainBreaks: breaks,
        checkedAt: report.finishedAt,
      };
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
          getService(strapi, 'metrics').integrityRunFailed();
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
