/** What an admin API call's error says (Strapi answers `{ data: null, error: { status, name, message, details } }`). */
export interface ApiError {
  status?: number;
  message?: string;
  code?: string;
}

interface ErrorBody {
  status?: number;
  message?: string;
  details?: { code?: string; errors?: { path: string[]; message: string }[] };
}

const errorBody = (err: unknown): ErrorBody | undefined => (err as { response?: { data?: { error?: ErrorBody } } }).response?.data?.error;

export const apiError = (err: unknown): ApiError => {
  const error = errorBody(err);
  return { status: error?.status, message: error?.message, code: error?.details?.code };
};

/** Messages by field, for showing each next to the field it names; '' holds what names no field. */
export type FieldErrors = Record<string, string>;

/**
 * A 400's messages by field (details.errors[].path, as controllers/validation/parse.ts lists them). With `top`, by
 * the path's first part ("events.0" → "events") and without the "path: " the message starts with, since it is shown
 * under that field; otherwise by the whole path and as sent.
 */
export const fieldErrors = (err: unknown, fallback: string, { top = false } = {}): FieldErrors => {
  const error = errorBody(err);
  const out: FieldErrors = {};
  for (const e of error?.details?.errors ?? []) {
    const path = e.path.join('.');
    const key = top ? (e.path[0] ?? '') : path;
    out[key] ??= top && path && e.message.startsWith(`${path}: `) ? e.message.slice(path.length + 2) : e.message;
  }
  if (!Object.keys(out).length) out[''] = error?.message ?? fallback;
  return out;
};
