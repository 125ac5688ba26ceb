// Test-only modules that ship no type declarations: just what the tests use.
declare module 'better-sqlite3' {
  interface Statement {
    /** Whether the statement returns rows. */
    reader: boolean;
    all(...params: unknown[]): unknown[];
    get(...params: unknown[]): unknown;
    run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
  }
  interface Database {
    prepare(sql: string): Statement;
    pragma(sql: string): unknown;
    exec(sql: string): void;
    close(): void;
  }
  const Database: new (filename: string, options?: Record<string, unknown>) => Database;
  export default Database;
}

declare module 's3rver' {
  export default class S3rver {
    constructor(options: Record<string, unknown>);
    run(): Promise<{ address: string; port: number }>;
    close(): Promise<void>;
  }
}
