import type { Core } from '@strapi/strapi';

export const MB = 1024 * 1024;

/**
 * The largest upload in megabytes (UPLOAD_MAX_MB, default 20): one rule for the body parser's multipart limit
 * (config/middlewares.ts), the Media Library's size limit and the plugin's image limit (config/plugins.ts).
 */
export const uploadMaxMb = (env: Core.Config.Shared.ConfigParams['env']) => env.int('UPLOAD_MAX_MB', 20);
