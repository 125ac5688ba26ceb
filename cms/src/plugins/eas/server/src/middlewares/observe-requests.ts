/**
 * Every request, seen once from the outside of the middleware stack ('plugin::eas.observe-requests', first in the
 * app's config/middlewares.ts, in place of strapi::logger):
 * - a request id (utils/request-id.ts), kept in ctx.state.requestId — Strapi runs each request inside its own
 *   AsyncLocalStorage (strapi.requestContext), so config/logger.ts adds it to every log line written meanwhile —
 *   answered in the X-Request-Id header and in the JSON of error answers (`error.requestId`), so the screenshot of
 *   an error leads to its log lines;
 * - one access-log line (method, route pattern, status, duration, request id) — the route pattern, not the URL,
 *   so signed media URLs' tokens never reach the logs;
 * - the HTTP metrics, and those of uploads and submissions, whose routes are known here (services/metrics.ts).
 */
import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import { getService } from '../utils/get-service';
import { REQUEST_ID_HEADER, requestIdFor } from '../utils/request-id';
import { methodLabel, routeLabel } from '../utils/route-label';

const UPLOAD_ROUTES: Record<string, 'photo' | 'signature'> = {
  'PUT /api/eas/records/:documentId/photos/:side': 'photo',
  'PUT /api/eas/records/:documentId/signatures/:slot': 'signature',
};
/** Routes that can submit a record, with the status of a submission (a replayed create answers 200). */
const SUBMIT_ROUTES: Record<string, number> = { 'POST /api/eas/records': 201, 'POST /api/eas/records/:documentId/submit': 200 };

type ErrorBody = { error: Record<string, unknown> };
const isErrorBody = (body: unknown): body is ErrorBody =>
  typeof body === 'object' &&
  body !== null &&
  !Buffer.isBuffer(body) &&
  typeof (body as ErrorBody).error === 'object' &&
  (body as ErrorBody).error !== null;

/** The status of the record an answer carries. */
const recordStatus = (body: unknown) => (body as { data?: { status?: unknown } } | null | undefined)?.data?.status;

const observeRequests = (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  const metrics = () => getService(strapi, 'metrics');
  return async (ctx: Context, next: Next) => {
    const started = process.hrtime.bigint();
    const requestId = requestIdFor(ctx.get(REQUEST_ID_HEADER) || undefined, ctx.app.proxy);
    ctx.state.requestId = requestId;
    ctx.set(REQUEST_ID_HEADER, requestId);
    try {
      await next();
    } finally {
      // (An error that escaped strapi::errors is answered 500 by Koa; it is logged there with this request's id.)
      const status = ctx.status;
      ctx.set(REQUEST_ID_HEADER, requestId);
      if (status >= 400 && isErrorBody(ctx.body)) ctx.body.error.requestId = requestId;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const method = methodLabel(ctx.method);
      const route = routeLabel((ctx as { _matchedRoute?: unknown })._matchedRoute);
      const key = `${method} ${route}`;
      metrics().observeRequest({ method, route, status }, seconds);
      if (UPLOAD_ROUTES[key]) metrics().observeUpload(UPLOAD_ROUTES[key], status, seconds);
      if (SUBMIT_ROUTES[key] === status && recordStatus(ctx.body) === 'submitted') metrics().observeSubmissionRequest(seconds);
      const ms = Math.round(seconds * 1000);
      strapi.log.http(`${method} ${route} ${status} ${ms} ms`, { method, route, status, durationMs: ms });
    }
  };
};

export default observeRequests;
