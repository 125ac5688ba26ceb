import createError from 'http-errors';
import type { Context } from 'koa';
import { describe, expect, it, vi } from 'vitest';
import { databaseUnavailableIs503, isDatabaseUnavailable } from '../database-unavailable';

const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
/** A stand-in for strapi.db.connection (knex): raw() for the probe, on('query-error') for failed queries. */
const strapiWith = (raw: () => Promise<unknown>) => {
  const listeners: ((err: unknown) => void)[] = [];
  const connection = {
    raw,
    on: (_: string, fn: (err: unknown) => void) => listeners.push(fn),
    failQuery: (err: unknown) => listeners.forEach((fn) => fn(err)),
  };
  return { db: { connection } } as unknown as Parameters<typeof databaseUnavailableIs503>[0] & { db: { connection: typeof connection } };
};
const up = strapiWith(async () => [{ '?column?': 1 }]);
const down = strapiWith(async () => Promise.reject(refused));
const ctx = () => ({ status: 404 }) as Context;

const outcome = async (middleware: ReturnType<typeof databaseUnavailableIs503>, next: (c: Context) => Promise<void>) => {
  const c = ctx();
  try {
    await middleware(c, () => next(c));
    return c.status;
  } catch (err) {
    return (err as { status: number }).status;
  }
};

describe('a lost database answers 503, never 500 or 401', () => {
  it('recognises PostgreSQL restarts, dropped connections and pool timeouts, and nothing else', () => {
    expect(isDatabaseUnavailable(refused)).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(
      true
    );
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Knex: Timeout acquiring a connection. The pool is probably full.'))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('the database system is starting up'), { code: '57P03' }))).toBe(true);
    expect(
      isDatabaseUnavailable(new Error('delete from "eas_record_events" - Client has encountered a connection error and is not queryable'))
    ).toBe(true);
    expect(isDatabaseUnavailable(new Error('aborted'))).toBe(true); // the pool destroyed while Strapi shuts down
    expect(isDatabaseUnavailable(Object.assign(new Error('deadlock detected'), { code: '40P01' }))).toBe(true);
    expect(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('request aborted by the client'))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' }))).toBe(
      false
    );
    expect(isDatabaseUnavailable(new Error('Cannot read properties of undefined'))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
  });

  it('turns a database error thrown by a handler into a 503 whose message says to send again', async () => {
    const c = ctx();
    const err = await databaseUnavailableIs503(up)(c, async () => Promise.reject(refused)).catch((e) => e);
    expect(err.status).toBe(503);
    expect(err.message).toMatch(/database is unavailable.*send this again.*safe/i);
  });

  it('turns a 401 into a 503 when the database cannot answer (the auth strategy swallowed the database error)', async () => {
    expect(
      await outcome(databaseUnavailableIs503(down), async () => Promise.reject(createError(401, 'Missing or invalid credentials')))
    ).toBe(503);
    expect(
      await outcome(databaseUnavailableIs503(down), async (c) => {
        c.status = 401;
      })
    ).toBe(503);
  });

  it('keeps a real 401 when the database answers, and leaves other errors and answers alone', async () => {
    expect(
      await outcome(databaseUnavailableIs503(up), async () => Promise.reject(createError(401, 'Missing or invalid credentials')))
    ).toBe(401);
    expect(await outcome(databaseUnavailableIs503(down), async () => Promise.reject(createError(400, 'bad')))).toBe(400);
    expect(
      await outcome(databaseUnavailableIs503(down), async (c) => {
        c.status = 200;
      })
    ).toBe(200);
  });

  it('turns a 401 into a 503 when a query of that request lost its connection, even if the database is back by now', async () => {
    const strapi = strapiWith(async () => [{ '?column?': 1 }]);
    const middleware = databaseUnavailableIs503(strapi);
    // The auth strategy's user lookup ran on a connection the server had just terminated, and swallowed the error.
    const swallowing = async () => {
      await Promise.resolve();
      strapi.db.connection.failQuery(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }));
      throw createError(401, 'Missing or invalid credentials');
    };
    expect(await outcome(middleware, swallowing)).toBe(503);
    // Another request's lost query does not excuse this request's bad token.
    strapi.db.connection.failQuery(refused);
    expect(await outcome(middleware, async () => Promise.reject(createError(401, 'Missing or invalid credentials')))).toBe(401);
  });

  it('answers 503 for any failure of a request one of whose queries lost the database (the error may have been rewrapped)', async () => {
    const strapi = strapiWith(async () => [{ '?column?': 1 }]);
    const middleware = databaseUnavailableIs503(strapi);
    const rewrapped = async () => {
      await Promise.resolve();
      strapi.db.connection.failQuery(new Error('Connection terminated unexpectedly'));
      throw new TypeError("Cannot read properties of undefined (reading 'id')");
    };
    expect(await outcome(middleware, rewrapped)).toBe(503);
    // Without a lost query the same error stays what it is.
    expect(await outcome(middleware, async () => Promise.reject(Object.assign(new TypeError('x'), { status: 500 })))).toBe(500);
  });

  it('counts a database that does not answer within 2 s as unavailable, and not sooner', async () => {
    vi.useFakeTimers();
    try {
      const hung = strapiWith(() => new Promise(() => {}));
      let status: number | undefined;
      const answered = outcome(databaseUnavailableIs503(hung), async () => Promise.reject(createError(401, 'x'))).then((s) => (status = s));
      await vi.advanceTimersByTimeAsync(1999);
      expect(status).toBeUndefined();
      await vi.advanceTimersByTimeAsync(1);
      await answered;
      expect(status).toBe(503);
    } finally {
      vi.useRealTimers();
    }
  });
});
