/**
 * A lost database (restart, failover, dropped connections) answers 503 "retry", never a 500 or a 401.
 * Nothing was saved when this happens: the request's transaction did not commit, so retrying is always safe
 * (record creation is idempotent by clientId).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import { databaseUnavailable } from '../errors';

/** Errors that mean "the database cannot do this right now", not "this request is wrong": retrying is safe. */
const DB_UNAVAILABLE =
  /Connection terminated|Connection ended unexpectedly|ECONNREFUSED|ECONNRESET|EPIPE|terminating connection|timeout exceeded when trying to connect|Knex: Timeout acquiring a connection|Unable to acquire a connection|is not queryable|Transaction query already complete|database system is (shutting down|starting up)|deadlock detected|could not serialize access|SQLITE_BUSY/i;
/**
 * PostgreSQL codes: 08xxx connection exceptions, 57P01–57P03 shutdown and startup, 40001/40P01 serialization failure
 * and deadlock (the transaction was rolled back; the same request succeeds when sent again).
 */
const UNAVAILABLE_CODES = [
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '40001',
  '40P01',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
];
/** tarn (knex's pool) rejects waiting acquisitions with exactly this when the pool is destroyed at shutdown. */
const POOL_ABORTED = /^aborted$/;
export const isDatabaseUnavailable = (err: unknown) => {
  const e = err as { code?: string; message?: string } | null;
  return Boolean(
    e && (UNAVAILABLE_CODES.includes(String(e.code)) || DB_UNAVAILABLE.test(String(e.message)) || POOL_ABORTED.test(String(e.message)))
  );
};

/** SELECT 1 within 2 s: false when the database cannot answer. */
const databaseAnswers = async (strapi: Pick<Core.Strapi, 'db'>) => {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      strapi.db.connection.raw('SELECT 1'),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('Knex: Timeout acquiring a connection')), 2000))),
    ]);
    return true;
  } catch (err) {
    return !isDatabaseUnavailable(err);
  } finally {
    clearTimeout(timer);
  }
};

/** Per request: did one of its queries fail because the database was lost? (Set from knex's query-error event.) */
const lostDuringRequest = new AsyncLocalStorage<{ lost: boolean }>();

/**
 * A lost database answers 503 "retry", never a bare 500: its transaction did not commit, or — if the loss came after
 * the commit — sending the same request again is answered as a replay (every write is idempotent).
 * users-permissions' auth strategy turns any error, a lost database included, into "not authenticated": a 401 would
 * end a field-staff session during a database restart. So a 401 becomes a 503 when one of the request's queries failed
 * because the database was lost (a dropped connection, even if the database is back by now), or when the database
 * cannot answer a probe (refused connections never reach a query; the probe runs only on 401s, which are rare).
 */
export const databaseUnavailableIs503 = (strapi: Pick<Core.Strapi, 'db'>) => {
  strapi.db.connection.on('query-error', (err: unknown) => {
    const request = lostDuringRequest.getStore();
    if (request && isDatabaseUnavailable(err)) request.lost = true;
  });
  const sessionEndedByOutage = async (request: { lost: boolean }) => request.lost || !(await databaseAnswers(strapi));

  return (ctx: Context, next: Next) =>
    lostDuringRequest.run({ lost: false }, async () => {
      const request = lostDuringRequest.getStore()!;
      try {
        await next();
      } catch (err) {
        // A query of this request lost the database: whatever error that turned into further up, a retry is the answer.
        if (isDatabaseUnavailable(err) || request.lost) throw databaseUnavailable();
        if ((err as { status?: number }).status === 401 && (await sessionEndedByOutage(request))) throw databaseUnavailable();
        throw err;
      }
      if (ctx.status === 401 && (await sessionEndedByOutage(request))) throw databaseUnavailable();
    });
};
