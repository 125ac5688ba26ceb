/**
 * Field staff sessions as a phone lives them: a persistent refresh cookie, rotation on every refresh, a copied
 * (rotated) refresh token ending its whole family, and EAS's routes refusing access tokens whose session has ended.
 * Two instances share one database: one takes every reuse of a rotated token for a copy (grace 0 s), the other
 * allows an hour (as two tabs refreshing at once would need, only longer, so that no timing decides a result).
 */
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFRESH_TOKEN_REUSED_MESSAGE, SESSION_ENDED_MESSAGE } from '../../src/plugins/eas/server/src/errors';
import {
  createAndPublishForm,
  createFieldStaff,
  dbKinds,
  http,
  registerAdmin,
  startStrapi,
  submitRecord,
  type StrapiInstance,
} from '../harness';

const DAYS = 30;
const COOKIE = 'strapi_up_refresh';
const BOUND_MS = 15_000;
const FORM = {
  name: 'Sessions',
  slug: 'sessions',
  fields: [{ key: 'note', label: 'Note', type: 'text' }],
  frontPhoto: { enabled: false },
  backPhoto: { enabled: false },
  signatures: [],
};

interface Tokens {
  status: number;
  jwt: string;
  cookie: string;
  setCookie: string[];
  body: any;
}

const tokensOf = async (res: Response): Promise<Tokens> => {
  const setCookie = res.headers.getSetCookie();
  const body = await res.json().catch(() => null);
  return { status: res.status, jwt: body?.jwt, cookie: setCookie.map((c) => c.split(';')[0]).join('; '), setCookie, body };
};

const signIn = async (base: string, identifier: string, password: string) =>
  tokensOf(
    await fetch(`${base}/api/auth/local`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ identifier, password }),
    })
  );

const refresh = async (base: string, cookie: string) =>
  tokensOf(
    await fetch(`${base}/api/auth/refresh`, { method: 'POST', headers: { Cookie: cookie, 'Content-Type': 'application/json' }, body: '{}' })
  );

const signOut = async (base: string, jwt: string, cookie: string) =>
  fetch(`${base}/api/auth/logout`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${jwt}`, Cookie: cookie, 'Content-Type': 'application/json' },
    body: '{}',
  });

const records = (base: string, jwt: string) => http(`${base}/api/eas/records`, { token: jwt });

/** A socket of field staff, and the reason the server gives when it disconnects it. */
const openSocket = (url: string, token: string) =>
  new Promise<{ socket: Socket; revoked: Promise<{ reason: string }> }>((resolve, reject) => {
    const socket = io(url, { path: '/eas/socket.io', transports: ['websocket'], auth: { token }, reconnection: false, timeout: 5000 });
    const revoked = new Promise<{ reason: string }>((r) => socket.once('eas.revoked', r));
    socket.once('eas.ready', () => resolve({ socket, revoked }));
    socket.once('connect_error', reject);
  });

const within = <T>(promise: Promise<T>, what: string) => {
  let timer: ReturnType<typeof setTimeout>;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${BOUND_MS} ms waiting for ${what}`)), BOUND_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
};

describe.each(dbKinds())('field staff sessions on %s', (db) => {
  /** Every reuse of a rotated refresh token counts as a copy. */
  let strict: StrapiInstance;
  /** Same deployment, a rotated token may come back within an hour (two tabs). */
  let lenient: StrapiInstance;
  let admin: Awaited<ReturnType<typeof registerAdmin>>;
  const sockets: Socket[] = [];

  const newStaff = async () => {
    const staff = await createFieldStaff(strict.url, admin.token);
    const session = await signIn(strict.url, staff.username, staff.password);
    expect(session.status).toBe(200);
    return { ...staff, session };
  };

  beforeAll(async () => {
    strict = await startStrapi({ db, env: { EAS_SESSION_DAYS: String(DAYS), EAS_REFRESH_REUSE_GRACE_SECONDS: '0' } });
    lenient = await startStrapi({
      db,
      shareWith: strict,
      env: { EAS_SESSION_DAYS: String(DAYS), EAS_REFRESH_REUSE_GRACE_SECONDS: '3600' },
    });
    admin = await registerAdmin(strict.url);
    await createAndPublishForm(strict.url, admin.token, FORM);
  });

  afterAll(async () => {
    for (const s of sockets) s.close();
    await lenient?.kill();
    await strict?.stop();
  });

  it('keeps the refresh token in a persistent httpOnly cookie that expires EAS_SESSION_DAYS from now', async () => {
    const { session } = await newStaff();
    const cookie = session.setCookie.find((c) => c.startsWith(`${COOKIE}=`));
    expect(cookie).toBeDefined();
    const attributes = cookie!.split(';').map((a) => a.trim().toLowerCase());
    expect(attributes).toContain('httponly');
    // koa's cookies write maxAge as Expires: a persistent cookie, EAS_SESSION_DAYS from now (an hour's slack).
    const expires = Date.parse(attributes.find((a) => a.startsWith('expires='))!.slice('expires='.length));
    expect(Math.abs(expires - (Date.now() + DAYS * 86_400_000))).toBeLessThan(3_600_000);
    // Served over http here: a Secure cookie would never come back.
    expect(attributes).not.toContain('secure');
    expect(session.body.refreshToken).toBeUndefined();
  });

  it('refuses a rotated refresh token within the grace window without ending the session', async () => {
    const { session } = await newStaff();
    const renewed = await refresh(lenient.url, session.cookie);
    expect(renewed.status).toBe(200);
    expect(renewed.cookie).not.toBe(session.cookie);

    const again = await refresh(lenient.url, session.cookie);
    expect(again.status).toBe(401);
    expect(again.body.error.message).toBe('Invalid refresh token');

    // Not a family revocation: the renewed token and its access token still work.
    expect((await records(lenient.url, renewed.jwt)).status).toBe(200);
    const next = await refresh(lenient.url, renewed.cookie);
    expect(next.status).toBe(200);
    expect((await records(lenient.url, next.jwt)).status).toBe(200);
  });

  it('ends the whole family when a rotated refresh token comes back after the grace window', async () => {
    const { session } = await newStaff();
    const second = await refresh(strict.url, session.cookie);
    expect(second.status).toBe(200);
    const third = await refresh(strict.url, second.cookie);
    expect(third.status).toBe(200);
    const { socket, revoked } = await openSocket(strict.url, third.jwt);
    sockets.push(socket);

    // Someone replays the first token (copied from the phone before it was renewed).
    const stolen = await refresh(strict.url, session.cookie);
    expect(stolen.status).toBe(401);
    expect(stolen.body.error).toMatchObject({ message: REFRESH_TOKEN_REUSED_MESSAGE, details: { code: 'refresh_token_reused' } });

    // The newest token of that family is refused too, and so is the access token minted from it.
    expect((await refresh(strict.url, third.cookie)).status).toBe(401);
    const refused = await records(strict.url, third.jwt);
    expect(refused.status).toBe(401);
    expect(refused.body.error).toMatchObject({ message: SESSION_ENDED_MESSAGE, details: { code: 'session_ended' } });
    expect((await records(strict.url, session.jwt)).status).toBe(401);
    // Its open socket is closed.
    expect(await within(revoked, 'the socket to be revoked')).toMatchObject({ reason: 'session-ended' });
    expect(strict.logs()).toMatch(/refresh token of user \d+ was used again \d+ s after it was renewed/);
  });

  it('leaves other sessions of the same user alone when one family is revoked', async () => {
    const staff = await newStaff();
    const other = await signIn(strict.url, staff.username, staff.password);
    const renewed = await refresh(strict.url, staff.session.cookie);
    expect((await refresh(strict.url, staff.session.cookie)).status).toBe(401);
    expect((await records(strict.url, renewed.jwt)).status).toBe(401);
    expect((await records(strict.url, other.jwt)).status).toBe(200);
    expect((await refresh(strict.url, other.cookie)).status).toBe(200);
  });

  it('refuses the access tokens of a signed-out session on EAS routes, and its refresh token', async () => {
    const { session } = await newStaff();
    const renewed = await refresh(lenient.url, session.cookie);
    expect((await records(strict.url, renewed.jwt)).status).toBe(200);
    const out = await signOut(strict.url, renewed.jwt, renewed.cookie);
    expect(out.status).toBe(200);

    for (const jwt of [renewed.jwt, session.jwt]) {
      const res = await records(strict.url, jwt);
      expect(res.status).toBe(401);
      expect(res.body.error.message).toBe(SESSION_ENDED_MESSAGE);
    }
    expect((await http(`${strict.url}/api/eas/forms`, { token: renewed.jwt })).status).toBe(401);
    expect((await refresh(lenient.url, renewed.cookie)).status).toBe(401);
  });

  it('refuses a blocked user’s access token and refresh token', async () => {
    const staff = await newStaff();
    await submitRecord(strict.url, staff.session.jwt, FORM.slug, { note: 'before' });
    const list = await http(
      `${strict.url}/content-manager/collection-types/plugin::users-permissions.user?filters[$and][0][username][$eq]=${staff.username}`,
      { token: admin.token }
    );
    const blocked = await http(
      `${strict.url}/content-manager/collection-types/plugin::users-permissions.user/${list.body.results[0].documentId}`,
      {
        method: 'PUT',
        token: admin.token,
        json: { blocked: true },
      }
    );
    expect(blocked.status).toBe(200);

    expect((await records(strict.url, staff.session.jwt)).status).toBe(401);
    const renewal = await refresh(strict.url, staff.session.cookie);
    expect(renewal.status).toBe(401);
    expect(renewal.body.error.message).toBe(SESSION_ENDED_MESSAGE);
  });
});
