import puppeteer from 'puppeteer-core';
import QRCode from 'qrcode';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { EasConfig } from '../config';
import { CHROMIUM_ARGS, resolveChromium } from '../utils/chromium';
import { getService } from '../utils/get-service';
import { footerTemplate, renderRecordHtml, type PdfRecordInput } from '../utils/pdf-html';
import { recordLines } from '../../../shared/display';
import { localiseDefinition, pickFormLanguage } from '../../../shared/i18n/form-language';
import { photoSlot, photoSlots } from '../../../shared/photo-slots';
import { setPdfMetadata } from '../utils/pdf-metadata';
import { createPdfPool, type PdfPool } from '../utils/pdf-pool';
import { createPdfSealer, type PdfSealer } from '../utils/pdf-seal';
import { createSelfSignedCertificate, loadSealIdentity, pkcs12ToPem, type SealIdentity } from '../utils/seal-cert';
import type { AuditActor } from '../utils/audit-chain';
import type { FileRef, RecordRow } from '../utils/record-view';

/**
 * Evidence PDFs: HTML from the record's own content (labels from its form version, images as data: URLs read from
 * storage, a QR code of the verify URL), printed by the pooled Chromium, with document metadata set. Bulk exports
 * are background jobs (services/bulk-export.ts) that call renderForExport for each record.
 */
const pdfExportService = ({ strapi }: { strapi: Core.Strapi }) => {
  const config = strapi.config.get('plugin::eas') as EasConfig;
  let pool: PdfPool | null = null;
  let sealer: Promise<PdfSealer> | null = null;
  let identity: Promise<SealIdentity> | null = null;

  /** The sealing identity, made once: the configured key and chain, or (outside production) a self-signed one. */
  const getIdentity = () =>
    (identity ??= (async () => {
      const { key, cert, p12, p12Password } = config.seal;
      let pem = { keyPem: key, certPem: cert };
      if (p12) pem = await pkcs12ToPem(Buffer.from(p12, 'base64'), p12Password ?? '');
      else if (!key) {
        strapi.log.warn(
          '[eas] EAS_SEAL_KEY/EAS_SEAL_CERT are not set: evidence PDFs are sealed with a self-signed certificate made for this process (docs/sealing.md)'
        );
        pem = await createSelfSignedCertificate('EAS development seal');
      }
      return loadSealIdentity(pem.keyPem, pem.certPem);
    })());

  /** The PDF sealer with that identity and the configured TSA. */
  const getSealer = () =>
    (sealer ??= (async () => {
      const { tsaUrl, tsaTimeoutMs } = config.seal;
      return createPdfSealer(await getIdentity(), tsaUrl ? { url: tsaUrl, timeoutMs: tsaTimeoutMs } : null);
    })());

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

  const inputFor = async (row: RecordRow, lang: string | null): Promise<PdfRecordInput> => {
    // Labels in the language chosen at export (the form's default language otherwise); values never change.
    const definition = localiseDefinition(row.formVersion.definition, lang ? pickFormLanguage(row.formVersion.definition, [lang]) : null);
    // Photos in the form's order: front, back, then the photo fields.
    const order = photoSlots(definition).map((p) => p.side);
    const slotOrder = (side: string) => (order.indexOf(side) === -1 ? order.length : order.indexOf(side));
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
      fields: recordLines(definition, data).map((line) =>
        line.kind === 'heading'
          ? { heading: line.field.label }
          : line.kind === 'table'
            ? { table: { caption: line.field.label, columns: line.columns.map((c) => c.label), rows: line.rows } }
            : { label: line.field.label, display: line.text }
      ),
      photos: await Promise.all(
        [...row.photos]
          .sort((a, b) => slotOrder(a.side) - slotOrder(b.side))
          .map(async (p) => ({
            label: photoSlot(definition, p.side)?.label ?? p.side,
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
          // The text the signer read and signed (in the language they signed in).
          consentText: s.consentText ?? definition.signatures.find((d) => d.key === s.slot)?.consentText ?? '',
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

  const renderRow = async (
    row: RecordRow,
    actor: AuditActor,
    via: 'admin' | 'receipt' | 'bulk',
    lang: string | null = null
  ): Promise<Buffer> => {
    const input = await inputFor(row, lang);
    const pdf = await getService(strapi, 'metrics').timePdfRender(via, () =>
      getPool().render(renderRecordHtml(input), {
        displayHeaderFooter: true,
        headerTemplate: '<span></span>',
        footerTemplate: footerTemplate(input.footerText, input.reference),
        margin: { top: '16mm', bottom: '18mm', left: '0', right: '0' },
      })
    );
    const withMetadata = await setPdfMetadata(pdf, {
      title: `${input.title} — ${input.reference}`,
      subject: `Evidence record ${input.reference} (${input.form.name}, version ${input.form.version}); integrity ${input.integrityHash ?? 'n/a'}`,
      author: input.owner ?? 'EAS',
      keywords: [input.reference, input.form.name, input.status],
      created: new Date(input.generatedAt),
    });
    // Sealed before it counts as exported: a seal that fails (TSA down) hands out nothing.
    const seal = await getSealer();
    const sealed = await seal.seal(withMetadata, {
      reason: `EAS evidence record ${input.reference}`,
      signingTime: new Date(input.generatedAt),
    });
    await getService(strapi, 'audit').append({
      action: 'record.exported',
      actor,
      record: row,
      details: { format: 'pdf', via, integrityHash: row.integrityHash, integrity: input.integrity.status, seal: seal.level },
    });
    return sealed;
  };

  const findRow = async (where: Record<string, unknown>) => {
    const row = await getService(strapi, 'record').findRow(where);
    if (!row) throw new errors.NotFoundError('No such record');
    return row;
  };

  return {
    /** One record as a PDF: { filename, buffer }. Field staff may only ask for their own, once submitted. */
    async renderRecord(
      where: Record<string, unknown>,
      actor: AuditActor,
      via: 'admin' | 'receipt',
      lang: string | null = null
    ): Promise<{ filename: string; buffer: Buffer; row: RecordRow }> {
      const row = await findRow(where);
      return { filename: `${row.reference}.pdf`, buffer: await renderRow(row, actor, via, lang), row };
    },

    /** One record of a bulk export, by documentId: its reference and PDF (audited as exported "via bulk"). */
    async renderForExport(documentId: string, actor: AuditActor): Promise<{ reference: string; pdf: Buffer }> {
      const row = await findRow({ documentId });
      return { reference: row.reference, pdf: await renderRow(row, actor, 'bulk') };
    },

    pool: () => getPool(),

    /** SHA-256 of the certificate this instance seals with (the verify page tells our seal from anyone else's). */
    sealCertificateSha256: async () => (await getSealer()).certificateSha256,
    /** The EAS sealing identity (also signs the content credentials of stored photos). */
    sealIdentity: getIdentity,

    async destroy() {
      await pool?.close();
      pool = null;
    },
  };
};

export default pdfExportService;
