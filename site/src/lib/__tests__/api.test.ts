import { describe, expect, it } from 'vitest';
import type { RecordView } from '../../../../cms/src/plugins/eas/shared/contracts/record';
import { ApiError, createApiClient, fieldErrorsOf, isRetryable, toApiError, uploadWithProgress, type XhrLike } from '../api';

const respond = (status: number, body: unknown) => async () =>
  new Response(body === undefined ? '' : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

describe('toApiError', () => {
  it('keeps the server message for a 400 so the person sees which field is wrong', () => {
    const err = toApiError(400, { error: { status: 400, message: 'data.age: must be at most 120' } });
    expect(err.kind).toBe('invalid');
    expect(err.message).toBe('data.age: must be at most 120');
  });

  it('tells the person to wait when rate limited', () => {
    const err = toApiError(429, { error: { message: 'Too many requests, please try again later.' } });
    expect(err.kind).toBe('rate-limited');
    expect(err.message).toMatch(/wait a minute/);
  });

  it('never shows a raw server fault', () => {
    const err = toApiError(500, { error: { message: 'TypeError: cannot read properties of undefined' } });
    expect(err.kind).toBe('server');
    expect(err.message).not.toMatch(/TypeError/);
  });

  it('maps 401 to an expired session', () => {
    expect(toApiError(401, null).kind).toBe('unauthorised');
  });
});

describe('createApiClient', () => {
  it('sends the token and returns the forms', async () => {
    const seen: RequestInit[] = [];
    const client = createApiClient({
      getToken: () => 'tok',
      fetch: (async (_url: string, init: RequestInit) => {
        seen.push(init);
        return respond(200, { data: [{ slug: 'a', name: 'A', version: 1 }] })();
      }) as unknown as typeof fetch,
    });
    const forms = await client.listForms();
    expect(forms.map((f) => f.slug)).toEqual(['a']);
    expect((seen[0].headers as Record<string, string>).Authorization).toBe('Bearer tok');
  });

  it('reports wrong credentials with the server message', async () => {
    const client = createApiClient({
      fetch: respond(400, { error: { status: 400, message: 'Invalid identifier or password' } }) as unknown as typeof fetch,
    });
    await expect(client.signIn('a', 'b')).rejects.toMatchObject({ kind: 'invalid', message: 'Invalid identifier or password' });
  });

  it('reports a network failure as offline, not as a crash', async () => {
    const client = createApiClient({
      fetch: (async () => {
        throw new TypeError('Failed to fetch');
      }) as unknown as typeof fetch,
    });
    const err = await client.listForms().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).kind).toBe('offline');
  });
});

interface Sent {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: FormData;
  withCredentials: boolean;
}

/** A scripted XMLHttpRequest: reports progress in quarters, then answers with the next planned response. */
const fakeXhr = (answers: { status: number; body?: unknown; network?: 'error' | 'timeout' }[]) => {
  const sent: Sent[] = [];
  const create = (): XhrLike => {
    const xhr: XhrLike & { headers: Record<string, string>; method: string; url: string } = {
      headers: {},
      method: '',
      url: '',
      withCredentials: false,
      timeout: 0,
      status: 0,
      responseText: '',
      upload: { onprogress: null },
      onload: null,
      onerror: null,
      ontimeout: null,
      onabort: null,
      open(method, url) {
        xhr.method = method;
        xhr.url = url;
      },
      setRequestHeader(name, value) {
        xhr.headers[name] = value;
      },
      abort() {
        xhr.onabort?.();
      },
      send(body) {
        sent.push({ method: xhr.method, url: xhr.url, headers: xhr.headers, body, withCredentials: xhr.withCredentials });
        const answer = answers.shift() ?? { status: 500 };
        queueMicrotask(() => {
          for (const loaded of [25, 50, 75, 100]) xhr.upload.onprogress?.({ loaded, total: 100, lengthComputable: true });
          if (answer.network === 'error') return xhr.onerror?.();
          if (answer.network === 'timeout') return xhr.ontimeout?.();
          Object.assign(xhr, { status: answer.status, responseText: answer.body === undefined ? '' : JSON.stringify(answer.body) });
          xhr.onload?.();
        });
      },
    };
    return xhr;
  };
  return { create, sent };
};

const record = (overrides: Partial<RecordView> = {}): RecordView => ({
  documentId: 'doc1',
  reference: 'EAS-2026-000001',
  clientId: '8b0f7d3e-4a51-4f44-9d7e-3a9f0c8f2d11',
  form: { slug: 'inspection', name: 'Inspection', version: 1 },
  status: 'draft',
  data: {},
  capturedAt: '2026-05-01T09:30:00.000Z',
  submittedAt: null,
  reviewedAt: null,
  reviewComment: null,
  location: null,
  createdAt: '2026-05-01T09:31:00.000Z',
  updatedAt: '2026-05-01T09:31:00.000Z',
  missing: { photos: [], signatures: [], staleSignatures: [] },
  contentHash: 'c'.repeat(64),
  photos: [],
  signatures: [],
  integrityHash: null,
  redactedAt: null,
  summary: null,
  ...overrides,
});

type FetchCall = { url: string; init: RequestInit };
const scriptedFetch = (answers: (() => Response | Promise<Response>)[]) => {
  const calls: FetchCall[] = [];
  const fn = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const next = answers.shift();
    if (!next) throw new Error(`unexpected request ${init.method} ${url}`);
    return next();
  }) as unknown as typeof fetch;
  return { fn, calls };
};
const authOf = (call: FetchCall) => (call.init.headers as Record<string, string>).Authorization;

describe('session renewal', () => {
  it('renews an expired session once and sends the request again with the new token', async () => {
    let token = 'old';
    const { fn, calls } = scriptedFetch([
      respond(401, { error: { message: 'Expired' } }),
      respond(200, { jwt: 'new' }),
      respond(200, { data: [] }),
    ]);
    const client = createApiClient({ fetch: fn, getToken: () => token, onToken: (jwt) => (token = jwt) });
    await expect(client.listForms()).resolves.toEqual([]);
    expect(calls.map((c) => `${c.init.method} ${c.url}`)).toEqual(['GET /api/eas/forms', 'POST /api/auth/refresh', 'GET /api/eas/forms']);
    expect(calls[1].init.credentials).toBe('same-origin');
    expect(calls[1].init.body).toBe('{}');
    expect(authOf(calls[0])).toBe('Bearer old');
    expect(authOf(calls[2])).toBe('Bearer new');
    expect(token).toBe('new');
  });

  it('asks the person to sign in again when the session cannot be renewed', async () => {
    const { fn, calls } = scriptedFetch([respond(401, null), respond(401, { error: { message: 'Invalid refresh token' } })]);
    const client = createApiClient({ fetch: fn, getToken: () => 'old' });
    await expect(client.getRecord('doc1')).rejects.toMatchObject({
      kind: 'unauthorised',
      message: 'Your session has ended. Please sign in again.',
    });
    expect(calls).toHaveLength(2);
  });

  it('keeps the session when the server cannot renew it right now (database restarting)', async () => {
    const { fn, calls } = scriptedFetch([
      respond(401, null),
      respond(503, {
        error: {
          status: 503,
          message: 'The database is unavailable right now. Please send this again in a moment: sending it again is safe.',
        },
      }),
    ]);
    const client = createApiClient({ fetch: fn, getToken: () => 'old' });
    await expect(client.listForms()).rejects.toMatchObject({ kind: 'busy', status: 503 });
    expect(calls).toHaveLength(2);
  });

  it('does not loop when the renewed token is refused too', async () => {
    const { fn, calls } = scriptedFetch([respond(401, null), respond(200, { jwt: 'new' }), respond(401, null)]);
    const client = createApiClient({ fetch: fn, getToken: () => 'old' });
    await expect(client.listForms()).rejects.toMatchObject({ kind: 'unauthorised' });
    expect(calls).toHaveLength(3);
  });

  it('renews only once when several requests expire together', async () => {
    let refreshes = 0;
    const fn = (async (url: string, init: RequestInit) => {
      if (url === '/api/auth/refresh') {
        refreshes++;
        await new Promise((r) => setTimeout(r, 5));
        return respond(200, { jwt: 'new' })();
      }
      const auth = (init.headers as Record<string, string>).Authorization;
      return auth === 'Bearer new' ? respond(200, { data: record() })() : respond(401, null)();
    }) as unknown as typeof fetch;
    let token = 'old';
    const client = createApiClient({ fetch: fn, getToken: () => token, onToken: (jwt) => (token = jwt) });
    await Promise.all([client.getRecord('doc1'), client.getRecord('doc1'), client.getRecord('doc1')]);
    expect(refreshes).toBe(1);
  });

  const jwtOf = (id: number) => `h.${Buffer.from(JSON.stringify({ id })).toString('base64url')}.s`;

  it('refuses a renewed token of another person (someone else signed in on this browser) and never uses it', async () => {
    const kept: string[] = [];
    const { fn, calls } = scriptedFetch([respond(401, null), respond(200, { jwt: jwtOf(2) })]);
    const client = createApiClient({ fetch: fn, getToken: () => jwtOf(1), expectedUserId: () => 1, onToken: (jwt) => kept.push(jwt) });
    await expect(client.getRecord('doc1')).rejects.toMatchObject({
      kind: 'unauthorised',
      message: 'Someone else signed in on this browser. Sign in again to send your records.',
    });
    expect(kept).toEqual([]);
    expect(calls.map((c) => c.url)).toEqual(['/api/eas/records/doc1', '/api/auth/refresh']);
  });

  it('uses the token another tab renewed a moment earlier when its own renewal comes second', async () => {
    let shared = 'old';
    const { fn, calls } = scriptedFetch([
      respond(401, null),
      async () => {
        // The other tab renewed first: its new token is in the shared session, and the old refresh token is spent.
        shared = 'from-other-tab';
        return respond(401, { error: { message: 'Invalid refresh token' } })();
      },
      respond(200, { data: record() }),
    ]);
    const client = createApiClient({ fetch: fn, getToken: () => shared });
    await expect(client.getRecord('doc1')).resolves.toMatchObject({ documentId: record().documentId });
    expect(authOf(calls[2])).toBe('Bearer from-other-tab');
  });

  it('never tries to renew a refused sign-in', async () => {
    const { fn, calls } = scriptedFetch([respond(401, null)]);
    const client = createApiClient({ fetch: fn });
    await expect(client.signIn('a', 'b')).rejects.toMatchObject({ kind: 'unauthorised' });
    expect(calls).toHaveLength(1);
  });
});

describe('records', () => {
  const body = {
    clientId: record().clientId,
    form: 'inspection',
    formVersion: 1,
    data: { site: 'A' },
    capturedAt: '2026-05-01T09:30:00.000Z',
  };

  it('names the person it works for as the owner of a new record', async () => {
    const { fn, calls } = scriptedFetch([respond(201, { data: record() })]);
    const client = createApiClient({ fetch: fn, getToken: () => 't', expectedUserId: () => 7 });
    await client.createRecord(body);
    expect(JSON.parse(String(calls[0].init.body))).toEqual({ ...body, owner: 7 });
  });

  it('tells a new record (201) from the same record sent again (200)', async () => {
    const { fn, calls } = scriptedFetch([respond(201, { data: record() }), respond(200, { data: record() })]);
    const client = createApiClient({ fetch: fn });
    expect((await client.createRecord(body)).created).toBe(true);
    const again = await client.createRecord(body);
    expect(again).toMatchObject({ created: false, record: { documentId: 'doc1' } });
    expect(JSON.parse(String(calls[0].init.body))).toEqual(body);
  });

  it('gives every invalid field with its message on a 400', async () => {
    const errors = [{ path: ['data', 'site'], key: 'site', code: 'required', message: 'Site name is required' }];
    const { fn } = scriptedFetch([
      respond(400, {
        data: null,
        error: { status: 400, name: 'ValidationError', message: 'data.site: Site name is required', details: { errors } },
      }),
    ]);
    const err = await createApiClient({ fetch: fn })
      .createRecord(body)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'invalid', message: 'data.site: Site name is required' });
    expect(fieldErrorsOf(err)).toEqual(errors);
    expect(isRetryable(err)).toBe(false);
  });

  it('reports a reused clientId as a conflict', async () => {
    const { fn } = scriptedFetch([respond(409, { error: { message: 'clientId already used for a different record' } })]);
    await expect(createApiClient({ fetch: fn }).createRecord(body)).rejects.toMatchObject({ kind: 'conflict', status: 409 });
  });

  it('builds the list query, and encodes ids in paths', async () => {
    const { fn, calls } = scriptedFetch([
      respond(200, { data: [], meta: { pagination: { page: 2, pageSize: 10, pageCount: 2, total: 11 } } }),
      respond(200, { data: record({ status: 'submitted' }) }),
      respond(200, { data: { slug: 'a b', name: 'A', version: 1, publishedAt: '', definition: {} } }),
    ]);
    const client = createApiClient({ fetch: fn });
    await client.listRecords({ page: 2, pageSize: 10, status: 'draft' });
    expect((await client.submitRecord('doc/1')).status).toBe('submitted');
    await client.getForm('a b');
    expect(calls.map((c) => `${c.init.method} ${c.url}`)).toEqual([
      'GET /api/eas/records?page=2&pageSize=10&status=draft',
      'POST /api/eas/records/doc%2F1/submit',
      'GET /api/eas/forms/a%20b',
    ]);
  });
});

describe('uploads', () => {
  const photo = {
    file: new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xe0])], { type: 'image/jpeg' }),
    originalSha256: 'ab'.repeat(32),
    metadata: { device: 'TestPhone X1', orientation: 6 },
  };

  it('reports the progress of a photo from 0 to 1 and sends the multipart fields', async () => {
    const xhr = fakeXhr([{ status: 201, body: { data: record({ photos: [] }) } }]);
    const client = createApiClient({ createXhr: xhr.create, getToken: () => 'tok' });
    const progress: number[] = [];
    const result = await client.putPhoto('doc1', 'front', photo, { onProgress: (p) => progress.push(p) });
    expect(result.created).toBe(true);
    expect(progress[0]).toBe(0);
    expect(progress.at(-1)).toBe(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    const [sent] = xhr.sent;
    expect(sent).toMatchObject({ method: 'PUT', url: '/api/eas/records/doc1/photos/front', withCredentials: true });
    expect(sent.headers.Authorization).toBe('Bearer tok');
    expect(sent.body.get('originalSha256')).toBe(photo.originalSha256);
    expect(JSON.parse(String(sent.body.get('metadata')))).toEqual(photo.metadata);
    expect((sent.body.get('file') as File).name).toBe('front.jpg');
  });

  it('sends a signature with its strokes, signer, consent and the content hash it endorses', async () => {
    const xhr = fakeXhr([{ status: 200, body: { data: record() } }]);
    const strokes = [
      {
        points: [{ x: 1, y: 2, time: 3, pressure: 0.5 }],
        dotSize: 0,
        minWidth: 0.5,
        maxWidth: 2.5,
        penColor: 'black',
        velocityFilterWeight: 0.7,
        compositeOperation: 'source-over' as const,
      },
    ];
    const result = await createApiClient({ createXhr: xhr.create }).putSignature('doc1', 'inspector', {
      file: new Blob([new Uint8Array([0x89, 0x50])], { type: 'image/png' }),
      strokes,
      signerName: 'Ada',
      consentText: 'I agree.',
      signedAt: '2026-05-01T09:40:00.000Z',
      contentHash: 'd'.repeat(64),
    });
    expect(result.created).toBe(false);
    const form = xhr.sent[0].body;
    expect(xhr.sent[0].url).toBe('/api/eas/records/doc1/signatures/inspector');
    expect(JSON.parse(String(form.get('strokes')))).toEqual(strokes);
    expect([form.get('signerName'), form.get('consentText'), form.get('signedAt'), form.get('contentHash')]).toEqual([
      'Ada',
      'I agree.',
      '2026-05-01T09:40:00.000Z',
      'd'.repeat(64),
    ]);
  });

  it('renews the session during an upload and sends the same file again', async () => {
    const xhr = fakeXhr([{ status: 401 }, { status: 200, body: { data: record() } }]);
    const { fn } = scriptedFetch([respond(200, { jwt: 'new' })]);
    let token = 'old';
    const client = createApiClient({ fetch: fn, createXhr: xhr.create, getToken: () => token, onToken: (t) => (token = t) });
    await client.putPhoto('doc1', 'back', photo);
    expect(xhr.sent.map((s) => s.headers.Authorization)).toEqual(['Bearer old', 'Bearer new']);
    expect(xhr.sent[1].body.get('file')).toBeTruthy();
  });

  it('tells a busy server (retry later) from a refused file (choose another)', async () => {
    const xhr = fakeXhr([
      { status: 503, body: { error: { message: 'Image processing queue is full' } } },
      { status: 415, body: { error: { message: '"front.jpg" is HEIC/HEIF; send a JPEG' } } },
      { status: 413, body: { error: { message: '"front.jpg" is larger than 20 MB' } } },
    ]);
    const client = createApiClient({ createXhr: xhr.create });
    const busy = await client.putPhoto('doc1', 'front', photo).catch((e: unknown) => e);
    expect(busy).toMatchObject({ kind: 'busy', status: 503 });
    expect((busy as Error).message).toMatch(/busy/);
    expect(isRetryable(busy)).toBe(true);
    const heic = await client.putPhoto('doc1', 'front', photo).catch((e: unknown) => e);
    expect(heic).toMatchObject({ kind: 'unsupported', message: '"front.jpg" is HEIC/HEIF; send a JPEG' });
    expect(isRetryable(heic)).toBe(false);
    const big = await client.putPhoto('doc1', 'front', photo).catch((e: unknown) => e);
    expect(big).toMatchObject({ kind: 'too-large', message: '"front.jpg" is larger than 20 MB' });
  });

  it('reports a lost connection during an upload as offline, and a stalled one as a timeout', async () => {
    const xhr = fakeXhr([
      { status: 0, network: 'error' },
      { status: 0, network: 'timeout' },
    ]);
    const client = createApiClient({ createXhr: xhr.create });
    const lost = await client.putPhoto('doc1', 'front', photo).catch((e: unknown) => e);
    expect(lost).toMatchObject({ kind: 'offline' });
    const stalled = await client.putPhoto('doc1', 'front', photo).catch((e: unknown) => e);
    expect(stalled).toMatchObject({ kind: 'timeout' });
    expect([lost, stalled].every(isRetryable)).toBe(true);
  });

  it('can be cancelled', async () => {
    const xhr = fakeXhr([{ status: 200, body: {} }]);
    const controller = new AbortController();
    controller.abort();
    await expect(
      uploadWithProgress({ method: 'PUT', url: '/x', body: new FormData(), signal: controller.signal }, xhr.create)
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(xhr.sent).toHaveLength(0);
  });
});

describe('isRetryable', () => {
  it('retries only what can succeed later: no connection, 408, 429 and 5xx', () => {
    const verdicts = [400, 401, 403, 404, 408, 409, 413, 415, 422, 429, 500, 502, 503, 504].map((s) => [
      s,
      isRetryable(toApiError(s, null)),
    ]);
    expect(Object.fromEntries(verdicts)).toEqual({
      400: false,
      401: false,
      403: false,
      404: false,
      408: true,
      409: false,
      413: false,
      415: false,
      422: false,
      429: true,
      500: true,
      502: true,
      503: true,
      504: true,
    });
    expect(isRetryable(new ApiError('offline', 'x'))).toBe(true);
    expect(isRetryable(new Error('bug'))).toBe(false);
  });
});
