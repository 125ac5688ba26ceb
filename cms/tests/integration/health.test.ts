import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { dbKinds, freePort, http, startStrapi } from '../harness';

// PostgreSQL when DATABASE_URL is set; under EAS_REQUIRE_SERVICES=1 its absence fails the suite instead of skipping.
const postgres = dbKinds().includes('postgres');

describe('GET /health', () => {
  it('answers 200 with every service up, and reveals nothing internal', async () => {
    const strapi = await startStrapi();
    try {
      const res = await http(`${strapi.url}/health`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: 'ok',
        services: { database: { status: 'up' }, storage: { status: 'up' }, pdf: { status: 'up' } },
      });
      expect(new Date(res.body.timestamp).getTime()).toBeGreaterThan(Date.now() - 60_000);
      expect(res.body.services.redis.status).toBe(process.env.REDIS_URL ? 'up' : 'not-configured');
      const text = JSON.stringify(res.body);
      for (const secret of [strapi.env.APP_KEYS, strapi.env.JWT_SECRET, '/work', '/tmp', 'Error']) expect(text).not.toContain(secret);
    } finally {
      await strapi.stop();
    }
  });

  it('answers 503 when media storage is unusable', async () => {
    const closed = await freePort();
    const strapi = await startStrapi({
      env: {
        S3_BUCKET: 'nowhere',
        S3_ENDPOINT: `http://127.0.0.1:${closed}`,
        S3_FORCE_PATH_STYLE: 'true',
        S3_ACCESS_KEY_ID: 'x',
        S3_SECRET_ACCESS_KEY: 'y',
      },
    });
    try {
      const res = await http(`${strapi.url}/health`);
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ status: 'degraded', services: { storage: { status: 'down' }, database: { status: 'up' } } });
    } finally {
      await strapi.stop();
    }
  });

  it.skipIf(!postgres)('answers 503 when the database is gone', async () => {
    const strapi = await startStrapi({ db: 'postgres' });
    try {
      expect((await http(`${strapi.url}/health`)).status).toBe(200);
      const name = new URL(strapi.env.DATABASE_URL).pathname.slice(1);
      const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE "${name}" WITH (FORCE)`);
      await admin.end();
      const res = await http(`${strapi.url}/health`);
      expect(res.status).toBe(503);
      expect(res.body.services.database.status).toBe('down');
    } finally {
      await strapi.stop();
    }
  });
});
