import path from 'path';
import type { Core } from '@strapi/strapi';

/**
 * DATABASE_URL (postgres://…) selects PostgreSQL; without it EAS runs on an embedded SQLite file
 * (DATABASE_FILENAME, default cms/.tmp/data.db), so a fresh clone needs no database server.
 */
const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Database => {
  const url = env('DATABASE_URL', '');
  const pool = { min: env.int('DATABASE_POOL_MIN', 0), max: env.int('DATABASE_POOL_MAX', 10) };
  const acquireConnectionTimeout = env.int('DATABASE_CONNECTION_TIMEOUT', 60000);

  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) {
      throw new Error(`DATABASE_URL must be a postgres:// URL (got "${url.split(':')[0]}:…")`);
    }
    const u = new URL(url);
    return {
      connection: {
        client: 'postgres',
        connection: {
          connectionString: url,
          host: u.hostname,
          port: Number(u.port || 5432),
          database: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'postgres',
          user: decodeURIComponent(u.username),
          password: decodeURIComponent(u.password),
          ssl: env.bool('DATABASE_SSL', false) && {
            rejectUnauthorized: env.bool('DATABASE_SSL_REJECT_UNAUTHORIZED', true),
          },
          schema: env('DATABASE_SCHEMA', 'public'),
        },
        pool,
        acquireConnectionTimeout,
      },
    };
  }

  // Relative paths are relative to the cms/ folder (compiled config lives in cms/dist/config).
  const filename = env('DATABASE_FILENAME', '.tmp/data.db');
  return {
    connection: {
      client: 'sqlite',
      connection: {
        filename: path.isAbsolute(filename) ? filename : path.join(__dirname, '..', '..', filename),
      },
      useNullAsDefault: true,
      acquireConnectionTimeout,
      pool: {
        // Write-ahead logging: readers do not wait for writers and each commit costs one sequential write;
        // synchronous stays FULL so a committed record survives a power cut.
        afterCreate: (conn: unknown, done: (err?: Error) => void) => {
          const db = conn as { pragma: (sql: string) => unknown };
          try {
            db.pragma('journal_mode = WAL');
            db.pragma('synchronous = FULL');
            db.pragma('busy_timeout = 5000');
            done();
          } catch (err) {
            done(err as Error);
          }
        },
      },
    },
  };
};

export default config;
