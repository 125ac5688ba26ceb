/**
 * Every failure of a server call becomes an ApiError: a kind the code can branch on, a message a person can act on
 * (never raw JSON or a stack trace), the HTTP status and the server's error details (e.g. per-field errors).
 */
import type { CreateRecord } from '../../../cms/src/plugins/eas/shared/contracts/record';
import { t } from './messages';

export type ApiErrorKind =
  | 'offline'
  | 'timeout'
  | 'unauthorised'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'too-large'
  | 'unsupported'
  | 'invalid'
  | 'rate-limited'
  | 'busy'
  | 'server';

export class ApiError extends Error {
  constructor(
    readonly kind: ApiErrorKind,
    message: string,
    readonly status = 0,
    readonly details?: unknown
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface StrapiErrorBody {
  error?: { status?: number; name?: string; message?: string; details?: unknown };
}

const kindOf = (status: number): ApiErrorKind => {
  if (status === 401) return 'unauthorised';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 408) return 'timeout';
  if (status === 409) return 'conflict';
  if (status === 413) return 'too-large';
  if (status === 415) return 'unsupported';
  if (status === 429) return 'rate-limited';
  if (status === 503) return 'busy';
  if (status >= 400 && status < 500) return 'invalid';
  return 'server';
};

const MESSAGE_KINDS = [
  'otherUser',
  'offline',
  'timeout',
  'unauthorised',
  'forbidden',
  'not-found',
  'conflict',
  'too-large',
  'unsupported',
  'invalid',
  'rate-limited',
  'busy',
  'server',
] as const satisfies readonly (ApiErrorKind | 'otherUser')[];

/** Our words for each kind (catalogue `apiError.<kind>`), read in the person's language when used. */
export const DEFAULT_MESSAGES = Object.defineProperties(
  {} as Readonly<Record<(typeof MESSAGE_KINDS)[number], string>>,
  Object.fromEntries(MESSAGE_KINDS.map((kind) => [kind, { get: () => t(`apiError.${kind}`), enumerable: true }]))
);

/** Kinds whose message we always write ourselves: the server's text for them is not meant for people. */
const OWN_WORDING = new Set<ApiErrorKind>(['unauthorised', 'forbidden', 'rate-limited', 'busy', 'server', 'timeout']);

/** Maps a non-OK response to an ApiError (pure: takes the status and the parsed body). */
export const toApiError = (status: number, body: unknown): ApiError => {
  const kind = kindOf(status);
  const err = (body as StrapiErrorBody | null)?.error;
  const serverMessage = typeof err?.message === 'string' && err.message.trim() ? err.message : undefined;
  // Session, permission, rate limiting and server faults get our wording; other 4xx keep the server's message, which names the field or file.
  const message = OWN_WORDING.has(kind) || !serverMessage ? DEFAULT_MESSAGES[kind] : serverMessage;
  return new ApiError(kind, message, status, err?.details);
};

export const offlineError = () => new ApiError('offline', DEFAULT_MESSAGES.offline);

const RETRYABLE = new Set<ApiErrorKind>(['offline', 'timeout', 'rate-limited', 'busy', 'server']);

/**
 * Whether trying the same request again later can succeed: no connection, 408, 429 and 5xx. Other 4xx answers
 * (invalid data, a conflict, a refused file) will be answered the same way again, so they need a person.
 */
export const isRetryable = (err: unknown): boolean => err instanceof ApiError && RETRYABLE.has(err.kind);

export type RecordFieldError = CreateRecord.ErrorDetails['errors'][number];

/** The per-field errors of a 400 answer to POST /api/eas/records (empty when there are none). */
export const fieldErrorsOf = (err: unknown): RecordFieldError[] => {
  if (!(err instanceof ApiError)) return [];
  const errors = (err.details as Partial<CreateRecord.ErrorDetails> | undefined)?.errors;
  if (!Array.isArray(errors)) return [];
  return errors.filter(
    (e): e is RecordFieldError => typeof e === 'object' && e !== null && typeof e.key === 'string' && typeof e.message === 'string'
  );
};
