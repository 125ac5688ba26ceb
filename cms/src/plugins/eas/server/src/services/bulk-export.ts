import { once } from 'events';
import fs from 'fs';
import os from 'os';
import path from 'path';
import archiver from 'archiver';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { UID } from '../constants';
import { conflict } from '../errors';
import type { AuditActor } from '../utils/audit-chain';
import { ChromiumNotFoundError } from '../utils/chromium';
import { entryNames, errorsText, partName, remainingPositions, RESULT_NAME, storedPositions } from '../utils/export-plan';
import { getService } from '../utils/get-service';
import { jobKey } from '../utils/job-files';
import type { JobContext, JobFailure, JobRow } from './jobs';

interface ExportPayload {
  documentIds: string[];
  actor: AuditActor;
}

export interface ExportProgress {
  id: string;
  status: 'running' | 'done' | 'failed';
  total: number;
  done: number;
  failed: { reference: string; error: string }[];
  error: string | null;
}

const interrupted = () => new Error('interrupted: this process is shutting down; the export resumes from the records not yet done');

/**
 * Bulk PDF exports as background jobs (services/jobs.ts), so that any instance can start, follow and serve one and
 * a crash loses nothing: each record's PDF is stored as a part in the private job storage before it counts as done;
 * a job taken up again renders only what is missing; the ZIP is assembled from the parts at the end, stored, and
 * streamed to its owner by whichever instance is asked. Records that fail are listed in errors.txt.
 */
const bulkExportService = ({ strapi }: { strapi: Core.Strapi }) => {
  const jobs = () => getService(strapi, 'jobs');

  const ownJob = async (id: string, ownerId: number): Promise<JobRow> => {
    const job = await jobs().find('pdf-export', id, ownerId);
    if (!job) throw new errors.NotFoundError('No such export');
    return job;
  };

  /** documentId → reference for the selection (read once; a record deleted meanwhile fails on its own). */
  const referencesOf = async (documentIds: string[]) => {
    const map = new Map<string, string>();
    for (let i = 0; i < documentIds.length; i += 500) {
      const found: { documentId: string; reference: string }[] = await strapi.db
        .query(UID.record)
        .findMany({ where: { documentId: { $in: documentIds.slice(i, i + 500) } }, select: ['documentId', 'reference'] });
      for (const r of found) map.set(r.documentId, r.reference);
    }
    return map;
  };

  /** Renders the positions not done yet, storing each PDF as a part; returns the positions stored and the failures. */
  const renderMissing = async (ctx: JobContext, payload: ExportPayload, references: Map<string, string>) => {
    const { job, files, signal } = ctx;
    const stored = storedPositions(await files.list(job.key), job.total);
    const failed: JobFailure[] = [...(job.failed ?? [])];
    const todo = remainingPositions(job.total, stored, failed);
    let done = stored.size + failed.length;
    if (done !== job.done) await ctx.progress({ done, failed });
    const concurrency = (strapi.config.get('plugin::eas') as { pdf: { concurrency: number } }).pdf.concurrency;
    let next = 0;
    const worker = async () => {
      while (next < todo.length) {
        if (signal.aborted) throw interrupted();
        const index = todo[next++];
        const documentId = payload.documentIds[index];
        let pdf: Buffer | null = null;
        try {
          pdf = (await getService(strapi, 'pdf-export').renderForExport(documentId, payload.actor)).pdf;
        } catch (err) {
          if (signal.aborted) throw interrupted();
          // No browser at all is the server's trouble, not this record's: the job is tried again, then fails.
          if (err instanceof ChromiumNotFoundError) throw err;
          failed.push({ index, reference: references.get(documentId) ?? documentId, error: (err as Error).message });
        }
        // A storage failure is not the record's either: thrown, so the job is retried and resumes here.
        if (pdf) {
          await files.put(jobKey(job.key, partName(index)), pdf, 'application/pdf');
          stored.add(index);
        }
        done++;
        await ctx.progress({ done, failed: [...failed] });
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, todo.length)) }, worker));
    return { stored, failed };
  };

  /** The ZIP from the stored parts, in selection order, with errors.txt; built in a temporary folder, then stored. */
  const assemble = async (
    ctx: JobContext,
    payload: ExportPayload,
    references: Map<string, string>,
    stored: Set<number>,
    failed: JobFailure[]
  ) => {
    const { job, files, signal } = ctx;
    const tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'eas-export-'));
    const file = path.join(tmp, RESULT_NAME);
    try {
      const out = fs.createWriteStream(file);
      // Stored, not deflated: PDFs are compressed already, and deflating them again costs CPU for a few per cent.
      const zip = archiver('zip', { store: true });
      const finished = new Promise<void>((resolve, reject) => {
        out.on('close', resolve);
        out.on('error', reject);
        zip.on('error', reject);
      });
      finished.catch(() => undefined);
      zip.pipe(out);
      const parts = [...stored].map((index) => ({
        index,
        reference: references.get(payload.documentIds[index]) ?? payload.documentIds[index],
      }));
      // One part in memory at a time.
      for (const { index, name } of entryNames(parts)) {
        if (signal.aborted) throw interrupted();
        const entered = once(zip, 'entry');
        zip.append(await files.get(jobKey(job.key, partName(index))), { name });
        await entered;
      }
      if (failed.length) zip.append(errorsText(failed), { name: 'errors.txt' });
      await zip.finalize();
      await finished;
      const resultKey = jobKey(job.key, RESULT_NAME);
      const resultBytes = await files.putFile(resultKey, file, 'application/zip');
      return { resultKey, resultBytes };
    } finally {
      await fs.promises.rm(tmp, { recursive: true, force: true });
    }
  };

  return {
    /** Starts a bulk export of the given records (or those matching status/form) as a ZIP: { id, total }. */
    async start(actor: AuditActor & { id: number }, selection: { documentIds?: string[]; status?: string; form?: string }) {
      let documentIds = selection.documentIds ?? [];
      if (!documentIds.length) {
        const where: Record<string, unknown> = {};
        if (selection.status) where.state = selection.status;
        if (selection.form) where.formSlug = selection.form;
        const rows: { documentId: string }[] = await strapi.db
          .query(UID.record)
          .findMany({ where, select: ['documentId'], orderBy: { id: 'asc' }, limit: 5000 });
        documentIds = rows.map((r) => r.documentId);
      }
      if (!documentIds.length) throw new errors.ValidationError('No records to export: the selection is empty');
      const payload: ExportPayload = { documentIds, actor: { kind: actor.kind, id: actor.id, name: actor.name ?? null } };
      const job = await jobs().create('pdf-export', { ownerId: actor.id, total: documentIds.length, payload });
      await getService(strapi, 'audit').append({
        action: 'export.started',
        actor,
        details: {
          id: job.key,
          format: 'pdf-zip',
          total: job.total,
          selection: { ...selection, documentIds: selection.documentIds?.length },
        },
      });
      return { id: job.key, total: job.total };
    },

    /** Progress of an export of this admin (others' exports are a 404). */
    async progress(id: string, ownerId: number): Promise<ExportProgress> {
      const job = await ownJob(id, ownerId);
      return {
        id: job.key,
        status: jobs().publicStatus(job),
        total: job.total,
        done: job.done,
        failed: (job.failed ?? []).map(({ reference, error }) => ({ reference, error })),
        error: job.error ?? null,
      };
    },

    /** The finished ZIP as a stream from the job storage (any instance serves it); 409 while it is not done. */
    async file(id: string, ownerId: number) {
      const job = await ownJob(id, ownerId);
      if (job.status !== 'done' || !job.resultKey) throw conflict(`The export is ${jobs().publicStatus(job)} (${job.done}/${job.total})`);
      const stored = await jobs().files.stream(job.resultKey);
      if (!stored) throw new errors.NotFoundError('No such export');
      return { ...stored, createdAt: new Date(job.createdAt) };
    },

    /** The job handler (services/jobs.ts calls it, on whichever process took the job; again after a crash). */
    async run(ctx: JobContext) {
      const payload = ctx.job.payload as ExportPayload;
      const references = await referencesOf(payload.documentIds);
      const { stored, failed } = await renderMissing(ctx, payload, references);
      if (stored.size + failed.length !== ctx.job.total) {
        throw new Error(`export ${ctx.job.key} is incomplete: ${stored.size} stored and ${failed.length} failed of ${ctx.job.total}`);
      }
      const result = await assemble(ctx, payload, references, stored, failed);
      // The parts go once the job is recorded done (until then a resumed try would need them).
      const cleanup = async () => {
        for (const index of stored) await ctx.files.remove(jobKey(ctx.job.key, partName(index))).catch(() => undefined);
      };
      return { ...result, cleanup };
    },
  };
};

export default bulkExportService;
