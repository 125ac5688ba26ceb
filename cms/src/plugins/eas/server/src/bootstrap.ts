import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import { databaseUnavailableIs503 } from './middlewares/database-unavailable';
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
  strapi.server.use(databaseUnavailableIs503(strapi));
  await getService(strapi, 'realtime').start();
  getService(strapi, 'notifications').start();
  getService(strapi, 'orphan-sweeper').start();
  // The Field staff role is set up by setup.afterPluginsBootstrap(), called from the app's bootstrap.
};

export default bootstrap;
