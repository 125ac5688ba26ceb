import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import { databaseUnavailableIs503 } from './middlewares/database-unavailable';
import { metricsEndpoint } from './utils/metrics-endpoint';
import { refusePrivatePaths } from './middlewares/refuse-private-paths';
import type { EasConfig } from './config';
import { getService } from './utils/get-service';

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
    {
      // Prometheus scrapes (services/metrics.ts): off (404) without EAS_METRICS_TOKEN, else only with that bearer token.
      method: 'GET',
      path: '/metrics',
      handler: metricsEndpoint(strapi),
      config: { auth: false },
    },
    {
      // What a PDF's QR code opens: HTML in the viewer's language, or JSON for Accept: application/json.
      method: 'GET',
      path: '/verify/:reference',
      handler: (ctx: Context, next: Next) => strapi.plugin('eas').controller('verify').page(ctx, next),
      config: { auth: false },
    },
    {
      // An uploaded PDF checked on the same page (multipart field "pdf"; the file is not kept).
      method: 'POST',
      path: '/verify',
      handler: (ctx: Context, next: Next) => strapi.plugin('eas').controller('verify').pdfPage(ctx, next),
      config: { auth: false },
    },
  ]);
  // A configured sealing key that cannot be read (a wrong PKCS#12 password, a key for another certificate) stops
  // the boot with its reason, instead of failing the first PDF someone asks for.
  const { seal } = strapi.config.get('plugin::eas') as EasConfig;
  if (seal.key || seal.p12) await getService(strapi, 'pdf-export').sealCertificateSha256();
  await getService(strapi, 'setup').registerAdminActions();
  await getService(strapi, 'database-guards').install();
  getService(strapi, 'database-guards').protectRecordOwners();
  strapi.server.use(refusePrivatePaths);
  strapi.server.use(databaseUnavailableIs503(strapi));
  // Redis for the shared limits (auth rate limit, socket caps) before the first request or socket can arrive.
  await getService(strapi, 'limits-store').start();
  const { role } = (strapi.config.get('plugin::eas') as EasConfig).jobs;
  // A worker process (`npm run worker`) serves no HTTP: no socket.io there; its job progress goes through Redis.
  if (role !== 'worker') await getService(strapi, 'realtime').start();
  await getService(strapi, 'jobs').start();
  getService(strapi, 'webhooks').start();
  getService(strapi, 'notifications').start();
  getService(strapi, 'orphan-sweeper').start();
  getService(strapi, 'integrity').start();
  getService(strapi, 'metrics').start();
  // The Field staff role is set up by setup.afterPluginsBootstrap(), called from the app's bootstrap.
};

export default bootstrap;
