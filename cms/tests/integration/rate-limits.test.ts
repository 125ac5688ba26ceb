/**
 * The auth rate limit (plugin::eas.auth-rate-limit, services/rate-limits.ts): AUTH_RATE_LIMIT_MAX attempts per client
 * address per window on every sign-in, registration, password and confirmation route, the admin's included, keyed on
 * the address only — rotating the email, the identifier or (without TRUST_PROXY) X-Forwarded-For gains nothing — and
 * counted in Redis, so two instances together allow exactly the limit.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, servicesRequired, startStrapi, type Json, type StrapiInstance } from '../harness';

const MAX = 5;

/** One attempt on a route, with a fresh email / identifier / code each time (as an attacker rotating them would). */
interface Attempt {
  name: string;
  method: 'GET' | 'POST';
  path: (n: string) => string;
  body?: (n: string) => Record<string, unknown>;
  /** What the route answers an ordinary (wrong) attempt. */
  status: number;
}

const ATTEMPTS: Attempt[] = [
  {
    name: 'field sign-in',
    method: 'POST',
    path: () => '/api/auth/local',
    body: (n) => ({ identifier: `someone-${n}@example.com`, password: 'Wrong-password1' }),
    status: 400,
  },
  {
    name: 'registration',
    method: 'POST',
    path: () => '/api/auth/local/register',
    body: (n) => ({ username: `u${n}`, email: `u${n}@example.com`, password: 'Some-password1' }),
    status: 400,
  },
  {
    name: 'forgot password',
    method: 'POST',
    path: () => '/api/auth/forgot-password',
    body: (n) => ({ email: `someone-${n}@example.com` }),
    status: 200,
  },
  {
    name: 'reset password',
    method: 'POST',
    path: () => '/api/auth/reset-password',
    body: (n) => ({ code: n, password: 'Some-password1', passwordConfirmation: 'Some-password1' }),
    status: 400,
  },
  {
    name: 'change password',
    method: 'POST',
    path: () => '/api/auth/change-password',
    body: (n) => ({ currentPassword: n, password: 'Some-password1', passwordConfirmation: 'Some-password1' }),
    status: 403,
  },
  { name: 'email confirmation', method: 'GET', path: (n) => `/api/auth/email-confirmation?confirmation=${n}`, status: 400 },
  {
    name: 'send email confirmation',
    method: 'POST',
    path: () => '/api/auth/send-email-confirmation',
    body: (n) => ({ email: `someone-${n}@example.com` }),
    status: 200,
  },
  { name: 'provider sign-in', method: 'GET', path: () => '/api/connect/github', status: 400 },
  { name: 'provider callback', method: 'GET', path: (n) => `/api/auth/github/callback?access_token=${n}`, status: 400 },
  {
    name: 'admin sign-in',
    method: 'POST',
    path: () => '/admin/login',
    body: (n) => ({ email: `someone-${n}@example.com`, password: 'Wrong-password1' }),
    status: 400,
  },
  {
    name: 'first admin registration',
    method: 'POST',
    path: () => '/admin/register-admin',
    body: (n) => ({ email: `a${n}@example.com`, password: 'Admin-password1', firstname: 'A', lastname: 'B' }),
    status: 400,
  },
  { name: 'admin registration info', method: 'GET', path: (n) => `/admin/registration-info?registrationToken=${n}`, status: 400 },
  {
    name: 'admin registration',
    method: 'POST',
    path: () => '/admin/register',
    body: (n) => ({ registrationToken: n, userInfo: { firstname: 'A', lastname: 'B', password: 'Admin-password1' } }),
    status: 400,
  },
  {
    name: 'admin forgot password',
    method: 'POST',
    path: () => '/admin/forgot-password',
    body: (n) => ({ email: `someone-${n}@example.com` }),
    status: 204,
  },
  {
    name: 'admin reset password',
    method: 'POST',
    path: () => '/admin/reset-password',
    body: (n) => ({ resetPasswordToken: n, password: 'Admin-password1' }),
    status: 400,
  },
];

const attempt = (base: string, a: Attempt, headers: Record<string, string> = {}): Promise<Json & { retryAfter: string | null }> => {
  const n = randomUUID().slice(0, 8);
  return fetch(`${base}${a.path(n)}`, {
    method: a.method,
    headers: { ...(a.body ? { 'Content-Type': 'application/json' } : {}), ...headers },
    body: a.body ? JSON.stringify(a.body(n)) : undefined,
    redirect: 'manual',
  }).then(async (res) => {
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, body, retryAfter: res.headers.get('retry-after') };
  });
};

/** The 429 a client gets: the catalogue's error, and when to come back. */
const expectRefusal = (res: Json & { retryAfter: string | null }) => {
  expect(res.status).toBe(429);
  expect(res.body.error).toMatchObject({
    status: 429,
    message: expect.stringMatching(/^Too many attempts from this address: at most 5 every 60 s/),
    details: { code: 'too_many_attempts', max: MAX, windowSeconds: 60 },
  });
  const retryAfter = Number(res.retryAfter);
  expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
  expect(res.body.error.details.retryAfterSeconds).toBe(retryAfter);
};

describe('the auth rate limit on one instance (counted in memory)', () => {
  let proxied: StrapiInstance;
  let direct: StrapiInstance;

  beforeAll(async () => {
    const env = { AUTH_RATE_LIMIT_MAX: String(MAX), AUTH_RATE_LIMIT_WINDOW_MS: '60000', REDIS_URL: '' };
    [proxied, direct] = await Promise.all([startStrapi({ env: { ...env, TRUST_PROXY: 'true' } }), startStrapi({ env })]);
    // An administrator exists, so the first-admin registration answers as it does in a running deployment.
    const admin = await http(`${proxied.url}/admin/register-admin`, {
      method: 'POST',
      headers: { 'X-Forwarded-For': '198.51.100.250' },
      json: { email: 'admin@example.com', password: 'Admin-password1', firstname: 'Ada', lastname: 'Admin' },
    });
    expect(admin.status).toBe(200);
  }, 180_000);

  afterAll(async () => {
    await Promise.all([proxied?.stop(), direct?.stop()]);
  });

  ATTEMPTS.forEach((a, i) => {
    it(`${a.name} (${a.method} ${a.path('…').split('?')[0]}): ${MAX} attempts with rotating details answer ${a.status}, the next is 429, another address is not held back`, async () => {
      // Behind nginx (TRUST_PROXY=true) the client address is the X-Forwarded-For nginx sets: one per route here.
      const client = { 'X-Forwarded-For': `198.51.100.${i + 1}` };
      const statuses: number[] = [];
      for (let n = 0; n < MAX; n++) statuses.push((await attempt(proxied.url, a, client)).status);
      expect(statuses).toEqual(Array(MAX).fill(a.status));
      expectRefusal(await attempt(proxied.url, a, client));
      expect((await attempt(proxied.url, a, { 'X-Forwarded-For': `203.0.113.${i + 1}` })).status).toBe(a.status);
    });
  });

  it('keys on the connection when no proxy is trusted: a spoofed X-Forwarded-For does not open a fresh bucket', async () => {
    const signIn = ATTEMPTS[0];
    const statuses: number[] = [];
    for (let n = 0; n < MAX; n++) statuses.push((await attempt(direct.url, signIn, { 'X-Forwarded-For': `192.0.2.${n + 1}` })).status);
    expect(statuses).toEqual(Array(MAX).fill(400));
    expectRefusal(await attempt(direct.url, signIn, { 'X-Forwarded-For': '192.0.2.99' }));
    expectRefusal(await attempt(direct.url, signIn));
  });

  it('does not count token renewals, which phones make every few minutes', async () => {
    const statuses: number[] = [];
    for (let n = 0; n < MAX + 3; n++) {
      statuses.push((await http(`${direct.url}/api/auth/refresh`, { method: 'POST', json: {} })).status);
    }
    expect(statuses).not.toContain(429);
  });
});

describe('the auth rate limit while Redis is unreachable', () => {
  let strapi: StrapiInstance;

  beforeAll(async () => {
    // A port nothing listens on: the limit's Redis is down from the start (and stays so).
    strapi = await startStrapi({ env: { AUTH_RATE_LIMIT_MAX: String(MAX), REDIS_URL: 'redis://127.0.0.1:9' } });
  }, 180_000);

  afterAll(async () => {
    await strapi?.stop();
  });

  it('keeps sign-in working and limited, counting in this instance until Redis is back', async () => {
    const statuses: number[] = [];
    for (let n = 0; n < MAX; n++) statuses.push((await attempt(strapi.url, ATTEMPTS[0])).status);
    expect(statuses).toEqual(Array(MAX).fill(400));
    expectRefusal(await attempt(strapi.url, ATTEMPTS[0]));
  });
});

const redisUrl = process.env.REDIS_URL;
const postgresUrl = process.env.DATABASE_URL;
if ((!redisUrl || !postgresUrl) && servicesRequired()) throw new Error('EAS_REQUIRE_SERVICES=1 but DATABASE_URL or REDIS_URL is not set');

describe.skipIf(!redisUrl || !postgresUrl)('the auth rate limit across two instances (PostgreSQL, Redis)', () => {
  let a: StrapiInstance;
  let b: StrapiInstance;

  beforeAll(async () => {
    a = await startStrapi({ db: 'postgres', env: { AUTH_RATE_LIMIT_MAX: String(MAX), REDIS_URL: redisUrl! } });
    b = await startStrapi({ shareWith: a, env: { AUTH_RATE_LIMIT_MAX: String(MAX), REDIS_URL: redisUrl! } });
  }, 240_000);

  afterAll(async () => {
    await b?.stop();
    await a?.stop();
  });

  it('counts sign-ins on both together: alternating between them, the 6th is 429 (field staff and admin alike)', async () => {
    for (const route of [ATTEMPTS[0], ATTEMPTS.find((x) => x.path('') === '/admin/login')!]) {
      const statuses: number[] = [];
      for (let n = 0; n < MAX; n++) statuses.push((await attempt(n % 2 ? b.url : a.url, route)).status);
      expect(statuses).toEqual(Array(MAX).fill(400));
      // The 6th goes to B, which has seen only 2 of them itself.
      expectRefusal(await attempt(b.url, route));
      expectRefusal(await attempt(a.url, route));
    }
  });
});
