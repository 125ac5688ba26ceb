/**
 * Client-facing errors beyond Strapi's own classes. Strapi maps its ApplicationError subclasses to 400/401/403/404/
 * 413/429; for the other statuses we throw http-errors errors, which Strapi formats the same way:
 * { data: null, error: { status, name, message, details } }.
 *
 * Errors a client acts on carry a stable `details.code`; the messages below are the ones the API answers with.
 * A 401 or 403 thrown after authentication (in a policy or controller) must be an http-errors error: Strapi's
 * authorize step answers an UnauthorizedError/ForbiddenError thrown below it with a bare "Unauthorized"/"Forbidden",
 * dropping message and details (@strapi/core services/server/compose-endpoint).
 */
import { errors } from '@strapi/utils';
import createError from 'http-errors';

/**
 * Every `details.code` EAS answers with outside per-field validation (those are in shared/validation), with its status.
 * docs/api.md ("Error codes") lists the same table; a unit test keeps the two and the code in step.
 */
export const ERROR_CODES = {
  session_ended: 401,
  refresh_token_reused: 401,
  owner_mismatch: 403,
  unknown_form_version: 404,
  record_locked: 409,
  record_draft: 409,
  record_altered: 409,
  record_broken: 409,
  signature_content_mismatch: 409,
  signature_reused: 409,
  too_large: 413,
  heic: 415,
  unsupported_type: 415,
  polyglot: 415,
  empty: 422,
  corrupt: 422,
  too_many_pixels: 422,
  empty_signature: 422,
  too_many_attempts: 429,
  too_many_connections: 429,
  database_unavailable: 503,
  upload_queue_full: 503,
  pdf_unavailable: 503,
  tsa_unavailable: 503,
  tsa_invalid_response: 503,
  job_queue_unavailable: 503,
  xlsform_invalid: 400,
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

const withDetails = (status: number, message: string, details: Record<string, unknown> = {}) =>
  Object.assign(createError(status, message), { details });

/** 403: the signed-in administrator lacks a permission; the message names it. */
export const forbidden = (message: string) => withDetails(403, message);

/** 409: the request conflicts with the current state (replayed clientId with other content, locked record…). */
export const conflict = (message: string, details?: Record<string, unknown>) => withDetails(409, message, details);

/** A unique index refused the write (PostgreSQL 23505, SQLite SQLITE_CONSTRAINT_UNIQUE): another request got there first. */
export const isUniqueViolation = (err: unknown) => {
  const e = err as { code?: string; message?: string } | null;
  return Boolean(e && (e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || /unique constraint/i.test(String(e.message))));
};

export const SESSION_ENDED_MESSAGE = 'Your session has ended: sign in again';

/**
 * 401 `session_ended`: the access token is well signed and unexpired, but its session is gone (signed out, revoked
 * after a refresh-token reuse, the user blocked). Only EAS's field-staff routes check this (policies/active-session.ts).
 */
export const sessionEnded = () => withDetails(401, SESSION_ENDED_MESSAGE, { code: 'session_ended' });

export const REFRESH_TOKEN_REUSED_MESSAGE =
  'This sign-in was renewed already and is being used again, as a copied token would be: every session it led to has been ended. Sign in again';

/** 401 `refresh_token_reused`: a rotated refresh token presented after the grace window (services/session-guard.ts). */
export const refreshTokenReused = () => withDetails(401, REFRESH_TOKEN_REUSED_MESSAGE, { code: 'refresh_token_reused' });

/**
 * 403 `owner_mismatch`: a record sent by a phone for another person than the one signed in (a queue left on a shared
 * phone by the previous worker). Nothing is stored.
 */
export const ownerMismatch = (owner: number) =>
  withDetails(
    403,
    `This record was captured by another account (user ${owner}) than the one signed in: it is not stored under yours. Sign in as that person to send it`,
    { code: 'owner_mismatch', owner }
  );

/** 404 `unknown_form_version`. */
export const unknownFormVersion = (slug: string, version: number) =>
  new errors.NotFoundError(`The form "${slug}" has no version ${version}`, { code: 'unknown_form_version', form: slug, version });

/**
 * 429 `too_many_attempts`: more sign-in (registration, password, confirmation) attempts from this address than the
 * limit allows in the window (services/rate-limits.ts). The Retry-After header says when to try again.
 */
export const tooManyAttempts = (retryAfterSeconds: number, max: number, windowSeconds: number) =>
  withDetails(429, `Too many attempts from this address: at most ${max} every ${windowSeconds} s. Try again in ${retryAfterSeconds} s`, {
    code: 'too_many_attempts',
    retryAfterSeconds,
    max,
    windowSeconds,
  });

/** connect_error message of a socket refused by the cap on open sockets (services/socket-caps.ts). */
export const tooManySocketsMessage = (max: number, per: 'user' | 'address') => `too many connections: at most ${max} per ${per}`;

/** 503 `job_queue_unavailable`: a background job could not be queued (Redis unreachable); nothing was started. */
export const jobQueueUnavailable = (reason: string) =>
  withDetails(503, `Background jobs cannot be queued right now (${reason}); try again in a moment`, { code: 'job_queue_unavailable' });

/**
 * 503 `tsa_unavailable` / `tsa_invalid_response`: the evidence PDF could not get its trusted timestamp (utils/tsa-client.ts);
 * no unsealed PDF is handed out.
 */
export const sealUnavailable = (code: string, reason: string) =>
  withDetails(503, `The evidence PDF could not be sealed: ${reason}. No unsealed PDF is handed out; try again in a moment`, { code });

/** 409 `record_draft`: a field-staff PDF receipt asked for a record that is still a draft. */
export const recordIsDraft = (reference: string) =>
  withDetails(409, `Record ${reference} is still a draft; its PDF exists once it is submitted`, { code: 'record_draft' });

/** 503 `pdf_unavailable`: the PDF renderer (Chromium) is missing, busy past its queue or timed out. */
/** 400: an XLSForm that cannot be imported, with every problem (sheet, row, column, message). Nothing is created. */
export const xlsformInvalid = (problems: { sheet: string; row?: number; column?: string; message: string }[]) =>
  withDetails(
    400,
    `The XLSForm cannot be imported: ${problems.length} problem${problems.length === 1 ? '' : 's'} (${problems
      .slice(0, 3)
      .map((p) => `${p.sheet}${p.row ? ` row ${p.row}` : ''}${p.column ? ` column ${p.column}` : ''}: ${p.message}`)
      .join('; ')}${problems.length > 3 ? '; …' : ''})`,
    { code: 'xlsform_invalid', problems }
  );

export const pdfUnavailable = (reason: string) => withDetails(503, reason, { code: 'pdf_unavailable' });

/** 503 `database_unavailable`: the database did not answer (middlewares/database-unavailable.ts); sending again is safe. */
export const databaseUnavailable = () =>
  withDetails(503, 'The database is unavailable right now. Please send this again in a moment: sending it again is safe.', {
    code: 'database_unavailable',
  });

/** 413/415/422 with the image pipeline's code (utils/image-processing.ts MediaRejectedError): the file is refused. */
export const mediaRejected = (status: 413 | 415 | 422, code: string, message: string) => withDetails(status, message, { code });

/** 503 `upload_queue_full`: more photos are being processed than the queue holds; Retry-After says when to send again. */
export const uploadQueueFull = (message: string, retryAfterSeconds = 5) =>
  withDetails(503, message, { code: 'upload_queue_full', retryAfterSeconds });
