/**
 * Client-facing errors beyond Strapi's own classes. Strapi maps its ApplicationError subclasses to 400/401/403/404/
 * 413/429; for the other statuses we throw http-errors errors, which Strapi formats the same way:
 * { data: null, error: { status, name, message, details } }.
 */
import createError from 'http-errors';

const withDetails = (status: number, message: string, details: Record<string, unknown> = {}) =>
  Object.assign(createError(status, message), { details });

/** 409: the request conflicts with the current state (replayed clientId with other content, locked record…). */
export const conflict = (message: string, details?: Record<string, unknown>) => withDetails(409, message, details);

/** A unique index refused the write (PostgreSQL 23505, SQLite SQLITE_CONSTRAINT_UNIQUE): another request got there first. */
export const isUniqueViolation = (err: unknown) => {
  const e = err as { code?: string; message?: string } | null;
  return Boolean(e && (e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || /unique constraint/i.test(String(e.message))));
};
