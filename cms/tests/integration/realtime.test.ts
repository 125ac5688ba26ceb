import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAdminWithPermissions,
  createAndPublishForm,
  createEditor,
  createFieldStaff,
  http,
  registerAdmin,
  servicesRequired,
  startStrapi,
  type StrapiInstance,
} from '../harness';

const PATH = '/eas/socket.io';
const form = (slug: string) => ({
  name: `Live ${slug}`,
  slug,
  fields: [{ key: 'note', label: 'Note', type: 'text' }],
  frontPhoto: { enabled: false },
  backPhoto: { enabled: false },
  signatures: [],
});

/** Connects and resolves once the server confirmed (or rejects with the server's reason). */
const connect = (url: string, token: string | undefined, extraHeaders: Record<string, string> = {}) =>
  new Promise<Socket>((resolve, reject) => {
    const socket = io(url, {
      path: PATH,
      transports: ['websocket'],
      auth: token === undefined ? {} : { token },
      extraHeaders,
      reconnection: false,
      timeout: 5000,
    });
    socket.once('eas.ready', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });

/** Collects events of one name, to assert on what arrived (and what did not). */
const collect = (socket: Socket, event: string) => {
  const seen: Record<string, unknown>[] = [];
  socket.on(event, (payload: Record<string, unknown>) => seen.push(payload));
  return seen;
};

const until = async (check: () => boolean, ms = 5000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for an event');
    await new Promise((r) => setTimeout(r, 25));
  }
};

const submit = async (base: string, jwtToken: string, slug: string, note = 'hello') => {
  const res = await http(`${base}/api/eas/records`, {
    method: 'POST',
    token: jwtToken,
    json: { clientId: randomUUID(), form: slug, formVersion: 1, data: { note }, capturedAt: new Date().toISOString() },
  });
  expect(res.status).toBe(201);
  return res.body.data as { documentId: string; reference: string };
};

describe('live dashboard sockets', () => {
  let strapi: StrapiInstance;
  let admin: Awaited<ReturnType<typeof registerAdmin>>;
  let editor: Awaited<ReturnType<typeof createEditor>>;
  let alice: Awaited<ReturnType<typeof createFieldStaff>>;
  let bob: Awaited<ReturnType<typeof createFieldStaff>>;
  const sockets: Socket[] = [];
  const open = async (...args: Parameters<typeof connect>) => {
    const s = await connect(...args);
    sockets.push(s);
    return s;
  };

  beforeAll(async () => {
    strapi = await startStrapi({ db: process.env.DATABASE_URL ? 'postgres' : 'sqlite' });
    admin = await registerAdmin(strapi.url);
    editor = await createEditor(strapi.url, admin.token);
    alice = await createFieldStaff(strapi.url, admin.token);
    bob = await createFieldStaff(strapi.url, admin.token);
    await createAndPublishForm(strapi.url, admin.token, form('live'));
  });

  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await strapi?.stop();
  });

  it('an editor’s dashboard receives a record as soon as it is submitted, with no captured data', async () => {
    const dash = await open(strapi.url, editor.token);
    const created = collect(dash, 'eas.record.created');
    const submitted = collect(dash, 'eas.record.submitted');
    const rec = await submit(strapi.url, alice.jwt, 'live', 'secret value');
    await until(() => submitted.some((e) => e.reference === rec.reference));
    const event = created.find((e) => e.reference === rec.reference)!;
    expect(event).toMatchObject({
      documentId: rec.documentId,
      form: { slug: 'live', name: 'Live live' },
      owner: { username: alice.username },
      status: 'submitted',
    });
    expect(JSON.stringify(event)).not.toContain('secret value');
    expect(event).not.toHaveProperty('reviewComment');
    expect(event).not.toHaveProperty('summary');
    // The key answer is read over HTTP, with the reader's permission checked then.
    const dashboard = await http(`${strapi.url}/eas/dashboard`, { token: editor.token });
    expect(dashboard.body.data.latest.find((e: { reference: string }) => e.reference === rec.reference)).toMatchObject({
      summary: 'secret value',
    });
  });

  it('field staff receive their own records’ changes only — including the editor’s decision live', async () => {
    const aliceSocket = await open(strapi.url, alice.jwt);
    const seen = collect(aliceSocket, 'eas.record.reviewed');
    const seenCreated = collect(aliceSocket, 'eas.record.created');
    const bobs = await submit(strapi.url, bob.jwt, 'live');
    const mine = await submit(strapi.url, alice.jwt, 'live');
    await until(() => seenCreated.some((e) => e.reference === mine.reference));
    expect(seenCreated.some((e) => e.reference === bobs.reference)).toBe(false);

    await http(`${strapi.url}/eas/records/${mine.documentId}/review`, {
      method: 'POST',
      token: editor.token,
      json: { decision: 'reject', comment: 'Photo is blurred' },
    });
    await until(() => seen.length > 0);
    expect(seen[0]).toEqual({
      documentId: mine.documentId,
      reference: mine.reference,
      status: 'rejected',
      reviewComment: 'Photo is blurred',
      at: expect.any(String),
    });
  });

  it('refuses sockets without a valid token, with a reason', async () => {
    await expect(connect(strapi.url, undefined)).rejects.toThrow(/unauthorised/);
    await expect(connect(strapi.url, 'not-a-token')).rejects.toThrow(/unauthorised/);
    const expired = jwt.sign({ userId: '1', sessionId: 'x', type: 'access' }, strapi.env.ADMIN_JWT_SECRET, { expiresIn: -60 });
    await expect(connect(strapi.url, expired)).rejects.toThrow(/unauthorised/);
    const noEas = await createAdminWithPermissions(strapi.url, admin.token, ['plugin::upload.read']);
    await expect(connect(strapi.url, noEas.token)).rejects.toThrow(/lacks the EAS read permission|unauthorised/);
  });

  it('refuses a browser handshake from another origin', async () => {
    await expect(connect(strapi.url, editor.token, { Origin: 'https://evil.example' })).rejects.toThrow();
    const same = await open(strapi.url, editor.token, { Origin: strapi.url });
    expect(same.connected).toBe(true);
  });

  it('a field-staff token never joins the dashboard', async () => {
    const carol = await createFieldStaff(strapi.url, admin.token);
    const socket = await open(strapi.url, carol.jwt);
    const carolGot: { name: string; reference: unknown }[] = [];
    socket.onAny((name, payload: { reference?: unknown }) => carolGot.push({ name, reference: payload?.reference }));
    const dash = await open(strapi.url, editor.token);
    const got = collect(dash, 'eas.record.created');
    const first = await submit(strapi.url, alice.jwt, 'live');
    const second = await submit(strapi.url, alice.jwt, 'live');
    await until(() => got.some((e) => e.reference === second.reference));
    expect(got.map((e) => e.reference)).toEqual([first.reference, second.reference]);
    // Carol's socket is live (her own record arrives) and, events on one socket arriving in order, it would have
    // had Alice's records before her own had it been in the dashboard room.
    const own = await submit(strapi.url, carol.jwt, 'live');
    await until(() => carolGot.some((e) => e.name === 'eas.record.submitted' && e.reference === own.reference));
    expect(carolGot).toEqual([
      { name: 'eas.record.created', reference: own.reference },
      { name: 'eas.record.submitted', reference: own.reference },
    ]);
  });
});

describe('live events across two instances (PostgreSQL + Redis)', () => {
  const enabled = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL);
  if (!enabled && servicesRequired()) throw new Error('EAS_REQUIRE_SERVICES=1 but DATABASE_URL or REDIS_URL is not set');
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

  it.skipIf(!enabled)('a submission on instance A reaches a dashboard connected to instance B', async () => {
    const admin = await registerAdmin(a.url);
    const staff = await createFieldStaff(a.url, admin.token);
    await createAndPublishForm(a.url, admin.token, form('multi'));
    const dash = await connect(b.url, admin.token);
    sockets.push(dash);
    const got = collect(dash, 'eas.record.submitted');
    const rec = await submit(a.url, staff.jwt, 'multi');
    await until(() => got.some((e) => e.reference === rec.reference), 8000);
  });
});

describe('live events without Redis', () => {
  it('keep being delivered locally when Redis is unreachable', { timeout: 120_000 }, async () => {
    const strapi = await startStrapi({ env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    try {
      const admin = await registerAdmin(strapi.url);
      const staff = await createFieldStaff(strapi.url, admin.token);
      await createAndPublishForm(strapi.url, admin.token, form('noredis'));
      const dash = await connect(strapi.url, admin.token);
      const got = collect(dash, 'eas.record.submitted');
      const rec = await submit(strapi.url, staff.jwt, 'noredis');
      await until(() => got.some((e) => e.reference === rec.reference));
      dash.close();
      expect(strapi.logs()).toMatch(/Redis (publisher|subscriber) unavailable/);
    } finally {
      await strapi.stop();
    }
  });
});

describe('dashboard numbers', () => {
  it('count submissions by status, form, field staff and hour', async () => {
    const strapi = await startStrapi();
    try {
      const admin = await registerAdmin(strapi.url);
      const staff = await createFieldStaff(strapi.url, admin.token);
      await createAndPublishForm(strapi.url, admin.token, form('counted'));
      for (let i = 0; i < 3; i++) await submit(strapi.url, staff.jwt, 'counted');
      const res = await http(`${strapi.url}/eas/dashboard`, { token: admin.token });
      expect(res.body.data.counters).toMatchObject({ today: 3, week: 3, total: 3, byStatus: { submitted: 3 } });
      expect(res.body.data.perForm).toEqual([
        { slug: 'counted', name: 'Live counted', total: 3, byStatus: { draft: 0, submitted: 3, approved: 0, rejected: 0 } },
      ]);
      expect(res.body.data.perUser).toEqual([{ username: staff.username, total: 3, submittedToday: 3 }]);
      expect(res.body.data.series.hourly.at(-1).count).toBe(3);
      expect(res.body.data.latest.map((e: { owner: { username: string } }) => e.owner.username)).toEqual([
        staff.username,
        staff.username,
        staff.username,
      ]);
      expect(JSON.stringify(res.body.data.latest)).not.toContain('reviewComment');
    } finally {
      await strapi.stop();
    }
  });
});
