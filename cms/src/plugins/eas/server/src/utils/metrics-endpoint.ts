import { timingSafeEqual } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import type { EasConfig } from '../config';
import { getService } from '../utils/get-service';

/** The token of an `Authorization: Bearer <token>` header, or null. */
export const bearerToken = (header: string | undefined): string | null => header?.match(/^Bearer ([^\s]+)$/)?.[1] ?? null;

/** Compares in constant time (for equal lengths), so response times do not reveal how much of a guess was right. */
export const tokenMatches = (given: string | null, expected: string): boolean => {
  if (!given || !expected) return false;
  const [a, b] = [Buffer.from(given), Buffer.from(expected)];
  return a.length === b.length && timingSafeEqual(a, b);
};

/**
 * GET /metrics: 404 when no token is configured (as if the route did not exist), 401 without the right bearer
 * token, else Prometheus' text exposition format. Prometheus scrapes each instance directly on the internal network;
 * nginx answers /metrics from outside with 404 itself (config/nginx.conf).
 */
export const metricsEndpoint = (strapi: Core.Strapi) => async (ctx: Context) => {
  const { token } = (strapi.config.get('plugin::eas') as EasConfig).metrics;
  if (!token) return ctx.notFound();
  if (!tokenMatches(bearerToken(ctx.get('Authorization') || undefined), token)) {
    ctx.set('WWW-Authenticate', 'Bearer realm="metrics"');
    return ctx.unauthorized('A valid metrics token is required (Authorization: Bearer <EAS_METRICS_TOKEN>)');
  }
  const metrics = getService(strapi, 'metrics');
  ctx.set('Cache-Control', 'no-store');
  ctx.type = metrics.contentType;
  ctx.body = await metrics.text();
};
