/**
 * The database server is restarted under a running EAS (a private PostgreSQL, stopped and started for real):
 * while it is down every answer is a clear 503 "retry" — never a 500, and never a 401 that would sign field staff out —
 * and after it is back the same submission goes through exactly once.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAndPublishForm,
  createFieldStaff,
  http,
  registerAdmin,
  servicesRequired,
  startStrapi,
  type StrapiInstance,
} from '../harness';
import { privatePostgresUnavailable, startPrivatePostgres, type PrivatePostgres } from '../private-postgres';

const unavailable = privatePostgresUnavailable();
if (unavailable && servicesRequired()) throw new Error(`EAS_REQUIRE_SERVICES=1 but ${unavailable}`);

describe.skipIf(Boolean(unavailable))('a database restart under a running EAS', () => {
  let db: PrivatePostgres;
  let strapi: StrapiInstance;
  let staff: Awaited<ReturnType<typeof createFieldStaff>>;

  beforeAll(async () => {
    db = await startPrivatePostgres();
    strapi = await startStrapi({ db: 'postgres', postgresUrl: db.url });
    const admin = await registerAdmin(strapi.url);
    staff = await createFieldStaff(strapi.url, admin.token);
    await createAndPublishForm(strapi.url, admin.token, {
      name: 'Restart drill',
      slug: 'restart',
      fields: [{ key: 'note', label: 'Note', type: 'text' }],
      frontPhoto: { enabled: false },
      backPhoto: { enabled: false },
      signatures: [],
    });
  }, 180_000);

  afterAll(async () => {
    await strapi?.stop().catch(() => {});
    db?.destroy();
  });

  // A device sends the same content every time it retries a record (same clientId, same capture time).
  const capturedAt = new Date().toISOString();
  const submit = (clientId: string) =>
    http(`${strapi.url}/api/eas/records`, {
      method: 'POST',
      token: staff.jwt,
      json: { clientId, form: 'restart', formVersion: 1, data: { note: clientId }, capturedAt },
    });

  it('answers 503 "retry" while the database is down and accepts the same submission once it is back', async () => {
    expect((await submit(randomUUID())).status).toBe(201);
    const clientId = randomUUID();

    db.down();
    try {
      const during = await submit(clientId);
      expect(during.status).toBe(503);
      expect(during.body.error.message).toMatch(/database is unavailable.*send this again.*safe/i);

      // A signed-in person's reads must not look like an ended session (a 401 makes the site ask for a new sign-in).
      const list = await http(`${strapi.url}/api/eas/records`, { token: staff.jwt });
      expect(list.status).toBe(503);

      const signIn = await http(`${strapi.url}/api/auth/local`, {
        method: 'POST',
        json: { identifier: staff.username, password: staff.password },
      });
      // Not "wrong password" (400) and never a 500: the database is away, so send it again.
      expect(signIn.status).toBe(503);

      const health = await http(`${strapi.url}/health`);
      expect(health.status).toBe(503);
      expect(health.body.services.database.status).toBe('down');
    } finally {
      db.up();
    }

    // The device retries with the same clientId until the server takes it (stale pool connections may fail first).
    let after = await submit(clientId);
    for (let i = 0; i < 20 && after.status !== 201 && after.status !== 200; i++) {
      expect(after.status).toBe(503);
      await new Promise((r) => setTimeout(r, 500));
      after = await submit(clientId);
    }
    expect([200, 201]).toContain(after.status);
    const again = await submit(clientId);
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.data.documentId).toBe(after.body.data.documentId);

    const mine = await http(`${strapi.url}/api/eas/records?pageSize=100`, { token: staff.jwt });
    expect(mine.status).toBe(200);
    expect(mine.body.data.filter((r: { clientId: string }) => r.clientId === clientId)).toHaveLength(1);
    expect(mine.body.data).toHaveLength(2);
    expect((await http(`${strapi.url}/health`)).status).toBe(200);
  }, 120_000);
});
