import { createHash } from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { once } from 'events';
import archiver from 'archiver';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { FIELD_STAFF_ROLE, UID } from '../constants';
import { conflict } from '../errors';
import type { AuditActor } from '../utils/audit-chain';
import { getService } from '../utils/get-service';
import { jobKey } from '../utils/job-files';
import { EvidenceMissingError } from '../utils/evidence-backends';
import {
  columnsFor,
  csvCell,
  definitionFor,
  repeatRowsFor,
  repeatTablesFor,
  rowFor,
  type Cell,
  type ExportProfile,
  type RecordForRow,
  type RepeatTable,
} from '../utils/table-rows';
import type { FormDefinition } from '../../../shared/contracts/form';
import { formLanguages, localiseDefinition } from '../../../shared/i18n/form-language';
import { photoSlots } from '../../../shared/photo-slots';
import type { JobContext, JobRow } from './jobs';

export const DATA_EXPORT_FORMATS = ['csv', 'xlsx', 'zip'] as const;
export type DataExportFormat = (typeof DATA_EXPORT_FORMATS)[number];

export interface DataExportOptions {
  form: string;
  format: DataExportFormat;
  /** One form version (its number); all versions when absent (columns of the newest). */
  version?: number;
  status?: string;
  from?: string;
  to?: string;
  /** Field staff (users-permissions user id) whose records to export. */
  owner?: number;
  header?: 'key' | 'label';
  /** The language of the labels (header: 'label'); one of the form's, default its default language. */
  language?: string;
  bom?: boolean;
  /** 'no-personal' leaves out the fields marked personal, the photos and the signatures. Default 'all'. */
  profile?: ExportProfile;
}

interface Payload extends DataExportOptions {
  actor: AuditActor;
  definition: FormDefinition;
}

type MediaFile = { id: number; sha256?: string | null; storageKey: string; mime?: string | null; redactedAt?: string | null };
type StoredRecord = Omit<RecordForRow, 'photos' | 'signatures'> & {
  id: number;
  documentId: string;
  photos?: { side: string; sha256?: string | null; file?: MediaFile | null }[];
  signatures?: { slot: string; sha256?: string | null; file?: MediaFile | null }[];
};

/** One file of a ZIP export as manifest.json lists it. */
export interface ManifestFile {
  path: string;
  sha256: string;
  bytes: number;
  kind: 'table' | 'photo' | 'signature';
  reference?: string;
  slot?: string;
}

/** Evidence a ZIP export could not hold as recorded. */
export interface ManifestProblem {
  reference: string;
  kind: 'photo' | 'signature';
  slot: string;
  /** redacted: deleted for data protection; missing: the bytes are gone; altered: the bytes differ from their recorded hash. */
  problem: 'redacted' | 'missing' | 'altered';
  recordedSha256: string | null;
}

const BATCH = 200;
/** Evidence links in an export are signed for 7 days (the export is a document handed on; see docs/exports.md). */
const LINK_TTL = 7 * 24 * 3600;
const MIME: Record<DataExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  zip: 'application/zip',
};
export const resultName = (format: DataExportFormat) => `export.${format}`;
const EXTENSIONS: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };
const extensionOf = (mime: string | null | undefined) => EXTENSIONS[mime ?? ''] ?? 'bin';
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const hashFile = async (file: string) => {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
};
/** A date-only `to` means the whole day. */
const endOf = (to: string) => (/^\d{4}-\d{2}-\d{2}$/.test(to) ? `${to}T23:59:59.999Z` : to);
/** A table file name from a repeat's key (the job files' and ZIP's naming rule: lowercase, digits, "-" and "."). */
const tableFile = (key: string) => `${key.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.csv`;

/** A CSV file written row by row with backpressure: RFC 4180 (CRLF, quoting where needed), cells as csvCell makes them. */
const csvFile = (file: string, bom: boolean) => {
  const out = fs.createWriteStream(file);
  const finished = once(out, 'close');
  finished.catch(() => undefined);
  const csv = stringify({ bom, record_delimiter: 'windows', quoted_match: /[\r\n"]/ });
  csv.pipe(out);
  return {
    async put(cells: Cell[]) {
      if (!csv.write(cells.map(csvCell))) await once(csv, 'drain');
    },
    async close() {
      csv.end();
      await finished;
    },
  };
};

/**
 * A form's records as a CSV table, an XLSX workbook or a ZIP with the tables, the photos and signatures as files
 * and a manifest of every file's SHA-256 — as a background job (services/jobs.ts, kind 'data-export'): records read
 * in batches (keyset on id), each row flattened by utils/table-rows.ts and streamed to a temporary file, which is
 * stored in the private job storage. Memory stays flat whatever the number of records (one photo at a time).
 */
const dataExportService = ({ strapi }: { strapi: Core.Strapi }) => {
  const jobs = () => getService(strapi, 'jobs');

  const where = (p: DataExportOptions, versionId: number | null, after: number) => {
    const w: Record<string, unknown> = { formSlug: p.form, id: { $gt: after } };
    if (versionId !== null) w.formVersion = { id: versionId };
    if (p.status) w.state = p.status;
    if (p.owner) w.owner = { id: p.owner };
    if (p.from || p.to) w.createdAt = { ...(p.from ? { $gte: p.from } : {}), ...(p.to ? { $lte: endOf(p.to) } : {}) };
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

  const FILE = { select: ['id', 'sha256', 'storageKey', 'mime', 'redactedAt'] };

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
          photos: { select: ['side', 'sha256', 'qualityFlags'], populate: { file: FILE } },
          signatures: { select: ['slot', 'sha256'], populate: { file: FILE } },
        },
      })) as StoredRecord[];
      if (!batch.length) return;
      yield batch;
      after = batch[batch.length - 1].id;
      // A turn for the event loop between batches: with SQLite (synchronous) and the XLSX writer (which never waits
      // for its output) nothing else would run until the export ends — requests stalled for seconds, and the
      // writer's buffers grew instead of flushing (bench/data-export.ts found both).
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  const write = async (ctx: JobContext, p: Payload, file: string) => {
    const store = getService(strapi, 'evidence-store');
    const versionId = p.version ? (await versionOf(p.form, p.version)).id : null;
    // What the export tabulates (the profile) and in which language its labels are (the data never changes).
    const definition = definitionFor(p.definition, p.profile ?? 'all');
    const labelled = localiseDefinition(definition, p.language ?? null);
    const headerOf = (columns: { key: string; label: string }[]) => columns.map((c) => (p.header === 'label' ? c.label : c.key));
    const header = headerOf(columnsFor(labelled));
    const repeats = repeatTablesFor(definition).map((table, i) => ({ table, header: headerOf(repeatTablesFor(labelled)[i].columns) }));
    let done = 0;
    const step = async (batch: StoredRecord[]) => {
      done += batch.length;
      await ctx.progress({ done, failed: [] });
    };
    const fileOf = (r: StoredRecord, kind: 'photo' | 'signature', slot: string) =>
      kind === 'photo' ? r.photos?.find((ph) => ph.side === slot)?.file : r.signatures?.find((s) => s.slot === slot)?.file;
    const signedLinks = (r: StoredRecord) => (kind: 'photo' | 'signature', _ref: string, slot: string) => {
      const f = fileOf(r, kind, slot);
      return f && !f.redactedAt ? store.signedUrl(f.id, LINK_TTL) : null;
    };

    if (p.format === 'csv') {
      const csv = csvFile(file, p.bom === true);
      await csv.put(header);
      for await (const batch of records(p, versionId, ctx.signal)) {
        for (const r of batch) await csv.put(rowFor(definition, r, signedLinks(r)));
        await step(batch);
      }
      await csv.close();
      return done;
    }

    if (p.format === 'zip') {
      await writeZip(ctx, p, file, { definition, header, repeats, versionId, step });
      return done;
    }

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
    const sheet = book.addWorksheet(sheetName(labelled.name || 'Records'));
    sheet.addRow(header).commit();
    for await (const batch of records(p, versionId, ctx.signal)) {
      for (const r of batch) addRow(sheet, rowFor(definition, r, signedLinks(r)));
      await step(batch);
    }
    sheet.commit();
    // Each repeat in a sheet of its own, one row per entry, joined to the records by reference (a second pass: the
    // streaming writer finishes one sheet before the next, so memory stays flat).
    for (const [i, { table, header: names }] of repeats.entries()) {
      const entries = book.addWorksheet(sheetName(repeatTablesFor(labelled)[i].repeat.label));
      entries.addRow(names).commit();
      for await (const batch of records(p, versionId, ctx.signal))
        for (const r of batch) for (const cells of repeatRowsFor(definition, table, r)) addRow(entries, cells);
      entries.commit();
    }
    await book.commit();
    return done;
  };

  /**
   * The ZIP: `<reference>/<slot>.<ext>` for each photo and `<reference>/signature-<key>.<ext>` for each signature
   * (streamed into the archive one at a time, during the one pass over the records), then records.csv and one CSV per
   * repeat (written beside it meanwhile; their link columns name the files in the package), manifest.json (every
   * file's SHA-256 and size, and what could not be packed as recorded) and SHA256SUMS for `sha256sum -c`.
   */
  const writeZip = async (
    ctx: JobContext,
    p: Payload,
    file: string,
    plan: {
      definition: FormDefinition;
      header: string[];
      repeats: { table: RepeatTable; header: string[] }[];
      versionId: number | null;
      step: (batch: StoredRecord[]) => Promise<void>;
    }
  ) => {
    const store = getService(strapi, 'evidence-store');
    const dir = path.dirname(file);
    const out = fs.createWriteStream(file);
    // Stored, not deflated: the photos are JPEGs already; the tables are small next to them.
    const zip = archiver('zip', { store: true });
    const finished = new Promise<void>((resolve, reject) => {
      out.on('close', resolve);
      out.on('error', reject);
      zip.on('error', reject);
    });
    finished.catch(() => undefined);
    zip.pipe(out);
    const add = async (body: Buffer | fs.ReadStream, name: string) => {
      const entered = once(zip, 'entry');
      zip.append(body, { name });
      await entered;
    };
    const files: ManifestFile[] = [];
    const problems: ManifestProblem[] = [];
    const tables = [
      { name: 'records.csv', csv: csvFile(path.join(dir, 'records.csv'), p.bom === true) },
      ...plan.repeats.map(({ table }) => ({
        name: tableFile(table.repeat.key),
        csv: csvFile(path.join(dir, `repeat-${tableFile(table.repeat.key)}`), p.bom === true),
      })),
    ];
    await tables[0].csv.put(plan.header);
    for (const [i, { header }] of plan.repeats.entries()) await tables[i + 1].csv.put(header);
    let count = 0;

    const pack = async (reference: string, kind: 'photo' | 'signature', slot: string, f: MediaFile | null | undefined) => {
      if (!f) return null;
      const recorded = f.sha256 ?? null;
      if (f.redactedAt) {
        problems.push({ reference, kind, slot, problem: 'redacted', recordedSha256: recorded });
        return null;
      }
      let bytes: Buffer;
      try {
        bytes = await store.read(f);
      } catch (err) {
        if (!(err instanceof EvidenceMissingError)) throw err;
        problems.push({ reference, kind, slot, problem: 'missing', recordedSha256: recorded });
        return null;
      }
      const name = `${reference}/${kind === 'photo' ? slot : `signature-${slot}`}.${extensionOf(f.mime)}`;
      const hash = sha256(bytes);
      // What is stored now goes in the package, and the manifest says when it is not what EAS recorded.
      if (recorded && hash !== recorded) problems.push({ reference, kind, slot, problem: 'altered', recordedSha256: recorded });
      await add(bytes, name);
      files.push({ path: name, sha256: hash, bytes: bytes.length, kind, reference, slot });
      return name;
    };

    for await (const batch of records(p, plan.versionId, ctx.signal)) {
      for (const r of batch) {
        const reference = r.reference ?? r.documentId;
        const packed = new Map<string, string | null>();
        for (const slot of photoSlots(plan.definition)) {
          const ph = r.photos?.find((x) => x.side === slot.side);
          packed.set(`photo:${slot.side}`, await pack(reference, 'photo', slot.side, ph?.file));
        }
        for (const s of plan.definition.signatures) {
          const sig = r.signatures?.find((x) => x.slot === s.key);
          packed.set(`signature:${s.key}`, await pack(reference, 'signature', s.key, sig?.file));
        }
        await tables[0].csv.put(rowFor(plan.definition, r, (kind, _ref, slot) => packed.get(`${kind}:${slot}`) ?? null));
        for (const [i, { table }] of plan.repeats.entries())
          for (const cells of repeatRowsFor(plan.definition, table, r)) await tables[i + 1].csv.put(cells);
      }
      count += batch.length;
      await plan.step(batch);
    }
    for (const t of tables) {
      await t.csv.close();
      const source = t.name === 'records.csv' ? path.join(dir, 'records.csv') : path.join(dir, `repeat-${t.name}`);
      const stat = await fs.promises.stat(source);
      files.push({ path: t.name, sha256: await hashFile(source), bytes: stat.size, kind: 'table' });
      await add(fs.createReadStream(source), t.name);
    }
    const manifest = {
      format: 'eas-export/1',
      createdAt: new Date().toISOString(),
      form: { key: p.form, name: p.definition.name, version: p.version ?? null },
      selection: selectionOf(p),
      profile: p.profile ?? 'all',
      records: count,
      files,
      problems,
    };
    await add(Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), 'manifest.json');
    await add(Buffer.from(files.map((f) => `${f.sha256}  ${f.path}\n`).join('')), 'SHA256SUMS');
    await zip.finalize();
    await finished;
  };

  /** The choices that made an export, as the audit entry and the manifest record them. */
  const selectionOf = (p: DataExportOptions) => {
    const { form, format, version, status, from, to, owner, header, language, bom, profile } = p;
    return Object.fromEntries(
      Object.entries({ form, format, version, status, from, to, owner, header, language, bom, profile }).filter(([, v]) => v !== undefined)
    );
  };

  const ownJob = async (id: string, ownerId: number): Promise<JobRow> => {
    const job = await jobs().find('data-export', id, ownerId);
    if (!job) throw new errors.NotFoundError('No such export');
    return job;
  };

  const summary = (job: JobRow) => {
    const p = job.payload as Payload;
    return {
      id: job.key,
      status: jobs().publicStatus(job),
      total: job.total,
      done: job.done,
      error: job.error ?? null,
      format: p.format,
      form: p.form,
      profile: p.profile ?? 'all',
      createdAt: new Date(job.createdAt).toISOString(),
    };
  };

  return {
    /** Starts a CSV / XLSX / ZIP export of a form's records: { id, total } (total = records matching now). */
    async start(actor: AuditActor & { id: number }, options: DataExportOptions) {
      const version = await versionOf(options.form, options.version);
      const languages = formLanguages(version.definition);
      if (options.language && !languages.includes(options.language)) {
        throw new errors.ValidationError(
          `language: the form has no texts in "${options.language}" (${languages.length ? `it has ${languages.join(', ')}` : 'it declares no languages'})`
        );
      }
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
        details: { id: job.key, format: options.format, total, selection: selectionOf(options) },
      });
      return { id: job.key, total, format: options.format };
    },

    async progress(id: string, ownerId: number) {
      return summary(await ownJob(id, ownerId));
    },

    /**
     * The field staff an export can be limited to (the Field staff role's accounts, blocked ones too: their records
     * stay): id and username only, which an exporter sees on every record anyway.
     */
    async fieldStaff() {
      return (await strapi.db.query(UID.user).findMany({
        where: { role: { type: FIELD_STAFF_ROLE.type } },
        select: ['id', 'username'],
        orderBy: { username: 'asc' },
        limit: 5000,
      })) as { id: number; username: string }[];
    },

    /** The admin's own exports that have not expired, newest first (another admin's are never listed). */
    async list(ownerId: number) {
      return (await jobs().list('data-export', ownerId)).map(summary);
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
