/**
 * The capture site's API client: one fetch wrapper that turns every failure into an ApiError with a message a
 * person can act on. Same origin as the site, so paths are relative.
 */
import type { PublishedForm } from '../../../cms/src/plugins/eas/shared/contracts/form';

export type ApiErrorKind = 'offline' | 'unauthorised' | 'forbidden' | 'not-found' | 'invalid' | 'rate-limited' | 'server';

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
  if (status === 429) return 'rate-limited';
  if (status >= 400 && status < 500) return 'invalid';
  return 'server';
};

const DEFAULT_MESSAGES: Record<ApiErrorKind, string> = {
  offline: 'No connection to the server. Your work is kept on this device.',
  unauthorised: 'Your session has ended. Please sign in again.',
  forbidden: 'Your account is not allowed to do this.',
  'not-found': 'Not found.',
  invalid: 'The server refused the request.',
  'rate-limited': 'Too many attempts. Please wait a minute and try again.',
  server: 'The server had a problem. Please try again later.',
};

/** Maps a non-OK response to an ApiError (pure: takes the status and the parsed body). */
export const toApiError = (status: number, body: unknown): ApiError => {
  const kind = kindOf(status);
  const err = (body as StrapiErrorBody | null)?.error;
  const serverMessage = typeof err?.message === 'string' && err.message.trim() ? err.message : undefined;
  // Rate limiting and server faults get our wording; 4xx keep the server's message, which names the field.
  const message = kind === 'rate-limited' || kind === 'server' || !serverMessage ? DEFAULT_MESSAGES[kind] : serverMessage;
  return new ApiError(kind, message, status, err?.details);
};

export interface ApiClientOptions {
  baseUrl?: string;
  fetch?: typeof fetch;
  getToken?: () => string | null;
}

export const createApiClient = ({ baseUrl = '', fetch: doFetch = fetch, getToken = () => null }: ApiClientOptions = {}) => {
  const request = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const token = getToken();
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      res = await doFetch(`${baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'same-origin',
      });
    } catch {
      throw new ApiError('offline', DEFAULT_MESSAGES.offline);
    }
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = null;
    }
    if (!res.ok) throw toApiError(res.status, parsed);
    return parsed as T;
  };

  return {
    signIn: (identifier: string, password: string) =>
      request<{ jwt: string; user: { id: number; username: string; email: string } }>('POST', '/api/auth/local', {
        identifier,
        password,
      }),
    listForms: async () => (await request<{ data: PublishedForm[] }>('GET', '/api/eas/forms')).data,
  };
};

export type ApiClient = ReturnType<typeof createApiClient>;
