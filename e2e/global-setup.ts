import type { FullConfig } from '@playwright/test';
import { findHeadlessShell, resolveChromium } from '../cms/src/plugins/eas/server/src/utils/chromium';
import { registerAdmin, startStrapi } from '../cms/tests/harness';

/**
 * Boots one built Strapi for the run (PostgreSQL when DATABASE_URL is set, else SQLite), creates the first
 * administrator through the API, and hands the URL and credentials to the tests through the environment.
 */
export default async function globalSetup(_config: FullConfig) {
  // Strapi's PDF export uses the Chromium a deployment would (CHROMIUM_PATH, the system, then the packaged one).
  const chromium = await resolveChromium();
  process.env.CHROMIUM_PATH = chromium.path;
  // The browser tests run on a headless shell when one is installed (see findHeadlessShell); E2E_CHROMIUM_PATH wins.
  process.env.E2E_CHROMIUM_PATH ||= (await findHeadlessShell()) ?? chromium.path;

  const strapi = await startStrapi({
    db: process.env.DATABASE_URL ? 'postgres' : 'sqlite',
    env: {
      // A rotated refresh token presented again counts as stolen at once (the default grace of 30 s is for two tabs).
      EAS_REFRESH_REUSE_GRACE_SECONDS: '0',
      // The webhook receivers the tests start listen on 127.0.0.1, an internal address endpoints may not have otherwise.
      EAS_WEBHOOKS_ALLOW_INTERNAL: '1',
      // A failed delivery is retried only after 10 minutes, so what sends it again within a test is its Redeliver.
      EAS_WEBHOOK_RETRY_BASE_MS: '600000',
    },
  });
  const admin = await registerAdmin(strapi.url);
  process.env.EAS_BASE_URL = strapi.url;
  process.env.EAS_ADMIN_EMAIL = admin.email;
  process.env.EAS_ADMIN_PASSWORD = admin.password;
  process.env.EAS_ADMIN_TOKEN = admin.token;
  // Where its database is, for the custody tests that alter records behind EAS's back (fixtures.ts, `database`).
  process.env.EAS_DB = strapi.db;
  process.env.EAS_DB_FILENAME = strapi.env.DATABASE_FILENAME ?? '';
  process.env.EAS_DB_URL = strapi.db === 'postgres' ? strapi.env.DATABASE_URL : '';
  process.stdout.write(
    `[e2e] Strapi ${strapi.url} (${strapi.db}), browser tests on ${process.env.E2E_CHROMIUM_PATH}, PDFs on ${chromium.path} (${chromium.source})\n`
  );

  return async () => {
    await strapi.stop();
  };
}
