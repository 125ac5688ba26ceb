/**
 * Live sockets follow revocation: a socket authenticated at the handshake is disconnected (with an `eas.revoked`
 * event naming the reason) once its user is blocked or deactivated, its session ends, or its EAS permission goes —
 * and the same token is refused when it tries again. Unaffected sockets stay connected and keep receiving.
 */
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { REVOCATION_MESSAGES } from '../../src/plugins/eas/server/src/services/socket-revocation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAdminUser,
  createAndPublishForm,
  createEditor,
  createFieldStaff,
  dbKinds,
  http,
  registerAdmin,
  roleId,
  servicesRequired,
  startStrapi,
  submitRecord,
  type StrapiInstance,
} from '../harness';

const PATH = '/eas/socket.io';
/** Every wait has this generous upper bound; nothing else about time decides a result. */
const BOUND_MS = 15_000;
const FORM = {
  name: 'Revocation',
  slug: 'revocation',
  fields: [{ key: 'note', label: 'Note', type: 'text' }],
  frontPhoto: { enabled: false },
  backPhoto: { enabled: false },
  signatures: [],
};

type Seen = { name: string; payload: Record<string, unknown> };
type Refusal = Error & { data?: unknown };

/** Connects and resolves once the server confirmed (or rejects with the server's refusal). */
const connect = (url: string, token: string) =>
  new Promise<Socket>((resolve, reject) => {
    const socket = io(url, { path: PATH, transports: ['websocket'], auth: { token }, reconnection: false, timeout: 5000 });
    socket.once('eas.ready', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });

/** The refusal a handshake with this token gets (fails the test if the server accepts it). */
const refusal = async (url: string, token: string): Promise<Refusal> => {
  const outcome = await connect(url, token).then(
    (socket) => {
      socket.close();
      return null;
    },
    (err: Refusal) => err
  );
  if (!outcome) throw new Error('the server accepted the token again');
  return outcome;
};

const within = <T>(promise: Promise<T>, what: string, ms = BOUND_MS) => {
  let timer: ReturnType<typeof setTimeout>;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
};

const until = async (check: () => boolean, what: string, ms = BOUND_MS) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

/** Everything a socket receives after this call, and the reason it was disconnected. */
const watch = (socket: Socket) => {
  const events: Seen[] = [];
  socket.onAny((name: string, payload: Record<string, unknown>) => events.push({ name, payload }));
  const ended = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
  const has = (name: string, reference: string) => events.some((e) => e.name === name && e.payload.reference === reference);
  return { socket, events, ended, has };
};
type Watched = ReturnType<typeof watch>;

/** Signs field staff in as the site does; keeps the refresh cookie (httpOnly) to refresh and sign out with. */
const signIn = async (base: string, identifier: string, password: string) => {
  const res = await fetch(`${base}/api/auth/local`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ identifier, password }),
  });
  expect(res.status).toBe(200);
  return { jwt: ((await res.json()) as { jwt: string }).jwt, cookie: cookieHeader(res) };
};
const cookieHeader = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');

/** POST /api/auth/refresh with the refresh cookie: a new access token; the old session is marked rotated. */
const refresh = async (base: string, cookie: string) => {
  const res = await fetch(`${base}/api/auth/refresh`, {
    method: 'POST',
    headers: { Cookie: cookie, 'Content-Type': 'application/json' },
    body: '{}',
  });
  expect(res.status).toBe(200);
  return { jwt: ((await res.json()) as { jwt: string }).jwt, cookie: cookieHeader(res) };
};

/** POST /api/auth/logout: ends the session of the refresh cookie sent (or the access token's session without one). */
const signOut = async (base: string, jwt: string, cookie?: string) => {
  const res = await fetch(`${base}/api/auth/logout`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${jwt}`, 'Content-Type': 'application/json', ...(cookie ? { Cookie: cookie } : {}) },
    body: '{}',
  });
  expect(res.status).toBe(200);
};

/**
 * EAS's Field staff role holds only EAS actions, so POST /api/auth/logout answers 403 for field staff. An
 * administrator grants it in Settings → Users & Permissions → Roles; the tests do the same through that API.
 */
const allowFieldStaffSignOut = async (base: string, superToken: string) => {
  const id = await roleId(base, superToken, 'field-staff');
  const { body } = await http(`${base}/users-permissions/roles/${id}`, { token: superToken });
  const { name, description, permissions } = body.role;
  permissions['plugin::users-permissions'].controllers.auth.logout.enabled = true;
  const res = await http(`${base}/users-permissions/roles/${id}`, {
    method: 'PUT',
    token: superToken,
    json: { name, description, permissions },
  });
  expect(res.status).toBe(200);
};

const USERS_CM = 'content-manager/collection-types/plugin::users-permissions.user';

/** Blocks a field-staff user as an administrator does in the Content Manager. */
const block = async (base: string, superToken: string, username: string) => {
  const list = await http(`${base}/${USERS_CM}?filters[$and][0][username][$eq]=${encodeURIComponent(username)}`, { token: superToken });
  expect(list.body.results).toHaveLength(1);
  const res = await http(`${base}/${USERS_CM}/${list.body.results[0].documentId}`, {
    method: 'PUT',
    token: superToken,
    json: { blocked: true },
  });
  expect(res.status).toBe(200);
  expect(res.body.blocked).toBe(true);
};

const adminIdOf = async (base: string, token: string) => {
  const me = await http(`${base}/admin/users/me`, { token });
  expect(me.status).toBe(200);
  return me.body.data.id as number;
};

/** An admin role holding exactly `actions`, and an admin user in it. */
const createRoleWithUser = async (base: string, superToken: string, actions: string[]) => {
  const role = await http(`${base}/admin/roles`, {
    method: 'POST',
    token: superToken,
    json: { name: `Role ${randomUUID().slice(0, 8)}`, description: 'created by a test' },
  });
  expect([200, 201]).toContain(role.status);
  const id = role.body.data.id as number;
  await setRolePermissions(base, superToken, id, actions);
  return { roleId: id, ...(await createAdminUser(base, superToken, id)) };
};

const setRolePermissions = async (base: string, superToken: string, id: number, actions: string[]) => {
  const res = await http(`${base}/admin/roles/${id}/permissions`, {
    method: 'PUT',
    token: superToken,
    json: { permissions: actions.map((action) => ({ action, subject: null, properties: {}, conditions: [] })) },
  });
  expect(res.status).toBe(200);
};

const review = async (base: string, token: string, documentId: string) => {
  const res = await http(`${base}/eas/records/${documentId}/review`, {
    method: 'POST',
    token,
    json: { decision: 'reject', comment: 'Photo is blurred' },
  });
  expect(res.status).toBe(200);
};

describe.each(dbKinds())('live sockets follow revocation (%s)', (db) => {
  let strapi: StrapiInstance;
  let superAdmin: Awaited<ReturnType<typeof registerAdmin>>;
  let worker: Awaited<ReturnType<typeof createFieldStaff>>;
  /** The super admin's dashboard, never revoked: proves that events after a revocation were sent at all. */
  let control: Watched;
  const sockets: Socket[] = [];
  const open = async (token: string) => {
    const socket = await connect(strapi.url, token);
    sockets.push(socket);
    return watch(socket);
  };

  beforeAll(async () => {
    strapi = await startStrapi({ db });
    superAdmin = await registerAdmin(strapi.url);
    worker = await createFieldStaff(strapi.url, superAdmin.token);
    await createAndPublishForm(strapi.url, superAdmin.token, FORM);
    await allowFieldStaffSignOut(strapi.url, superAdmin.token);
    control = await open(superAdmin.token);
  });

  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await strapi?.stop();
  });

  /** The socket was told why, then disconnected by the server; nothing arrived after the notice. */
  const expectRevoked = async (victim: Watched, reason: string, message: string) => {
    expect(await within(victim.ended, 'the server to disconnect the socket')).toBe('io server disconnect');
    expect(victim.events.filter((e) => e.name === 'eas.revoked')).toEqual([{ name: 'eas.revoked', payload: { reason, message } }]);
    expect(victim.events.at(-1)?.name).toBe('eas.revoked');
  };

  /** A dashboard event after the revocation reaches the control dashboard, and nothing reaches the victim. */
  const expectDashboardSilence = async (victim: Watched) => {
    const before = [...victim.events];
    const later = await submitRecord(strapi.url, worker.jwt, FORM.slug, { note: 'after' });
    await until(() => control.has('eas.record.created', later.reference), 'the control dashboard to get the next record');
    expect(victim.events).toEqual(before);
  };

  /** The owner's room gets the editor's decision on the victim's record: the control sees it, the victim does not. */
  const expectOwnerSilence = async (victim: Watched, documentId: string, reference: string) => {
    const before = [...victim.events];
    await review(strapi.url, superAdmin.token, documentId);
    await until(() => control.has('eas.record.reviewed', reference), 'the control dashboard to get the decision');
    expect(victim.events).toEqual(before);
  };

  it('disconnects a field-staff socket when the user is blocked, and refuses the token afterwards', async () => {
    const staff = await createFieldStaff(strapi.url, superAdmin.token);
    const victim = await open(staff.jwt);
    const rec = await submitRecord(strapi.url, staff.jwt, FORM.slug, { note: 'before' });
    await until(() => victim.has('eas.record.created', rec.reference), 'the first event');

    await block(strapi.url, superAdmin.token, staff.username);
    await expectRevoked(victim, 'user-blocked', 'the user is blocked');
    await expectOwnerSilence(victim, rec.documentId, rec.reference);
    expect(await refusal(strapi.url, staff.jwt)).toMatchObject({
      message: 'unauthorised: the user is blocked',
      data: { reason: 'user-blocked' },
    });
  });

  it('disconnects a field-staff socket when the user is moved out of the Field staff role', async () => {
    const staff = await createFieldStaff(strapi.url, superAdmin.token);
    const victim = await open(staff.jwt);
    const rec = await submitRecord(strapi.url, staff.jwt, FORM.slug, { note: 'before' });
    await until(() => victim.has('eas.record.created', rec.reference), 'the first event');

    const authenticated = await roleId(strapi.url, superAdmin.token, 'authenticated');
    const list = await http(`${strapi.url}/${USERS_CM}?filters[$and][0][username][$eq]=${encodeURIComponent(staff.username)}`, {
      token: superAdmin.token,
    });
    const moved = await http(`${strapi.url}/${USERS_CM}/${list.body.results[0].documentId}`, {
      method: 'PUT',
      token: superAdmin.token,
      json: { role: { set: [{ id: authenticated }] } },
    });
    expect(moved.status).toBe(200);
    await expectRevoked(victim, 'no-permission', REVOCATION_MESSAGES['no-permission']);
    await expectOwnerSilence(victim, rec.documentId, rec.reference);
    expect(await refusal(strapi.url, staff.jwt)).toMatchObject({ data: { reason: 'no-permission' } });
  });

  it('disconnects a field-staff socket when the user signs out (POST /api/auth/logout)', async () => {
    const staff = await createFieldStaff(strapi.url, superAdmin.token);
    const victim = await open(staff.jwt);
    const rec = await submitRecord(strapi.url, staff.jwt, FORM.slug, { note: 'before' });
    await until(() => victim.has('eas.record.created', rec.reference), 'the first event');

    await signOut(strapi.url, staff.jwt);
    await expectRevoked(victim, 'session-ended', 'the session has ended');
    await expectOwnerSilence(victim, rec.documentId, rec.reference);
    expect(await refusal(strapi.url, staff.jwt)).toMatchObject({
      message: 'unauthorised: the session has ended',
      data: { reason: 'session-ended' },
    });
  });

  it('disconnects a field-staff socket opened before a token refresh when the user signs out with the refreshed session', async () => {
    const staff = await createFieldStaff(strapi.url, superAdmin.token);
    const first = await signIn(strapi.url, staff.username, staff.password);
    const victim = await open(first.jwt);
    // The site refreshes every 10 minutes while the socket stays open: logout then ends the newest session only.
    const second = await refresh(strapi.url, first.cookie);
    const rec = await submitRecord(strapi.url, second.jwt, FORM.slug, { note: 'before' });
    await until(() => victim.has('eas.record.created', rec.reference), 'the first event');

    await signOut(strapi.url, second.jwt, second.cookie);
    await expectRevoked(victim, 'session-ended', 'the session has ended');
    await expectOwnerSilence(victim, rec.documentId, rec.reference);
    for (const token of [first.jwt, second.jwt]) {
      expect(await refusal(strapi.url, token)).toMatchObject({
        message: 'unauthorised: the session has ended',
        data: { reason: 'session-ended' },
      });
    }
  });

  it('disconnects a dashboard socket when its admin is deactivated', async () => {
    const editor = await createEditor(strapi.url, superAdmin.token);
    const victim = await open(editor.token);
    const rec = await submitRecord(strapi.url, worker.jwt, FORM.slug, { note: 'before' });
    await until(() => victim.has('eas.record.created', rec.reference), 'the first event');

    const id = await adminIdOf(strapi.url, editor.token);
    const res = await http(`${strapi.url}/admin/users/${id}`, { method: 'PUT', token: superAdmin.token, json: { isActive: false } });
    expect(res.status).toBe(200);
    expect(res.body.data.isActive).toBe(false);
    await expectRevoked(victim, 'user-deactivated', 'the admin user is deactivated');
    await expectDashboardSilence(victim);
    expect(await refusal(strapi.url, editor.token)).toMatchObject({
      message: 'unauthorised: the admin user is deactivated',
      data: { reason: 'user-deactivated' },
    });
  });

  it('disconnects a dashboard socket when its admin logs out (POST /admin/logout)', async () => {
    const editor = await createEditor(strapi.url, superAdmin.token);
    const victim = await open(editor.token);
    const rec = await submitRecord(strapi.url, worker.jwt, FORM.slug, { note: 'before' });
    await until(() => victim.has('eas.record.created', rec.reference), 'the first event');

    const res = await http(`${strapi.url}/admin/logout`, { method: 'POST', token: editor.token, json: {} });
    expect(res.status).toBe(200);
    await expectRevoked(victim, 'session-ended', 'the session has ended');
    await expectDashboardSilence(victim);
    expect(await refusal(strapi.url, editor.token)).toMatchObject({
      message: 'unauthorised: the session has ended',
      data: { reason: 'session-ended' },
    });
  });

  it('disconnects a dashboard socket when its admin role loses plugin::eas.read', async () => {
    const reader = await createRoleWithUser(strapi.url, superAdmin.token, ['plugin::eas.read']);
    const victim = await open(reader.token);
    const rec = await submitRecord(strapi.url, worker.jwt, FORM.slug, { note: 'before' });
    await until(() => victim.has('eas.record.created', rec.reference), 'the first event');

    await setRolePermissions(strapi.url, superAdmin.token, reader.roleId, ['plugin::upload.read']);
    await expectRevoked(victim, 'no-permission', REVOCATION_MESSAGES['no-permission']);
    await expectDashboardSilence(victim);
    expect(await refusal(strapi.url, reader.token)).toMatchObject({
      message: `unauthorised: ${REVOCATION_MESSAGES['no-permission']}`,
      data: { reason: 'no-permission' },
    });
  });

  it('leaves unaffected sockets connected and receiving: the same user on another device, a refreshed token, another admin', async () => {
    const carol = await createFieldStaff(strapi.url, superAdmin.token);
    const carolPhone = await signIn(strapi.url, carol.username, carol.password);
    const carolTablet = await signIn(strapi.url, carol.username, carol.password);
    const dave = await createFieldStaff(strapi.url, superAdmin.token);
    const daveFirst = await signIn(strapi.url, dave.username, dave.password);
    const editor = await createEditor(strapi.url, superAdmin.token);

    const victim = await open(carolPhone.jwt);
    const tablet = await open(carolTablet.jwt);
    const daveSocket = await open(daveFirst.jwt);
    const dashboard = await open(editor.token);
    const daveNow = await refresh(strapi.url, daveFirst.cookie);

    // The revocation of one socket runs the check over every socket of the instance.
    await signOut(strapi.url, carolPhone.jwt, carolPhone.cookie);
    await expectRevoked(victim, 'session-ended', 'the session has ended');

    const fromCarol = await submitRecord(strapi.url, carolTablet.jwt, FORM.slug, { note: 'tablet' });
    const fromDave = await submitRecord(strapi.url, daveNow.jwt, FORM.slug, { note: 'dave' });
    await until(() => tablet.has('eas.record.created', fromCarol.reference), 'the tablet to get its record');
    await until(() => daveSocket.has('eas.record.created', fromDave.reference), 'dave to get his record');
    await until(
      () => dashboard.has('eas.record.created', fromCarol.reference) && dashboard.has('eas.record.created', fromDave.reference),
      'the dashboard to get both'
    );
    for (const kept of [tablet, daveSocket, dashboard, control]) {
      expect(kept.socket.connected).toBe(true);
      expect(kept.events.filter((e) => e.name === 'eas.revoked')).toEqual([]);
    }
    expect(tablet.events.filter((e) => e.name === 'eas.record.created').map((e) => e.payload.reference)).toEqual([fromCarol.reference]);
    expect(daveSocket.events.filter((e) => e.name === 'eas.record.created').map((e) => e.payload.reference)).toEqual([fromDave.reference]);
  });
});

describe('a revocation written through another instance (PostgreSQL)', () => {
  const enabled = Boolean(process.env.DATABASE_URL);
  if (!enabled && servicesRequired()) throw new Error('EAS_REQUIRE_SERVICES=1 but DATABASE_URL is not set');
  let a: StrapiInstance;
  let b: StrapiInstance;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    if (!enabled) return;
    a = await startStrapi({ db: 'postgres' });
    b = await startStrapi({ db: 'postgres', shareWith: a });
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await b?.stop();
    await a?.stop();
  });

  // Instance B sees no database hook for a write made by A: only its periodic re-check can notice.
  it.skipIf(!enabled)('disconnects a socket on instance B when A blocks its user', async () => {
    const superAdmin = await registerAdmin(a.url);
    const staff = await createFieldStaff(a.url, superAdmin.token);
    await createAndPublishForm(a.url, superAdmin.token, { ...FORM, slug: 'revocation-b' });
    const socket = await connect(b.url, staff.jwt);
    sockets.push(socket);
    const victim = watch(socket);
    const rec = await submitRecord(b.url, staff.jwt, 'revocation-b', { note: 'before' });
    await until(() => victim.has('eas.record.created', rec.reference), 'the first event');

    await block(a.url, superAdmin.token, staff.username);
    expect(await within(victim.ended, 'instance B to disconnect the socket')).toBe('io server disconnect');
    expect(victim.events.at(-1)).toEqual({ name: 'eas.revoked', payload: { reason: 'user-blocked', message: 'the user is blocked' } });
    expect(await refusal(b.url, staff.jwt)).toMatchObject({ data: { reason: 'user-blocked' } });
  });
});
