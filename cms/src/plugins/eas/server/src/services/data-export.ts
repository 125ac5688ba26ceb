import fs from 'fs';
import os from 'os';
import path from 'path';
import { once } from 'events';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { UID } from '../constants';
import { conflict } from '../errors';
import type { AuditActor } from '../utils/audit-chain';
import { getService } from '../utils/get-service';
import { jobKey } from '../utils/job-files';
import { columnsFor, csvCell, repeatRowsFor, repeatTablesFor, rowFor, type Cell, type RecordForRow } from '../utils/table-rows';
import type { FormDefinition } from '../../../shared/contracts/form';
import type { JobContext, JobRow } from './jobs';

export interface DataExportOptions {
  form: string;
  format: 'csv' | 'xlsx';
  /** One form version (its number); all versions when absent (columns of the newest). */
  version?: number;
  status?: string;
  from?: string;
  to?: string;
  /** Field staff (users-permissions user id) whose records to export. */
  owner?: number;
  header?: 'key' | 'label';
  bom?: boolean;
}

interface Payload extends DataExportOptions {
  actor: AuditActor;
  definition: FormDefinition;
}

type StoredRecord = RecordForRow & {
  id: number;
  photos?: { side: string; sha256?: string | null; file?: { id: number } | null }[];
  signatures?: { slot: string; sha256?: string | null; file?: { id: number } | null }[];
};

const BATCH = 200;
/** Evidence links in an export are signed for 7 days (the export is a document handed on; see docs/exports.md). */
const LINK_TTL = 7 * 24 * 3600;
const MIME = { csv: 'text/csv; charset=utf-8', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };
export const resultName = (format: 'csv' | 'xlsx') => `export.${format}`;

/**
 * A form's records as one CSV or XLSX table, as a background job (services/jobs.ts, kind 'data-export'): records
 * read in batches (keyset on id), each row flattened by utils/table-rows.ts and streamed to a temporary file, which
 * is stored in the private job storage. Memory stays flat whatever the number of records.
 */
const dataExportService = ({ strapi }: { strapi: Core.Strapi }) => {
  const jobs = () => getService(strapi, 'jobs');

  const where = (p: DataExportOptions, versionId: number | null, after: number) => {
    const w: Record<string, unknown> = { formSlug: p.form, id: { $gt: after } };
    if (versionId !== null) w.formVersion = { id: versionId };
    if (p.status) w.state = p.status;
    if (p.owner) w.owner = { id: p.owner };
    if (p.from || p.to) w.createdAt = { ...(p.from ? { $gte: p.from } : {}), ...(p.to ? { $lte: p.to } : {}) };
    return w;
  };

  const versionOf = async (form: string, version?: number) => {
    const found = await strapi.db.query(UID.formVersion).findOne({
      where: version ? { slug: form, version } : { slug: form },
      orderBy: { version: 'desc' },
      select: ['id', 'version', 'definition'],
    });
    if (!found) throw new errors.ValidationError(version ? `form: ${form} has no version ${version}` : `form: no published form "${form}"`);
    return found as { id: number; version: number; definition: FormDefinition };
  };

  /** Yields the matching records, BATCH at a time, in id order. */
  async function* records(p: Payload, versionId: number | null, signal: AbortSignal) {
    let after = 0;
    for (;;) {
      if (signal.aborted) throw new Error('interrupted: this process is shutting down; the export starts again elsewhere');
      const batch = (await strapi.db.query(UID.record).findMany({
        where: where(p, versionId, after),
        orderBy: { id: 'asc' },
        limit: BATCH,
        populate: {
          owner: { select: ['username', 'email'] },
          photos: { select: ['side', 'sha256'], populate: { file: { select: ['id'] } } },
          signatures: { select: ['slot', 'sha256'], populate: { file: { select: ['id'] } } },
        },
      })) as StoredRecord[];
      if (!batch.length) return;
      yield batch;
      after = batch[batch.length - 1].id;
    }
  }

  const write = async (ctx: JobContext, p: Payload, file: string) => {
    const store = getService(strapi, 'evidence-store');
    const versionId = p.version ? (await versionOf(p.form, p.version)).id : null;
    const columns = columnsFor(p.definition);
    const header = columns.map((c) => (p.header === 'label' ? c.label : c.key));
    let done = 0;
    const rowsOf = (batch: StoredRecord[]): Cell[][] =>
      batch.map((r) => {
        const fileIds = new Map<string, number>();
        for (const ph of r.photos ?? []) if (ph.file?.id) fileIds.set(`photo:${ph.side}`, ph.file.id);
        for (const s of r.signatures ?? []) if (s.file?.id) fileIds.set(`signature:${s.slot}`, s.file.id);
        return rowFor(p.definition, r, (kind, _ref, slot) => {
          const id = fileIds.get(`${kind}:${slot}`);
          return id ? store.signedUrl(id, LINK_TTL) : null;
        });
      });
    if (p.format === 'csv') {
      const out = fs.createWriteStream(file);
      const finished = once(out, 'close');
      // RFC 4180: CRLF line ends, fields with quotes, commas or line breaks quoted, quotes doubled.
      const csv = stringify({ bom: p.bom === true, record_delimiter: 'windows', quoted_match: /[\r\n"]/ });
      csv.pipe(out);
      const put = async (row: string[]) => {
        if (!csv.write(row)) await once(csv, 'drain');
      };
      await put(header.map(csvCell));
      for await (const batch of records(p, versionId, ctx.signal)) {
        for (const row of rowsOf(batch)) await put(row.map(csvCell));
        done += batch.length;
        await ctx.progress({ done, failed: [] });
      }
      csv.end();
      await finished;
    } else {
      const book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false });
      const names = new Set<string>();
      /** Sheet names: at most 31 characters, unique, without the characters Excel refuses. */
      const sheetName = (wanted: string) => {
        const base =
          wanted
            .replace(/[[\]:*?/\\]/g, ' ')
            .trim()
            .slice(0, 31) || 'Sheet';
        let name = base;
        for (let n = 2; names.has(name.toLowerCase()); n++) name = `${base.slice(0, 31 - String(n).length - 1)} ${n}`;
        names.add(name.toLowerCase());
        return name;
      };
      const addRow = (sheet: ExcelJS.Worksheet, cells: Cell[]) => {
        // Strings are written as inline text cells, never as formulas: a "=…" answer stays text.
        const row = sheet.addRow(cells.map((c) => (c === null ? null : c)));
        cells.forEach((c, i) => {
          if (c instanceof Date) row.getCell(i + 1).numFmt = 'yyyy-mm-dd hh:mm:ss';
        });
        row.commit();
      };
      const sheet = book.addWorksheet(sheetName(p.definition.name || 'Records'));
      sheet.addRow(header).commit();
      for await (const batch of records(p, versionId, ctx.signal)) {
        for (const cells of rowsOf(batch)) addRow(sheet, cells);
        done += batch.length;
        await ctx.progress({ done, failed: [] });
      }
      sheet.commit();
      // Each repeat in a sheet of its own, one row per entry, joined to the records by reference (a second pass: the
      // streaming writer finishes one sheet before the next, so memory stays flat).
      for (const table of repeatTablesFor(p.definition)) {
        const entries = book.addWorksheet(sheetName(table.repeat.label));
        entries.addRow(table.columns.map((c) => (p.header === 'label' ? c.label : c.key))).commit();
        for await (const batch of records(p, versionId, ctx.signal))
          for (const r of batch) for (const cells of repeatRowsFor(p.definition, table, r)) addRow(entries, cells);
        entries.commit();
      }
      await book.commit();
    }
    return done;
  };

  const ownJob = async (id: string, ownerId: number): Promise<JobRow> => {
    const job = await jobs().find('data-export', id, ownerId);
    if (!job) throw new errors.NotFoundError('No such export');
    return job;
  };

  return {
    /** Starts a CSV/XLSX export of a form's records: { id, total } (total = records matching now). */
    async start(actor: AuditActor & { id: number }, options: DataExportOptions) {
      const version = await versionOf(options.form, options.version);
      const total = await strapi.db.query(UID.record).count({ where: where(options, options.version ? version.id : null, 0) });
      const payload: Payload = {
        ...options,
        definition: version.definition,
        actor: { kind: actor.kind, id: actor.id, name: actor.name ?? null },
      };
      const job = await jobs().create('data-export', { ownerId: actor.id, total, payload });
      await getService(strapi, 'audit').append({
        action: 'export.started',
        actor,
        details: { id: job.key, format: options.format, total, selection: { ...options } },
      });
      return { id: job.key, total, format: options.format };
    },

    async progress(id: string, ownerId: number) {
      const job = await ownJob(id, ownerId);
      return {
        id: job.key,
        status: jobs().publicStatus(job),
        total: job.total,
        done: job.done,
        error: job.error ?? null,
        format: (job.payload as Payload).format,
      };
    },

    async file(id: string, ownerId: number) {
      const job = await ownJob(id, ownerId);
      if (job.status !== 'done' || !job.resultKey) throw conflict(`The export is ${jobs().publicStatus(job)} (${job.done}/${job.total})`);
      const stored = await jobs().files.stream(job.resultKey);
      if (!stored) throw new errors.NotFoundError('No such export');
      const format = (job.payload as Payload).format;
      return { ...stored, format, mime: MIME[format], createdAt: new Date(job.createdAt) };
    },

    /** The job handler: writes the whole table again on each try (a table is cheap next to PDFs). */
    async run(ctx: JobContext) {
      const p = ctx.job.payload as Payload;
      const tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'eas-data-export-'));
      try {
        const file = path.join(tmp, resultName(p.format));
        const done = await write(ctx, p, file);
        if (done !== ctx.job.total) await ctx.progress({ done, failed: [] });
        const resultKey = jobKey(ctx.job.key, resultName(p.format));
        const resultBytes = await ctx.files.putFile(resultKey, file, MIME[p.format]);
        return { resultKey, resultBytes };
      } finally {
        await fs.promises.rm(tmp, { recursive: true, force: true });
      }
    },
  };
};

export default dataExportService;
