import type { Core } from '@strapi/strapi';

const MB = 1024 * 1024;

const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Plugin => ({
  eas: {
    enabled: true,
    resolve: './src/plugins/eas',
    config: {
      publicUrl: env('PUBLIC_URL', ''),
      images: {
        maxMegabytes: env.int('UPLOAD_MAX_MB', 20),
        maxMegapixels: env.int('IMAGE_MAX_MEGAPIXELS', 50),
        displayEdge: env.int('IMAGE_DISPLAY_EDGE', 2048),
        concurrency: env.int('IMAGE_CONCURRENCY', 2),
        queueMax: env.int('IMAGE_QUEUE_MAX', 32),
      },
    },
  },
  'users-permissions': {
    config: {
      jwtManagement: 'refresh',
      // The refresh token travels in an httpOnly cookie. It is marked Secure when the public URL is https
      // (production behind nginx); COOKIE_SECURE overrides. A Secure cookie over plain http would fail sign-in.
      sessions: {
        httpOnly: true,
        cookie: { secure: env.bool('COOKIE_SECURE', env('PUBLIC_URL', '').startsWith('https://')) },
      },
      ratelimit: {
        interval: env.int('AUTH_RATE_LIMIT_WINDOW_MS', 60000),
        max: env.int('AUTH_RATE_LIMIT_MAX', 5),
      },
    },
  },
  upload: {
    config: {
      sizeLimit: env.int('UPLOAD_MAX_MB', 20) * MB,
      security: {
        allowedTypes: ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'],
        deniedTypes: ['image/svg+xml', 'text/html'],
      },
    },
  },
});

export default config;
