import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { IntegritySummary } from '../../../shared/contracts/dashboard';
import type { AlteredPart, IntegrityCheck, IntegrityFinding, VerifyRecord } from '../../../shared/contracts/record';
import { EVENTS } from '../../../shared/events';
import type { EasConfig } from '../config';
import { PLUGIN_ID, UID } from '../constants';
import type { ChainReport } from './audit';
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
const STORE_KEY = 'integrityReport';

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
  const checkFile = async (file: FileRef | null, expected: string | null): Promise<{ ok: boolean; missing: boolean; bytes: number }> => {
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

  const checkRow = async (row: RecordRow, { files = true } = {}): Promise<IntegrityCheck & { bytes: number }> => {
    const entries = await audit().ofRecord(row.id);
    const actual = partsOf(row);
    const expected = expectedParts(entries);
    const findings: IntegrityFinding[] = [];
    const add = (part: AlteredPart, problem: IntegrityFinding['problem']) => findings.push({ part, problem });
    let bytes = 0;
    let filesChecked = 0;

    if ((await audit().checkEntries(entries)).length) add('history', 'chain');
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
      const checks: [AlteredPart, FileRef | null, string | null][] = [
        ...row.photos.flatMap((p): [AlteredPart, FileRef | null, string | null][] => [
          [`photo:${p.side}`, p.file, p.sha256],
          [`photo:${p.side}`, p.thumbnail, null],
        ]),
        ...row.signatures.map((s): [AlteredPart, FileRef | null, string | null] => [`signature:${s.slot}`, s.file, s.sha256]),
      ];
      for (const [part, file, want] of checks) {
        const result = await checkFile(file, want);
        if (file && !file.redactedAt) filesChecked++;
        bytes += result.bytes;
        if (!result.ok && !findings.some((f) => f.part === part && (f.problem === 'file' || f.problem === 'missing'))) {
          add(part, result.missing ? 'missing' : 'file');
        }
      }
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
    let lastId = 0;
    for (;;) {
      const rows: RecordRow[] = await strapi.db.query(UID.record).findMany({ where: { id: { $gt: lastId } }, populate: POPULATE, orderBy: { id: 'asc' }, limit: BATCH });
      if (!rows.length) break;
      for (const row of rows) {
        const check = await checkRow(row);
        report.records++;
        report.files += check.filesChecked;
        report.bytes += check.bytes;
        if (check.status === 'unrecorded') report.unrecorded++;
        if (check.status === 'altered') {
          report.alteredCount++;
          if (report.altered.length < 200) report.altered.push({ reference: row.reference, documentId: row.documentId, findings: check.findings });
        }
      }
      lastId = rows[rows.length - 1].id;
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
