import type { Context } from 'koa';
import { describe, expect, it } from 'vitest';
import observeRequests from '../observe-requests';

/** A Koa context as far as the middleware reads and writes it. */
const contextFor = (method: string, matchedRoute: string | undefined, headers: Record<string, string> = {}, proxy = false) => {
  const responseHeaders: Record<string, string> = {};
  return {
    method,
    _matchedRoute: matchedRoute,
    app: { proxy },
    state: {} as Record<string, unknown>,
    status: 404,
    body: undefined as unknown,
    get: (name: string) => headers[name.toLowerCase()] ?? '',
    set: (name: string, value: string) => void (responseHeaders[name.toLowerCase()] = value),
    responseHeaders,
  };
};

/** The middleware with a recording metrics service and logger. */
const setUp = () => {
  const calls = {
    requests: [] as unknown[],
    uploads: [] as unknown[],
    submissions: 0,
    logs: [] as { message: string; meta: Record<string, unknown> }[],
  };
  const metrics = {
    observeRequest: (labels: unknown) => calls.requests.push(labels),
    observeUpload: (kind: string, status: number) => calls.uploads.push([kind, status]),
    observeSubmissionRequest: () => void calls.submissions++,
  };
  const strapi = {
    plugin: () => ({ service: () => metrics }),
    log: { http: (message: string, meta: Record<string, unknown>) => calls.logs.push({ message, meta }) },
  };
  const middleware = observeRequests(undefined, { strapi: strapi as never });
  const run = async (ctx: ReturnType<typeof contextFor>, answer: (c: typeof ctx) => void) => {
    await middleware(ctx as unknown as Context, async () => answer(ctx));
    return ctx;
  };
  return { calls, run };
};

describe('observe-requests', () => {
  it("puts the request id in the header and in an error answer's JSON", async () => {
    const { run } = setUp();
    const ctx = await run(contextFor('GET', '/api/eas/records/:documentId'), (c) => {
      c.status = 404;
      c.body = { data: null, error: { status: 404, name: 'NotFoundError', message: 'No such record', details: {} } };
    });
    const id = ctx.responseHeaders['x-request-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(ctx.state.requestId).toBe(id);
    expect((ctx.body as { error: { requestId: string } }).error.requestId).toBe(id);
  });

  it('leaves successful answers and non-JSON bodies alone', async () => {
    const { run } = setUp();
    const ok = await run(contextFor('GET', '/api/eas/forms'), (c) => {
      c.status = 200;
      c.body = { data: [], error: { note: 'a field of the data, not an error' } };
    });
    expect(ok.body).toEqual({ data: [], error: { note: 'a field of the data, not an error' } });
    const text = await run(contextFor('GET', undefined), (c) => {
      c.status = 404;
      c.body = 'Not Found';
    });
    expect(text.body).toBe('Not Found');
  });

  it('labels by route pattern, counts uploads by kind and only real submissions, and logs one line without the URL', async () => {
    const { calls, run } = setUp();
    await run(contextFor('PUT', '/api/eas/records/:documentId/photos/:side'), (c) => void (c.status = 201));
    await run(contextFor('PUT', '/api/eas/records/:documentId/signatures/:slot'), (c) => void (c.status = 409));
    await run(contextFor('POST', '/api/eas/records'), (c) => {
      c.status = 201;
      c.body = { data: { status: 'submitted' } };
    });
    await run(contextFor('POST', '/api/eas/records'), (c) => {
      c.status = 201;
      c.body = { data: { status: 'draft' } };
    });
    await run(contextFor('POST', '/api/eas/records'), (c) => {
      c.status = 200; // a replayed create: submitted before, not by this request
      c.body = { data: { status: 'submitted' } };
    });
    await run(contextFor('POST', '/api/eas/records/:documentId/submit'), (c) => {
      c.status = 200;
      c.body = { data: { status: 'submitted' } };
    });
    await run(contextFor('PROPFIND', undefined), (c) => void (c.status = 405));
    expect(calls.uploads).toEqual([
      ['photo', 201],
      ['signature', 409],
    ]);
    expect(calls.submissions).toBe(2);
    expect(calls.requests[0]).toEqual({ method: 'PUT', route: '/api/eas/records/:documentId/photos/:side', status: 201 });
    expect(calls.requests.at(-1)).toEqual({ method: 'OTHER', route: 'unmatched', status: 405 });
    expect(calls.logs).toHaveLength(7);
    expect(calls.logs[0].message).toMatch(/^PUT \/api\/eas\/records\/:documentId\/photos\/:side 201 \d+ ms$/);
    expect(calls.logs[0].meta).toMatchObject({ method: 'PUT', route: '/api/eas/records/:documentId/photos/:side', status: 201 });
  });

  it("takes the proxy's id only when the proxy is trusted", async () => {
    const { run } = setUp();
    const trusted = await run(contextFor('GET', '/health', { 'x-request-id': 'abc123' }, true), (c) => void (c.status = 200));
    expect(trusted.responseHeaders['x-request-id']).toBe('abc123');
    const untrusted = await run(contextFor('GET', '/health', { 'x-request-id': 'abc123' }, false), (c) => void (c.status = 200));
    expect(untrusted.responseHeaders['x-request-id']).not.toBe('abc123');
  });

  it('still answers the id and writes the line when the handler throws', async () => {
    const { calls, run } = setUp();
    const ctx = contextFor('GET', '/api/eas/forms');
    await expect(
      run(ctx, () => {
        throw new Error('boom');
      })
    ).rejects.toThrow('boom');
    expect(ctx.responseHeaders['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(calls.logs).toHaveLength(1);
  });
});
