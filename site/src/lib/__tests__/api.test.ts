import { describe, expect, it } from 'vitest';
import { ApiError, createApiClient, toApiError } from '../api';

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
