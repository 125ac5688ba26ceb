import type { Core } from '@strapi/strapi';
import pg from 'pg';

/**
 * The advisory lock key every EAS instance of one database takes while it boots ("EASBOOT" in ASCII, as one bigint).
 * Advisory locks are per database: instances of other deployments on the same server do not wait for each other.
 */
export const BOOT_LOCK_KEY = BigInt('0x454153424f4f54').toString();
const KEY = BOOT_LOCK_KEY;

interface PostgresConnection {
  connectionString?: string;
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  password?: string;
  ssl?: pg.ClientConfig['ssl'];
}

/**
 * Serialises boots on PostgreSQL. Taken in the plugin's register() — before Strapi syncs the schema (bootstrap) — and
 * released at the end of the app's bootstrap(), after users-permissions' and EAS's first-boot setup: one instance at a
 * time creates tables, roles and permissions; the others wait, then find them. The lock lives on a dedicated
 * connection: when a boot fails the process exits and PostgreSQL ends the session and its lock with it. SQLite is one
 * process by nature: no lock.
 */
const bootLockService = ({ strapi }: { strapi: Core.Strapi }) => {
  let client: pg.Client | null = null;

  const connectionOptions = (): PostgresConnection | null => {
    const database = strapi.config.get('database') as { connection: { client: string; connection: PostgresConnection } };
    if (database.connection.client !== 'postgres') return null;
    const { connectionString, host, port, database: name, user, password, ssl } = database.connection.connection;
    return { connectionString, host, port, database: name, user, password, ssl };
  };

  return {
    async acquire() {
      const options = connectionOptions();
      if (!options || client) return;
      const c = new pg.Client({ ...options, application_name: 'eas boot lock', connectionTimeoutMillis: 30_000 });
      // Once connected, a lost connection only means the lock is gone: never an unhandled 'error' that kills the process.
      c.on('error', (err) => strapi.log.warn(`[eas] boot lock connection lost (${err.message})`));
      await c.connect();
      client = c;
      const { rows } = await c.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [KEY]);
      if (!rows[0].locked) {
        strapi.log.info('[eas] another instance is setting up the database; waiting for it to finish');
        const started = Date.now();
        await c.query('SELECT pg_advisory_lock($1::bigint)', [KEY]);
        strapi.log.info(`[eas] database setup lock taken after ${Math.round((Date.now() - started) / 1000)} s`);
      }
    },

    async release() {
      const c = client;
      client = null;
      if (!c) return;
      try {
        await c.query('SELECT pg_advisory_unlock($1::bigint)', [KEY]);
      } catch {
        // the session is gone, and its lock with it
      }
      await c.end().catch(() => undefined);
    },
  };
};

export default bootLockService;
