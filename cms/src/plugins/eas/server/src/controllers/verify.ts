import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';
import { pickLanguage } from '../../../shared/i18n/verify';
import { getService } from '../utils/get-service';
import { inspectPdf, isPdf, type PdfInspection } from '../utils/verify-pdf';
import { renderVerifyPage, type VerifyOutcome } from '../utils/verify-page';
import type { VerifyRecord } from '../../../shared/contracts/record';
import { referenceParam, verifyQuery } from './validation/evidence';
import { parse } from './validation/parse';
import { takeUpload } from './uploaded-file';

const HASH = /^[a-f0-9]{64}$/i;
const REFERENCE = /^EAS-\d{4}-\d{6,}$/;

/**
 * Does a document (its reference and integrity hash, from the PDF or its QR code) match the record as stored now?
 * The integrity check recomputes everything (utils/record-state.ts, services/integrity.ts). Nothing personal.
 * - GET /api/eas/verify/:reference?hash= — JSON.
 * - GET /verify/:reference?hash=[&lang=] — what the QR code opens: HTML for browsers (in the viewer's language),
 *   JSON for `Accept: application/json`.
 * - POST /verify (multipart field `pdf`) and POST /api/eas/verify/pdf — an uploaded PDF: is it sealed by this EAS
 *   and unchanged (utils/verify-pdf.ts), and does the record it names still match? The file is read, never kept.
 */
const MAX_PDF_BYTES = 25 * 1024 * 1024;

/** The uploaded PDF's bytes (field "pdf"), or 'not-pdf' when the file is something else. */
const takePdf = async (ctx: Context): Promise<Buffer | 'not-pdf'> => {
  const { buffer } = await takeUpload(ctx, 'pdf', 'one PDF file', MAX_PDF_BYTES);
  return isPdf(buffer) ? buffer : 'not-pdf';
};

const verifyController = ({ strapi }: { strapi: Core.Strapi }) => {
  const integrity = () => getService(strapi, 'integrity');
  const json = async (ctx: Context, query: unknown) => {
    const reference = parse(referenceParam, ctx.params.reference, 'path');
    const { hash } = parse(verifyQuery, query, 'query');
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Vary', 'Accept');
    ctx.body = { data: await integrity().verify(reference, hash.toLowerCase()) };
  };
  /** The seal of the PDF and, when it is this EAS's and names a record, that record's answer. */
  const checkPdf = async (pdf: Buffer): Promise<{ seal: PdfInspection; record: VerifyRecord.Response['data'] | null }> => {
    const seal = await inspectPdf(pdf, await getService(strapi, 'pdf-export').sealCertificateSha256());
    if (seal.seal !== 'valid' || !seal.reference || !seal.hash) return { seal, record: null };
    try {
      return { seal, record: await integrity().verify(seal.reference, seal.hash) };
    } catch (err) {
      if (err instanceof errors.NotFoundError) return { seal, record: null };
      throw err;
    }
  };

  /** POST /api/eas/verify/pdf: JSON. A file that is not a PDF is a 400 naming the field. */
  const pdfJson = async (ctx: Context) => {
    const pdf = await takePdf(ctx);
    if (pdf === 'not-pdf') throw new errors.ValidationError('pdf: the file is not a PDF (it must start with %PDF-)');
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { data: await checkPdf(pdf) };
  };

  const securePage = (ctx: Context, lang: string) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.set(
      'Content-Security-Policy',
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    );
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('Content-Language', lang);
    ctx.set('Vary', 'Accept, Accept-Language');
    ctx.type = 'text/html; charset=utf-8';
  };

  return {
    json: (ctx: Context) => json(ctx, ctx.query),

    pdfJson,

    /** POST /verify: the page again, with the PDF's answer (JSON for Accept: application/json). */
    async pdfPage(ctx: Context) {
      if (ctx.accepts('html', 'json') === 'json') return pdfJson(ctx);
      const lang = pickLanguage(ctx.query.lang, ctx.get('Accept-Language'));
      const pdf = await takePdf(ctx);
      let outcome: VerifyOutcome;
      if (pdf === 'not-pdf') {
        ctx.status = 400;
        outcome = { kind: 'not-pdf' };
      } else {
        const { seal, record } = await checkPdf(pdf);
        outcome = { kind: 'pdf', inspection: seal, answer: record };
      }
      securePage(ctx, lang);
      ctx.body = renderVerifyPage(outcome, lang, null);
    },

    async page(ctx: Context) {
      if (ctx.accepts('html', 'json') === 'json') {
        const { lang: _lang, ...query } = ctx.query as Record<string, unknown>;
        return json(ctx, query);
      }
      const lang = pickLanguage(ctx.query.lang, ctx.get('Accept-Language'));
      const reference = String(ctx.params.reference ?? '');
      const hash = typeof ctx.query.hash === 'string' && HASH.test(ctx.query.hash) ? ctx.query.hash.toLowerCase() : null;
      let outcome: VerifyOutcome;
      if (!REFERENCE.test(reference)) outcome = { kind: 'not-found', reference };
      else if (!hash) outcome = { kind: 'ask', reference };
      else {
        try {
          outcome = { kind: 'answer', answer: await integrity().verify(reference, hash) };
        } catch (err) {
          if (!(err instanceof errors.NotFoundError)) throw err;
          outcome = { kind: 'not-found', reference };
        }
      }
      ctx.status = outcome.kind === 'not-found' ? 404 : 200;
      securePage(ctx, lang);
      ctx.body = renderVerifyPage(outcome, lang, hash);
    },
  };
};

export default verifyController;
