/**
 * Caps on open live sockets (services/socket-caps.ts): per identity (EAS_SOCKETS_PER_USER) and per client address
 * (EAS_SOCKETS_PER_ADDRESS), refused at the handshake with a connect_error that says which cap, freed when a socket
 * closes, and — with Redis — held across instances.
 */
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEditor, createFieldStaff, registerAdmin, servicesRequired, startStrapi, type StrapiInstance } from '../harness';

const PATH = '/eas/socket.io';
const PER_USER = 3;
const PER_ADDRESS = 5;
const CAPS = { EAS_SOCKETS_PER_USER: String(PER_USER), EAS_SOCKETS_PER_ADDRESS: String(PER_ADDRESS) };

type Outcome = { socket: Socket; error?: undefined } | { socket?: undefined; error: Error & { data?: Record<string, unknown> } };

/** Opens a socket; resolves with it once the server confirmed, or with the connect_error it was refused with. */
const connect = (url: string, token: string, from?: string) =>
  new Promise<Outcome>((resolve) => {
    const socket = io(url, {
      path: PATH,
      transports: ['websocket'],
      auth: { token },
      extraHeaders: from ? { 'X-Forwarded-For': from } : {},
      reconnection: false,
      timeout: 5000,
      forceNew: true,
    });
    socket.once('eas.ready', () => resolve({ socket }));
    socket.once('connect_error', (error) => {
      socket.close();
      resolve({ error });
    });
  });

describe('caps on open sockets, one instance', () => {
  let strapi: StrapiInstance;
  let editorToken: string;
  const staff: string[] = [];
  const open: Socket[] = [];
  const opened = async (token: string, from: string) => {
    const outcome = await connect(strapi.url, token, from);
    if (outcome.socket) open.push(outcome.socket);
    return outcome;
  };
  // Each test uses people and addresses of its own, so none depends on when the server saw the last test's closes.
  const closeAll = () => open.splice(0).forEach((s) => s.close());

  beforeAll(async () => {
    strapi = await startStrapi({ env: { ...CAPS, TRUST_PROXY: 'true', REDIS_URL: '' } });
    const admin = await registerAdmin(strapi.url);
    editorToken = (await createEditor(strapi.url, admin.token)).token;
    for (let i = 0; i < 3; i++) staff.push((await createFieldStaff(strapi.url, admin.token)).jwt);
  });

  afterEach(closeAll);
  afterAll(async () => {
    await strapi?.stop();
  });

  it(`refuses the ${PER_USER + 1}th socket of one user with a clear connect_error, and lets a new one in once one closes`, async () => {
    for (let i = 0; i < PER_USER; i++) expect((await opened(editorToken, '198.51.100.1')).error).toBeUndefined();
    const refused = await opened(editorToken, '198.51.100.1');
    expect(refused.error?.message).toBe(`too many connections: at most ${PER_USER} per user`);
    expect(refused.error?.data).toEqual({ code: 'too_many_connections', per: 'user', max: PER_USER });
    // The same person from another address is still the same person.
    expect((await opened(editorToken, '198.51.100.2')).error?.message).toBe(`too many connections: at most ${PER_USER} per user`);

    open.shift()!.close();
    let again: Outcome | null = null;
    for (let i = 0; i < 20 && !again?.socket; i++) {
      await new Promise((r) => setTimeout(r, 100));
      again = await opened(editorToken, '198.51.100.1');
    }
    expect(again?.error).toBeUndefined();
    expect((await opened(editorToken, '198.51.100.1')).error?.message).toBe(`too many connections: at most ${PER_USER} per user`);
  });

  it(`refuses the ${PER_ADDRESS + 1}th socket from one address whoever opens it; another address is not held back`, async () => {
    const from = '198.51.100.10';
    // 2 + 2 + 1 sockets of three people, each under the per-user cap.
    for (const [token, n] of [
      [staff[0], 2],
      [staff[1], 2],
      [staff[2], 1],
    ] as const) {
      for (let i = 0; i < n; i++) expect((await opened(token, from)).error).toBeUndefined();
    }
    const refused = await opened(staff[2], from);
    expect(refused.error?.message).toBe(`too many connections: at most ${PER_ADDRESS} per address`);
    expect(refused.error?.data).toEqual({ code: 'too_many_connections', per: 'address', max: PER_ADDRESS });
    expect((await opened(staff[2], '198.51.100.11')).error).toBeUndefined();
  });

  it('counts the address nginx sent, not one a client wrote: the cap is reached through sockets that all claim another', async () => {
    // Without TRUST_PROXY, X-Forwarded-For is the client's own text: a second instance that trusts no proxy.
    const direct = await startStrapi({ env: { ...CAPS, REDIS_URL: '' } });
    try {
      const admin = await registerAdmin(direct.url);
      const people = [];
      for (let i = 0; i < 2; i++) people.push((await createFieldStaff(direct.url, admin.token)).jwt);
      const outcomes: Outcome[] = [];
      for (let i = 0; i < PER_ADDRESS; i++) outcomes.push(await connect(direct.url, i % 2 ? people[1] : admin.token, `203.0.113.${i}`));
      expect(outcomes.map((o) => o.error?.message)).toEqual(Array(PER_ADDRESS).fill(undefined));
      const refused = await connect(direct.url, people[0], '203.0.113.200');
      expect(refused.error?.message).toBe(`too many connections: at most ${PER_ADDRESS} per address`);
      outcomes.forEach((o) => o.socket?.close());
    } finally {
      await direct.stop();
    }
  });
});

const redisUrl = process.env.REDIS_URL;
const postgresUrl = process.env.DATABASE_URL;
if ((!redisUrl || !postgresUrl) && servicesRequired()) throw new Error('EAS_REQUIRE_SERVICES=1 but DATABASE_URL or REDIS_URL is not set');

describe.skipIf(!redisUrl || !postgresUrl)('caps on open sockets across two instances (PostgreSQL, Redis)', () => {
  let a: StrapiInstance;
  let b: StrapiInstance;
  let token: string;
  const open: Socket[] = [];

  beforeAll(async () => {
    a = await startStrapi({ db: 'postgres', env: { ...CAPS, REDIS_URL: redisUrl! } });
    b = await startStrapi({ shareWith: a, env: { ...CAPS, REDIS_URL: redisUrl! } });
    const admin = await registerAdmin(a.url);
    token = (await createEditor(a.url, admin.token)).token;
  }, 240_000);

  afterAll(async () => {
    open.forEach((s) => s.close());
    await b?.stop();
    await a?.stop();
  });

  it('holds the per-user cap over both instances together, and frees a place when a socket on the other closes', async () => {
    const outcomes: Outcome[] = [];
    for (let i = 0; i < PER_USER; i++) outcomes.push(await connect(i % 2 ? b.url : a.url, token));
    outcomes.forEach((o) => o.socket && open.push(o.socket));
    expect(outcomes.map((o) => o.error?.message)).toEqual(Array(PER_USER).fill(undefined));
    // B holds only one of them itself.
    expect((await connect(b.url, token)).error?.message).toBe(`too many connections: at most ${PER_USER} per user`);
    expect((await connect(a.url, token)).error?.message).toBe(`too many connections: at most ${PER_USER} per user`);

    open.shift()!.close(); // the first, on A
    let again: Outcome | null = null;
    for (let i = 0; i < 20 && !again?.socket; i++) {
      await new Promise((r) => setTimeout(r, 100));
      again = await connect(b.url, token);
    }
    expect(again?.error).toBeUndefined();
    open.push(again!.socket!);
  });
});
