import type { Core } from '@strapi/strapi';
import { logFormat } from './logger';

const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Server => ({
  // Loopback by default: the embedded setup is for one machine. Production sets HOST=0.0.0.0 behind nginx.
  host: env('HOST', '127.0.0.1'),
  port: env.int('PORT', 1337),
  // Public origin (https://eas.example.org). Used for absolute links (PDF verify QR codes, emails).
  url: env('PUBLIC_URL', ''),
  // Trust X-Forwarded-* only when a reverse proxy we control sets them (nginx overwrites X-Forwarded-For). Strapi 5
  // reads server.proxy.koa (a bare `proxy: true` is ignored, and every client would then share nginx's address).
  proxy: { koa: env.bool('TRUST_PROXY', false) },
  // Strapi's startup banner is plain console output: off when the logs are JSON lines (config/logger.ts).
  logger: { startup: { enabled: logFormat(env) === 'pretty' } },
  app: {
    keys: env.array('APP_KEYS') as string[],
  },
  webhooks: {
    populateRelations: env.bool('WEBHOOKS_POPULATE_RELATIONS', false),
  },
  // Strapi's remote data transfer (`strapi transfer`, /admin/transfer/runner/*) writes and deletes any table through
  // the query engine, around EAS's evidence rules and its audit chain: off, unless an operator migrating a whole
  // deployment turns it on for that moment (EAS_REMOTE_TRANSFER=true).
  transfer: {
    remote: { enabled: env.bool('EAS_REMOTE_TRANSFER', false) },
  },
});

export default config;
