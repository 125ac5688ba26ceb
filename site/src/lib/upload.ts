/**
 * Multipart uploads with progress. fetch cannot report upload progress, so this uses an XMLHttpRequest — behind a
 * small interface, so tests (and other runtimes) can pass their own transport.
 */
import { ApiError, DEFAULT_MESSAGES, offlineError } from './api-error';

export interface ProgressEventLike {
  loaded: number;
  total: number;
  lengthComputable: boolean;
}

/** The part of XMLHttpRequest used here. */
export interface XhrLike {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  send(body: FormData): void;
  abort(): void;
  withCredentials: boolean;
  timeout: number;
  readonly status: number;
  readonly responseText: string;
  readonly upload: { onprogress: ((event: ProgressEventLike) => void) | null };
  onload: (() => void) | null;
  onerror: (() => void) | null;
  ontimeout: (() => void) | null;
  onabort: (() => void) | null;
}

export type XhrFactory = () => XhrLike;

export interface UploadRequest {
  method: 'PUT' | 'POST';
  url: string;
  body: FormData;
  headers?: Record<string, string>;
  /** Called with 0..1 as the body is sent, and with 1 when the server has answered. */
  onProgress?: (fraction: number) => void;
  /** Milliseconds; 0 = no limit. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** What came back: the status and the body text; the caller decides what is an error. */
export interface RawResponse {
  status: number;
  text: string;
}

export const defaultXhr: XhrFactory = () => new XMLHttpRequest() as unknown as XhrLike;

const clamp01 = (n: number) => (Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : 0);

/**
 * Sends one multipart request and resolves with the raw answer, whatever its status. Rejects with an ApiError
 * 'offline' when the connection failed, 'timeout' when it took too long, and an AbortError when aborted.
 */
export const uploadWithProgress = (request: UploadRequest, createXhr: XhrFactory = defaultXhr): Promise<RawResponse> =>
  new Promise<RawResponse>((resolve, reject) => {
    if (request.signal?.aborted) {
      reject(new DOMException('The upload was cancelled.', 'AbortError'));
      return;
    }
    const xhr = createXhr();
    let last = -1;
    const report = (fraction: number) => {
      const f = clamp01(fraction);
      // Never go backwards and never repeat: the UI gets a monotonic bar.
      if (f <= last) return;
      last = f;
      request.onProgress?.(f);
    };
    const onAbortSignal = () => xhr.abort();
    const done = () => request.signal?.removeEventListener('abort', onAbortSignal);

    xhr.open(request.method, request.url);
    xhr.withCredentials = true;
    xhr.timeout = request.timeoutMs ?? 0;
    for (const [name, value] of Object.entries(request.headers ?? {})) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => {
      // The last few percent are only known when the server answers; keep them for onload.
      if (event.lengthComputable && event.total > 0) report(Math.min(event.loaded / event.total, 0.99));
    };
    xhr.onload = () => {
      done();
      // A status of 0 means the browser got no HTTP answer (CORS, connection reset).
      if (xhr.status === 0) {
        reject(offlineError());
        return;
      }
      report(1);
      resolve({ status: xhr.status, text: xhr.responseText ?? '' });
    };
    xhr.onerror = () => {
      done();
      reject(offlineError());
    };
    xhr.ontimeout = () => {
      done();
      reject(new ApiError('timeout', DEFAULT_MESSAGES.timeout));
    };
    xhr.onabort = () => {
      done();
      reject(new DOMException('The upload was cancelled.', 'AbortError'));
    };
    request.signal?.addEventListener('abort', onAbortSignal);
    report(0);
    xhr.send(request.body);
  });
