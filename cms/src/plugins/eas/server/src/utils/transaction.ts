import type { Core } from '@strapi/strapi';

/**
 * `strapi.db.transaction`, failing when the COMMIT failed. knex reports a COMMIT that met a lost connection only
 * through the transaction's `executionPromise`: the commit call itself resolves, so Strapi's transaction returns as if
 * everything was saved, and the caller would answer 201 for a record that is not in the database (seen in the
 * database-restart drill). Thrown here, the COMMIT's error becomes a 503 "send this again", which is safe: nothing
 * was written. A nested call runs inside the outer transaction, whose own top-level call checks the COMMIT.
 */
export const transaction = async <T>(strapi: Pick<Core.Strapi, 'db'>, work: () => Promise<T>): Promise<T> => {
  if (strapi.db.inTransaction()) return strapi.db.transaction(() => work());
  let execution: Promise<unknown> | undefined;
  const result = await strapi.db.transaction(({ trx }) => {
    execution = (trx as { executionPromise?: Promise<unknown> }).executionPromise;
    return work();
  });
  await execution;
  return result;
};
