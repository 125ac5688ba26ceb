import type { FullConfig } from '@playwright/test';
import { resolveChromium } from '../cms/src/plugins/eas/server/src/utils/chromium';
import { registerAdmin, startStrapi } from '../cms/tests/harness';

/**
 * Boots one built Strapi for the run (PostgreSQL when DATABASE_URL is set, else SQLite), creates the first
 * administrator through the API, and hands the URL and credentials to the tests through the environment.
 */
export default async function globalSetup(_config: FullConfig) {
  const chromium = await resolveChromium();
  process.env.CHROMIUM_PATH = chromium.path;

  const strapi = await startStrapi({ db: process.env.DATABASE_URL ? 'postgres' : 'sqlite' });
  const admin = await registerAdmin(strapi.url);
  process.env.EAS_BASE_URL = strapi.url;
  process.env.EAS_ADMIN_EMAIL = admin.email;
  process.env.EAS_ADMIN_PASSWORD = admin.password;
  process.env.EAS_ADMIN_TOKEN = admin.token;
  process.stdout.write(`[e2e] Strapi ${strapi.url} (${strapi.db}), Chromium ${chromium.path} (${chromium.source})\n`);

  return async () => {
    await strapi.stop();
  };
}
