import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';
import { pickLanguage } from '../../../shared/i18n/verify';
import { getService } from '../utils/get-service';
import { renderVerifyPage, type VerifyOutcome } from '../utils/verify-page';
import { referenceParam, verifyQuery } from './validation/evidence';
import { parse } from './validation/parse';

const HASH = /^[a-f0-9]{64}$/i;
const REFERENCE = /^EAS-\d{4}-\d{6,}$/;

/**
 * Does a document (its reference and integrity hash, from the PDF or its QR code) match the record as stored now?
 * The integrity check recomputes everything (utils/record-state.ts, services/integrity.ts). Nothing personal.
 * - GET /api/eas/verify/:reference?hash= — JSON.
 * - GET /verify/:reference?hash=[&lang=] — what the QR code opens: HTML for browsers (in the viewer's language),
 *   JSON for `Accept: application/json`.
 */
const verifyController = ({ strapi }: { strapi: Core.Strapi }) => {
  const integrity = () => getService(strapi, 'integrity');
  const json = async (ctx: Context, query: unknown) => {
    const reference = parse(referenceParam, ctx.params.reference, 'path');
    const { hash } = parse(verifyQuery, query, 'query');
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Vary', 'Accept');
    ctx.body = { data: await integrity().verify(reference, hash.toLowerCase()) };
  };
  return {
    json: (ctx: Context) => json(ctx, ctx.query),

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
      ctx.body = renderVerifyPage(outcome, lang, hash);
    },
  };
};

export default verifyController;
