import type { Core } from '@strapi/strapi';

const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Middlewares => [
  'strapi::logger',
  'strapi::errors',
  'strapi::security',
  {
    name: 'strapi::cors',
    config: {
      // One origin in the embedded setup; production lists its site origins here.
      origin: env.array('CORS_ORIGINS', []),
    },
  },
  'strapi::poweredBy',
  'strapi::query',
  {
    name: 'strapi::body',
    config: {
      formLimit: `${env.int('UPLOAD_MAX_MB', 20)}mb`,
      jsonLimit: '1mb',
      textLimit: '1mb',
      formidable: { maxFileSize: env.int('UPLOAD_MAX_MB', 20) * 1024 * 1024 },
    },
  },
  'strapi::session',
  'strapi::favicon',
  'strapi::public',
  // Serves the built capture site (site/dist) at / when it exists: one origin, no CORS.
  'global::site',
];

export default config;
