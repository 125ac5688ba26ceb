import type { Core } from '@strapi/strapi';

const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Server => ({
  // Loopback by default: the embedded setup is for one machine. Production sets HOST=0.0.0.0 behind nginx.
  host: env('HOST', '127.0.0.1'),
  port: env.int('PORT', 1337),
  // Public origin (https://eas.example.org). Used for absolute links (PDF verify QR codes, emails).
  url: env('PUBLIC_URL', ''),
  // Trust X-Forwarded-* only when a reverse proxy we control sets them (nginx overwrites X-Forwarded-For).
  proxy: env.bool('TRUST_PROXY', false),
  app: {
    keys: env.array('APP_KEYS') as string[],
  },
  webhooks: {
    populateRelations: env.bool('WEBHOOKS_POPULATE_RELATIONS', false),
  },
});

export default config;
