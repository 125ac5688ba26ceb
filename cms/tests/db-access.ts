/**
 * Direct access to a test instance's database, as an insider with database credentials has it: the custody tests
 * use it to alter records behind EAS's back and check that EAS notices. SQLite through better-sqlite3 (the instance's
 * file, in WAL mode, while Strapi runs), PostgreSQL through pg. Placeholders are `?` for both.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import type { StrapiInstance } from './harness';

export interface DbAccess {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs statements as the database owner would, with EAS's append-only triggers out of the way. */
  withoutTriggers(table: string, work: () => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

export const openDb = async (instance: StrapiInstance): Promise<DbAccess> => {
  if (instance.db === 'sqlite') {
    const db = new Database(instance.env.DATABASE_FILENAME);
    db.pragma('busy_timeout = 5000');
    const query = async <T>(sql: string, params: unknown[] = []) => {
      const statement = db.prepare(sql);
      return (statement.reader ? statement.all(...params) : (statement.run(...params), [])) as T[];
    };
    return {
      query,
      async withoutTriggers(table, work) {
        const triggers = db.prepare("select name, sql from sqlite_master where type = 'trigger' and tbl_name = ?").all(table) as {
          name: string;
          sql: string;
        }[];
        for (const t of triggers) db.exec(`DROP TRIGGER ${t.name}`);
        try {
          await work();
        } finally {
          for (const t of triggers) db.exec(t.sql);
        }
      },
      close: async () => void db.close(),
    };
  }
  const client = new pg.Client({ connectionString: instance.env.DATABASE_URL });
  await client.connect();
  let n = 0;
  const query = async <T>(sql: string, params: unknown[] = []) =>
    (
      await client.query(
        sql.replace(/\?/g, () => `$${++n}`),
        params
      )
    ).rows as T[];
  return {
    query: async <T>(sql: string, params: unknown[] = []) => {
      n = 0;
      return query<T>(sql, params);
    },
    async withoutTriggers(table, work) {
      await client.query(`ALTER TABLE "${table}" DISABLE TRIGGER USER`);
      try {
        await work();
      } finally {
        await client.query(`ALTER TABLE "${table}" ENABLE TRIGGER USER`);
      }
    },
    close: () => client.end(),
  };
};
