/**
 * The auth rate limit on every sign-in, registration, password and confirmation route (utils/auth-routes.ts), for
 * every instance together (services/rate-limits.ts). Listed in the app's config/middlewares.ts after strapi::errors
 * (which words the 429) and before strapi::body: a refused attempt is answered before its body is even read, and the
 * key is the client address only — Koa's `ctx.request.ip`, which follows X-Forwarded-For only with TRUST_PROXY=true
 * (nginx overwrites that header with the real peer), so neither a spoofed header nor a rotating email in the body
 * moves a client to a fresh bucket. Strapi's own per-process limiters are switched off (config/plugins.ts,
 * config/admin.ts): this is the one count.
 */
import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import { tooManyAttempts } from '../errors';
import { matchAuthRoute } from '../utils/auth-routes';
import { getService } from '../utils/get-service';

const authRateLimit =
  (_config: unknown, { strapi }: { strapi: Core.Strapi }) =>
  async (ctx: Context, next: Next) => {
    const route = matchAuthRoute(ctx.method, ctx.path);
    if (!route) return next();
    const verdict = await getService(strapi, 'rate-limits').consume(route, ctx.request.ip);
    if (!verdict.allowed) {
      const { max, windowMs } = getService(strapi, 'rate-limits').describe();
      ctx.set('Retry-After', String(verdict.retryAfterSeconds));
      throw tooManyAttempts(verdict.retryAfterSeconds, max, windowMs / 1000);
    }
    return next();
  };

export default authRateLimit;
