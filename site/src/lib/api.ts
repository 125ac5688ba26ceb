/**
 * The capture site's API client: every server call of the README's "API" section, each failure turned into an
 * ApiError with a message a person can act on. Same origin as the site, so paths are relative.
 *
 * Access tokens are short-lived: a 401 triggers one POST /api/auth/refresh (the refresh token is an httpOnly cookie)
 * and the request is sent again with the new token; if that fails too, the caller gets an 'unauthorised' ApiError.
 */
import type { PointGroup } from 'signature_pad';
import type { GetForm, ListForms, PublishedForm } from '../../../cms/src/plugins/eas/shared/contracts/form';
import type {
  CreateRecord,
  ListRecords,
  PhotoMetadata,
  PutPhoto,
  PutSignature,
  RecordView,
  UpdateRecord,
} from '../../../cms/src/plugins/eas/shared/contracts/record';
import { ApiError, DEFAULT_MESSAGES, offlineError, toApiError } from './api-error';
import { tokenUserId } from './session';
import { defaultXhr, uploadWithProgress, type RawResponse, type XhrFactory } from './upload';

export { ApiError, fieldErrorsOf, isRetryable, toApiError, type ApiErrorKind, type RecordFieldError } from './api-error';
export { uploadWithProgress, type XhrFactory, type XhrLike } from './upload';

export interface ApiClientOptions {
  baseUrl?: string;
  fetch?: typeof fetch;
  getToken?: () => string | null;
  /**
   * The user this client works for. A refreshed token of anyone else (the refresh cookie is the browser's: another
   * person may have signed in since) is refused as 'unauthorised' and never used; new records name this user as
   * their owner, and the server refuses them if the token says otherwise.
   */
  expectedUserId?: () => number | null;
  /** Receives the new access token after a refresh, so the session can keep it. */
  onToken?: (jwt: string) => void;
  /** Transport for uploads with progress (defaults to XMLHttpRequest). */
  createXhr?: XhrFactory;
  /** Upper bound for one upload, in milliseconds (default 5 minutes). */
  uploadTimeoutMs?: number;
}

export interface SignedInUser {
  id: number;
  username: string;
  email: string;
}

/** A record answer, with whether the server made something new (201) or answered with what it had (200). */
export interface RecordResult {
  record: RecordView;
  created: boolean;
}

export interface PhotoUpload {
  /** The (downscaled) image that is stored; re-sending the same bytes is answered 200. */
  file: Blob;
  /** SHA-256 (hex) of the original capture, before downscaling. */
  originalSha256: string;
  metadata?: PhotoMetadata;
}

export interface SignatureUpload {
  /** PNG from signature_pad. */
  file: Blob;
  strokes: PointGroup[];
  signerName: string;
  consentText: string;
  /** ISO 8601 date-time. */
  signedAt: string;
  /** SHA-256 of the content the signer saw (lib/content-hash.ts). */
  contentHash: string;
}

export interface UploadOptions {
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

const AUTH_PATHS = ['/api/auth/local', '/api/auth/refresh', '/api/auth/logout'];

const parseJson = (text: string): unknown => {
  try {
    return text ? (JSON.parse(text) as unknown) : null;
  } catch {
    return null;
  }
};

const EXTENSIONS: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };
const fileName = (base: string, blob: Blob) => `${base}.${EXTENSIONS[blob.type] ?? 'jpg'}`;
const segment = encodeURIComponent;

export const createApiClient = ({
  baseUrl = '',
  fetch: doFetch = (...args: Parameters<typeof fetch>) => fetch(...args),
  getToken = () => null,
  expectedUserId = () => null,
  onToken,
  createXhr = defaultXhr,
  uploadTimeoutMs = 5 * 60_000,
}: ApiClientOptions = {}) => {
  const send = async (method: string, path: string, body: unknown, token: string | null): Promise<RawResponse> => {
    const headers: Record<string, string> = { Accept: 'application/json' };
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
      throw offlineError();
    }
    let text: string;
    try {
      text = await res.text();
    } catch {
      throw offlineError();
    }
    return { status: res.status, text };
  };

  let refreshing: Promise<string> | null = null;

  /** One refresh at a time: requests that get a 401 together share it. */
  const refresh = (): Promise<string> => {
    refreshing ??= (async () => {
      try {
        const res = await send('POST', '/api/auth/refresh', {}, null);
        const parsed = parseJson(res.text);
        // The server could not answer (database restarting, overloaded, rate limit): the session may be fine, so the
        // person stays signed in and the caller retries later. Only a refusal of the refresh token ends the session.
        if (res.status >= 500 || res.status === 429 || res.status === 408) throw toApiError(res.status, parsed);
        const jwt = (parsed as { jwt?: unknown } | null)?.jwt;
        if (res.status < 200 || res.status >= 300 || typeof jwt !== 'string' || !jwt) {
          throw new ApiError('unauthorised', DEFAULT_MESSAGES.unauthorised, 401);
        }
        const expected = expectedUserId();
        if (expected !== null && tokenUserId(jwt) !== expected) {
          throw new ApiError('unauthorised', DEFAULT_MESSAGES.otherUser, 401);
        }
        onToken?.(jwt);
        return jwt;
      } finally {
        refreshing = null;
      }
    })();
    return refreshing;
  };

  /**
   * Sends with the current token; on a 401 refreshes once and sends again. Two tabs that refresh at the same moment
   * present the same refresh token: the one that comes second is refused, but the first one's new token is then in
   * the shared session, so it is used instead of giving up.
   */
  const authorised = async (path: string, attempt: (token: string | null) => Promise<RawResponse>): Promise<RawResponse> => {
    const used = getToken();
    const res = await attempt(used);
    if (res.status !== 401 || AUTH_PATHS.includes(path)) return res;
    let jwt: string;
    try {
      jwt = await refresh();
    } catch (err) {
      const current = getToken();
      if (!(err instanceof ApiError && err.kind === 'unauthorised') || !current || current === used) throw err;
      jwt = current;
    }
    return attempt(jwt);
  };

  const toResult = <T>(res: RawResponse): T => {
    const parsed = parseJson(res.text);
    if (res.status < 200 || res.status >= 300) throw toApiError(res.status, parsed);
    return parsed as T;
  };

  const request = async <T>(method: string, path: string, body?: unknown): Promise<T> =>
    toResult<T>(await authorised(path, (token) => send(method, path, body, token)));

  const requestWithStatus = async <T>(method: string, path: string, body?: unknown) => {
    const res = await authorised(path, (token) => send(method, path, body, token));
    return { body: toResult<T>(res), status: res.status };
  };

  const upload = async (path: string, form: FormData, options: UploadOptions): Promise<RecordResult> => {
    const res = await authorised(path, (token) =>
      uploadWithProgress(
        {
          method: 'PUT',
          url: `${baseUrl}${path}`,
          body: form,
          headers: { Accept: 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
          onProgress: options.onProgress,
          signal: options.signal,
          timeoutMs: uploadTimeoutMs,
        },
        createXhr
      )
    );
    const body = toResult<PutPhoto.Response | PutSignature.Response>(res);
    return { record: body.data, created: res.status === 201 };
  };

  return {
    signIn: (identifier: string, password: string) =>
      request<{ jwt: string; user: SignedInUser }>('POST', '/api/auth/local', { identifier, password }),

    /** A new access token from the refresh cookie; 'unauthorised' when the person must sign in again. */
    refresh,

    /** Revokes this browser's refresh token on the server and clears its cookie. */
    logout: async (): Promise<void> => {
      await request<unknown>('POST', '/api/auth/logout', {});
    },

    listForms: async (): Promise<PublishedForm[]> => (await request<ListForms.Response>('GET', '/api/eas/forms')).data,

    getForm: async (slug: string): Promise<PublishedForm> =>
      (await request<GetForm.Response>('GET', `/api/eas/forms/${segment(slug)}`)).data,

    /** One version of a form, also when a newer one is published (a record is shown and fixed with its own version). */
    getFormVersion: async (slug: string, version: number): Promise<PublishedForm> =>
      (await request<GetForm.Response>('GET', `/api/eas/forms/${segment(slug)}/versions/${segment(String(version))}`)).data,

    /** The PDF receipt of one of the person's submitted records. */
    getReceiptPdf: async (documentId: string): Promise<{ blob: Blob; filename: string }> => {
      const path = `/api/eas/records/${segment(documentId)}/pdf`;
      let blob: Blob | null = null;
      let filename = 'receipt.pdf';
      const res = await authorised(path, async (token) => {
        let r: Response;
        try {
          r = await doFetch(`${baseUrl}${path}`, {
            headers: { Accept: 'application/pdf', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
            credentials: 'same-origin',
          });
        } catch {
          throw offlineError();
        }
        if (r.ok) {
          blob = await r.blob();
          filename = /filename="?([^";]+)"?/.exec(r.headers.get('Content-Disposition') ?? '')?.[1] ?? filename;
          return { status: r.status, text: '' };
        }
        return { status: r.status, text: await r.text().catch(() => '') };
      });
      if (!blob) throw toApiError(res.status, parseJson(res.text));
      return { blob, filename };
    },

    /** Idempotent by clientId: sending the same record again answers it with created = false. */
    createRecord: async (record: CreateRecord.Request): Promise<RecordResult> => {
      const owner = expectedUserId();
      const body_ = owner === null ? record : { ...record, owner };
      const { body, status } = await requestWithStatus<CreateRecord.Response>('POST', '/api/eas/records', body_);
      return { record: body.data, created: status === 201 };
    },

    listRecords: async (query: ListRecords.Query = {}): Promise<ListRecords.Response> => {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
      const qs = params.toString();
      return request<ListRecords.Response>('GET', `/api/eas/records${qs ? `?${qs}` : ''}`);
    },

    getRecord: async (documentId: string): Promise<RecordView> =>
      (await request<{ data: RecordView }>('GET', `/api/eas/records/${segment(documentId)}`)).data,

    /** Changes the data of a draft or rejected record (its signatures then endorse other content: give them again). */
    updateRecord: async (documentId: string, change: UpdateRecord.Request): Promise<RecordView> =>
      (await request<{ data: RecordView }>('PUT', `/api/eas/records/${segment(documentId)}`, change)).data,

    submitRecord: async (documentId: string): Promise<RecordView> =>
      (await request<{ data: RecordView }>('POST', `/api/eas/records/${segment(documentId)}/submit`)).data,

    putPhoto: (documentId: string, side: 'front' | 'back', photo: PhotoUpload, options: UploadOptions = {}) => {
      const form = new FormData();
      form.append('file', photo.file, fileName(side, photo.file));
      form.append('originalSha256', photo.originalSha256);
      if (photo.metadata) form.append('metadata', JSON.stringify(photo.metadata));
      return upload(`/api/eas/records/${segment(documentId)}/photos/${segment(side)}`, form, options);
    },

    putSignature: (documentId: string, slot: string, signature: SignatureUpload, options: UploadOptions = {}) => {
      const form = new FormData();
      form.append('file', signature.file, fileName(`signature-${slot}`, signature.file));
      form.append('strokes', JSON.stringify(signature.strokes));
      form.append('signerName', signature.signerName);
      form.append('consentText', signature.consentText);
      form.append('signedAt', signature.signedAt);
      form.append('contentHash', signature.contentHash);
      return upload(`/api/eas/records/${segment(documentId)}/signatures/${segment(slot)}`, form, options);
    },
  };
};

export type ApiClient = ReturnType<typeof createApiClient>;
