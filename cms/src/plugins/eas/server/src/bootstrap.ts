import type { Core } from '@strapi/strapi';
import createError from 'http-errors';
import type { Context, Next } from 'koa';
import { PRIVATE_PREFIX } from './services/media-storage';
import { getService } from './utils/get-service';

/** Evidence files are never served by the public /uploads route, however the name is encoded. */
const refusePrivateUploads = async (ctx: Context, next: Next) => {
  if (ctx.path.toLowerCase().startsWith('/uploads/')) {
    let decoded = ctx.path;
    try {
      decoded = decodeURIComponent(ctx.path);
    } catch {
      // undecodable: judged as is
    }
    if (decoded.toLowerCase().includes(PRIVATE_PREFIX)) {
      ctx.status = 404;
      ctx.body = { data: null, error: { status: 404, name: 'NotFoundError', message: 'Not Found' } };
      return;
    }
  }
  await next();
};

/** Errors that mean "the database is unreachable right now", not "this request is wrong". */
const DB_UNAVAILABLE = /Connection terminated|ECONNREFUSED|ECONNRESET|terminating connection|Knex: Timeout acquiring a connection|database system is (shutting down|starting up)|SQLITE_BUSY/i;
export const isDatabaseUnavailable = (err: unknown) => {
  const e = err as { code?: string; message?: string } | null;
  return Boolean(e && (['57P01', '57P02', '57P03', '08006', '08001', '08003', 'ECONNREFUSED', 'ECONNRESET'].includes(String(e.code)) || DB_UNAVAILABLE.test(String(e.message))));
};

/** A lost database answers 503 "retry" (nothing was saved: the transaction did not commit), never a bare 500. */
const databaseUnavailableIs503 = async (ctx: Context, next: Next) => {
  try {
    await next();
  } catch (err) {
    if (isDatabaseUnavailable(err)) {
      throw Object.assign(createError(503, 'The database is unavailable right now; nothing was saved. Please retry in a moment.'), { details: {} });
    }
    throw err;
  }
};

const bootstrap = async ({ strapi }: { strapi: Core.Strapi }) => {
  // GET /health at the root, for load balancers and compose healthchecks: 200 healthy, 503 degraded.
  strapi.server.routes([
    {
      method: 'GET',
      path: '/health',
      handler: async (ctx: Context) => {
        const health = await getService(strapi, 'health').check();
        ctx.set('Cache-Control', 'no-store');
        ctx.status = health.status === 'ok' ? 200 : 503;
        ctx.body = health;
      },
      config: { auth: false },
    },
  ]);
  await getService(strapi, 'setup').registerAdminActions();
  strapi.server.use(refusePrivateUploads);
  strapi.server.use(databaseUnavailableIs503);
  await getService(strapi, 'realtime').start();
  getService(strapi, 'notifications').start();
  // The Field staff role is set up by setup.afterPluginsBootstrap(), called from the app's bootstrap.
};

export default bootstrap;
