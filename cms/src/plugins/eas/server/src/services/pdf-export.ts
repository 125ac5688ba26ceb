import { randomUUID } from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';
import archiver from 'archiver';
import puppeteer from 'puppeteer-core';
import QRCode from 'qrcode';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { EasConfig } from '../config';
import { UID } from '../constants';
import { CHROMIUM_ARGS, resolveChromium } from '../utils/chromium';
import { EVENTS } from '../../../shared/events';
import { emitEvent } from '../utils/emit-event';
import { getService } from '../utils/get-service';
import { footerTemplate, renderRecordHtml, type PdfRecordInput } from '../utils/pdf-html';
import { displayValue } from './review';
import { setPdfMetadata } from '../utils/pdf-metadata';
import { createPdfPool, type PdfPool } from '../utils/pdf-pool';
import type { AuditActor } from '../utils/audit-chain';
import type { FileRef, RecordRow } from '../utils/record-view';

export interface ExportJob {
  id: string;
  ownerId: number;
  status: 'running' | 'done' | 'failed';
  total: number;
  done: number;
  failed: { reference: string; error: string }[];
  file: string;
  createdAt: number;
  error?: string;
}

const JOB_TTL_MS = 60 * 60 * 1000;

/**
 * Evidence PDFs: HTML from the record's own content (labels from its form version, images as data: URLs read from
 * storage, a QR code of the verify URL), printed by the pooled Chromium, with document metadata set. Bulk exports
 * run as background jobs that stream PDFs into a ZIP file and report progress.
 */
const pdfExportService = ({ strapi }: { strapi: Core.Strapi }) => {
  const config = strapi.config.get('plugin::eas') as EasConfig;
  let pool: PdfPool | null = null;
  const jobs = new Map<string, ExportJob>();
  const workDir = path.join(os.tmpdir(), `eas-exports-${process.pid}`);

  const getPool = () =>
    (pool ??= createPdfPool({
      launch: async () => {
        const chromium = await resolveChromium();
        return puppeteer.launch({ executablePath: chromium.path, headless: true, args: CHROMIUM_ARGS });
      },
      concurrency: config.pdf.concurrency,
      timeoutMs: config.pdf.timeoutSeconds * 1000,
      recycleAfter: config.pdf.recycleAfter,
      onBlockedRequest: (url) => strapi.log.warn(`[eas] PDF rendering blocked a request to ${url.slice(0, 120)}`),
    }));

  const publicOrigin = () =>
    (config.publicUrl || (strapi.config.get('server.absoluteUrl') as string) || 'http://127.0.0.1:1337').replace(/\/+$/, '');

  const dataUrl = async (file: FileRef | null, mime: string) =>
    file && !file.redactedAt ? `data:${mime};base64,${(await getService(strapi, 'evidence-store').read(file)).toString('base64')}` : '';

  const inputFor = async (row: RecordRow): Promise<PdfRecordInput> => {
    const definition = row.formVersion.definition;
    const view = getService(strapi, 'record').view(row);
    const check = await getService(strapi, 'integrity').check(row);
    const altered = check.status === 'altered';
    // An altered record's PDF says so and carries no verify link: its recorded hash no longer describes it.
    const verifyUrl = row.integrityHash && !altered ? `${publicOrigin()}/verify/${row.reference}?hash=${row.integrityHash}` : null;
    const data = row.data ?? {};
    return {
      title: definition.pdf?.title || definition.name,
      form: { name: definition.name, version: row.formVersion.version },
      reference: row.reference,
      status: row.state,
      owner: row.capturedBy ?? row.owner?.username ?? null,
      capturedAt: row.capturedAt ? new Date(row.capturedAt).toISOString() : null,
      submittedAt: row.submittedAt ? new Date(row.submittedAt).toISOString() : null,
      reviewedAt: row.reviewedAt ? new Date(row.reviewedAt).toISOString() : null,
      reviewComment: row.reviewComment,
      location: row.location,
      fields: definition.fields.filter((f) => data[f.key] !== undefined).map((f) => ({ label: f.label, display: displayValue(f, data[f.key]) })),
      photos: await Promise.all(
        [...row.photos]
          .sort((a, b) => (a.side === 'front' ? -1 : 1) - (b.side === 'front' ? -1 : 1))
          .map(async (p) => ({
            label: definition.photos.find((d) => d.side === p.side)?.label ?? p.side,
            dataUrl: await dataUrl(p.file, 'image/jpeg'),
            redacted: Boolean(p.file?.redactedAt),
            takenAt: p.metadata?.takenAt ?? null,
            sha256: p.sha256,
          }))
      ),
      signatures: await Promise.all(
        row.signatures.map(async (s) => ({
          role: s.role ?? s.slot,
          signerName: s.signerName ?? '',
          signedAt: s.signedAt ? new Date(s.signedAt).toISOString() : null,
          consentText: definition.signatures.find((d) => d.key === s.slot)?.consentText ?? '',
          sha256: s.sha256,
          contentHash: s.contentHash ?? null,
          bound: view.signatures.find((v) => v.slot === s.slot)?.bound ?? false,
          redacted: Boolean(s.file?.redactedAt),
          dataUrl: await dataUrl(s.file, 'image/png'),
        }))
      ),
      integrityHash: row.integrityHash,
      integrity: { status: check.status, altered: [...new Set(check.findings.map((f) => f.part))], computedHash: check.computedHash },
      redactedAt: row.redactedAt ? new Date(row.redactedAt).toISOString() : null,
      verifyUrl,
      qrSvg: verifyUrl ? await QRCode.toString(verifyUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 }) : null,
      footerText: definition.pdf?.footerText ?? null,
      generatedAt: new Date().toISOString(),
    };
  };

  const renderRow = async (row: RecordRow, actor: AuditActor, via: 'admin' | 'receipt' | 'bulk'): Promise<Buffer> => {
    const input = await inputFor(row);
    const pdf = await getService(strapi, 'metrics').timePdfRender(via, () => getPool().render(renderRecordHtml(input), {
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate: footerTemplate(input.footerText, input.reference),
      margin: { top: '16mm', bottom: '18mm', left: '0', right: '0' },
    }));
    await getService(strapi, 'audit').append({
      action: 'record.exported',
      actor,
      record: row,
      details: { format: 'pdf', via, integrityHash: row.integrityHash, integrity: input.integrity.status },
    });
    return setPdfMetadata(pdf, {
      title: `${input.title} — ${input.reference}`,
      subject: `Evidence record ${input.reference} (${input.form.name}, version ${input.form.version}); integrity ${input.integrityHash ?? 'n/a'}`,
      author: input.owner ?? 'EAS',
      keywords: [input.reference, input.form.name, input.status],
      created: new Date(input.generatedAt),
    });
  };

  const findRow = async (where: Record<string, unknown>) => {
    const row = await getService(strapi, 'record').findRow(where);
    if (!row) throw new errors.NotFoundError('No such record');
    return row;
  };

  const sweep = () => {
    for (const [id, job] of jobs) {
      if (Date.now() - job.createdAt > JOB_TTL_MS) {
        fs.rmSync(job.file, { force: true });
        jobs.delete(id);
      }
    }
  };

  const progress = (job: ExportJob) =>
    emitEvent(strapi, EVENTS.exportProgress, { id: job.id, ownerId: job.ownerId, status: job.status, done: job.done, total: job.total });

  const runJob = async (job: ExportJob, documentIds: string[], actor: AuditActor) => {
    fs.mkdirSync(workDir, { recursive: true });
    const out = fs.createWriteStream(job.file);
    const zip = archiver('zip', { zlib: { level: 1 } }); // PDFs are already compressed
    const finished = new Promise<void>((resolve, reject) => {
      out.on('close', resolve);
      zip.on('error', reject);
    });
    zip.pipe(out);
    const names = new Set<string>();
    // Keep the pool busy without holding more than a few PDFs in memory.
    let next = 0;
    const worker = async () => {
      while (next < documentIds.length) {
        const documentId = documentIds[next++];
        let reference = documentId;
        try {
          const row = await findRow({ documentId });
          reference = row.reference;
          const pdf = await renderRow(row, actor, 'bulk');
          let name = `${row.reference}.pdf`;
          for (let i = 2; names.has(name); i++) name = `${row.reference}-${i}.pdf`;
          names.add(name);
          zip.append(pdf, { name });
        } catch (err) {
          job.failed.push({ reference, error: (err as Error).message });
        }
        job.done++;
        progress(job);
      }
    };
    await Promise.all(Array.from({ length: Math.min(config.pdf.concurrency, documentIds.length) || 1 }, worker));
    if (job.failed.length) zip.append(job.failed.map((f) => `${f.reference}: ${f.error}`).join('\n'), { name: 'errors.txt' });
    await zip.finalize();
    await finished;
  };

  return {
    /** One record as a PDF: { filename, buffer }. Field staff may only ask for their own, once submitted. */
    async renderRecord(where: Record<string, unknown>, actor: AuditActor, via: 'admin' | 'receipt'): Promise<{ filename: string; buffer: Buffer; row: RecordRow }> {
      const row = await findRow(where);
      return { filename: `${row.reference}.pdf`, buffer: await renderRow(row, actor, via), row };
    },

    /** Starts a bulk export of the given records (or those matching status/form) as a ZIP; returns the job. */
    async startBulk(actor: AuditActor & { id: number }, selection: { documentIds?: string[]; status?: string; form?: string }): Promise<ExportJob> {
      const ownerId = actor.id;
      sweep();
      let documentIds = selection.documentIds ?? [];
      if (!documentIds.length) {
        const where: Record<string, unknown> = {};
        if (selection.status) where.state = selection.status;
        if (selection.form) where.formSlug = selection.form;
        const rows: { documentId: string }[] = await strapi.db.query(UID.record).findMany({ where, select: ['documentId'], orderBy: { id: 'asc' }, limit: 5000 });
        documentIds = rows.map((r) => r.documentId);
      }
      if (!documentIds.length) throw new errors.ValidationError('No records to export: the selection is empty');
      const job: ExportJob = {
        id: randomUUID(),
        ownerId,
        status: 'running',
        total: documentIds.length,
        done: 0,
        failed: [],
        file: path.join(workDir, `${randomUUID()}.zip`),
        createdAt: Date.now(),
      };
      jobs.set(job.id, job);
      await getService(strapi, 'audit').append({ action: 'export.started', actor, details: { id: job.id, format: 'pdf-zip', total: job.total, selection: { ...selection, documentIds: selection.documentIds?.length } } });
      runJob(job, documentIds, actor).then(
        () => {
          job.status = 'done';
          progress(job);
        },
        (err: Error) => {
          job.status = 'failed';
          job.error = err.message;
          progress(job);
          strapi.log.error(`[eas] export ${job.id} failed: ${err.message}`);
        }
      );
      return job;
    },

    /** A job of this admin user (others' jobs are invisible). */
    job(id: string, ownerId: number): ExportJob {
      const job = jobs.get(id);
      if (!job || job.ownerId !== ownerId) throw new errors.NotFoundError('No such export');
      return job;
    },

    pool: () => getPool(),

    /** Bulk exports this instance is running (eas_job_queue_jobs{queue="pdf-export"}, services/metrics.ts). */
    runningExports: () => [...jobs.values()].filter((job) => job.status === 'running').length,

    async destroy() {
      await pool?.close();
      pool = null;
      fs.rmSync(workDir, { recursive: true, force: true });
    },
  };
};

export default pdfExportService;
