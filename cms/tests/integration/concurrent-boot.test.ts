/**
 * Several instances of one deployment start at the same moment on one PostgreSQL database, as a rolling deploy or a
 * scaled-up service does: every instance comes up, and the database holds exactly one set of roles and permissions.
 * Strapi's schema sync and EAS's first-boot setup are serialised by a PostgreSQL advisory lock (services/boot-lock.ts);
 * without it one instance exits ("relation … already exists", duplicate keys) and roles are created twice.
 */
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, servicesRequired, startStrapi, testSecrets, type StrapiInstance } from '../harness';

const postgresUrl = process.env.DATABASE_URL;
if (!postgresUrl && servicesRequired()) throw new Error('EAS_REQUIRE_SERVICES=1 but DATABASE_URL is not set');

const ROUNDS = 5;
const INSTANCES = 3;

interface Census {
  editorRoles: number;
  fieldStaffRoles: number;
  upRoles: Record<string, number>;
  duplicateAdminPermissions: unknown[];
  duplicateUpPermissions: unknown[];
  adminPermissions: number;
  upPermissions: number;
}

/** What an operator would look at: how many of each role there are, and whether any permission row is doubled. */
const census = async (url: string): Promise<Census> => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const count = async (sql: string) => Number((await client.query(sql)).rows[0].count);
    const upRoles = Object.fromEntries(
      (await client.query('SELECT type, count(*) FROM up_roles GROUP BY type')).rows.map((r) => [r.type, Number(r.count)])
    );
    return {
      editorRoles: await count("SELECT count(*) FROM admin_roles WHERE name = 'EAS editor'"),
      fieldStaffRoles: upRoles['field-staff'] ?? 0,
      upRoles,
      duplicateAdminPermissions: (
        await client.query(
          `SELECT p.action, p.subject, l.role_id, count(*) FROM admin_permissions p
           JOIN admin_permissions_role_lnk l ON l.permission_id = p.id
           GROUP BY p.action, p.subject, l.role_id HAVING count(*) > 1`
        )
      ).rows,
      duplicateUpPermissions: (
        await client.query(
          `SELECT p.action, l.role_id, count(*) FROM up_permissions p
           JOIN up_permissions_role_lnk l ON l.permission_id = p.id
           GROUP BY p.action, l.role_id HAVING count(*) > 1`
        )
      ).rows,
      adminPermissions: await count('SELECT count(*) FROM admin_permissions'),
      upPermissions: await count('SELECT count(*) FROM up_permissions'),
    };
  } finally {
    await client.end();
  }
};

/** Starts `n` instances on `url` at the same moment; resolves when all settled, with each one's outcome. */
const startTogether = async (url: string, n: number, secrets: Record<string, string>) => {
  const outcomes = await Promise.allSettled(
    Array.from({ length: n }, () => startStrapi({ databaseUrl: url, env: secrets, bootTimeoutMs: 150_000 }))
  );
  const up = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
  const failures = outcomes.flatMap((o) => (o.status === 'rejected' ? [String((o.reason as Error).message).slice(0, 3000)] : []));
  return { up, failures };
};

const healthy = async (instance: StrapiInstance) => (await fetch(`${instance.url}/health`)).status;

describe.skipIf(!postgresUrl)('instances booting together on one PostgreSQL database', () => {
  const running: StrapiInstance[] = [];
  const drops: (() => Promise<void>)[] = [];

  afterAll(async () => {
    await Promise.all(running.splice(0).map((s) => s.stop().catch(() => {})));
    for (const drop of drops) await drop().catch(() => {});
  });

  const stopAll = () => Promise.all(running.splice(0).map((s) => s.stop()));

  it(
    `${INSTANCES} instances started together on an empty database all come up with one set of roles and permissions (${ROUNDS} rounds)`,
    async () => {
      let reference: Census | null = null;
      for (let round = 1; round <= ROUNDS; round += 1) {
        const database = await createPostgresDatabase(postgresUrl);
        drops.push(database.drop);
        const { up, failures } = await startTogether(database.url, INSTANCES, testSecrets());
        running.push(...up);
        expect(failures, `round ${round}: instances that did not come up`).toEqual([]);
        for (const instance of up) expect(await healthy(instance)).toBe(200);

        const found = await census(database.url);
        expect(found.editorRoles, `round ${round}`).toBe(1);
        expect(found.fieldStaffRoles, `round ${round}`).toBe(1);
        expect(found.upRoles, `round ${round}`).toEqual({ public: 1, authenticated: 1, 'field-staff': 1 });
        expect(found.duplicateAdminPermissions, `round ${round}`).toEqual([]);
        expect(found.duplicateUpPermissions, `round ${round}`).toEqual([]);
        // Every round lands on the same numbers of permission rows as the first.
        if (reference) {
          expect(found.adminPermissions, `round ${round}`).toBe(reference.adminPermissions);
          expect(found.upPermissions, `round ${round}`).toBe(reference.upPermissions);
        }
        reference = found;
        await stopAll();
        await database.drop();
      }
    },
    ROUNDS * 200_000
  );

  it(`with the schema present but the roles gone, ${INSTANCES} instances started together recreate exactly one set (3 rounds)`, async () => {
    const database = await createPostgresDatabase(postgresUrl);
    drops.push(database.drop);
    const secrets = testSecrets();
    const first = await startStrapi({ databaseUrl: database.url, env: secrets });
    await first.stop();
    const fresh = await census(database.url);

    for (let round = 1; round <= 3; round += 1) {
      // Every role and permission gone (EAS's and users-permissions' own), and EAS's "first boot done" mark with them.
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      await client.query(
        "DELETE FROM admin_permissions WHERE id IN (SELECT permission_id FROM admin_permissions_role_lnk l JOIN admin_roles r ON r.id = l.role_id WHERE r.name = 'EAS editor')"
      );
      await client.query("DELETE FROM admin_roles WHERE name = 'EAS editor'");
      await client.query('DELETE FROM up_permissions');
      await client.query('DELETE FROM up_roles');
      await client.query("DELETE FROM strapi_core_store_settings WHERE key = 'plugin_eas_initialised'");
      await client.end();

      const { up, failures } = await startTogether(database.url, INSTANCES, secrets);
      running.push(...up);
      expect(failures, `round ${round}: instances that did not come up`).toEqual([]);
      for (const instance of up) expect(await healthy(instance)).toBe(200);
      const found = await census(database.url);
      expect(found.editorRoles, `round ${round}`).toBe(1);
      expect(found.upRoles, `round ${round}`).toEqual({ public: 1, authenticated: 1, 'field-staff': 1 });
      expect(found.duplicateAdminPermissions, `round ${round}`).toEqual([]);
      expect(found.duplicateUpPermissions, `round ${round}`).toEqual([]);
      expect(found.adminPermissions, `round ${round}`).toBe(fresh.adminPermissions);
      expect(found.upPermissions, `round ${round}`).toBe(fresh.upPermissions);
      await stopAll();
    }
  }, 600_000);
});
