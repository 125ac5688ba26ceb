/**
 * Several instances for real: two Strapi instances on one PostgreSQL database and one Redis, behind the real
 * config/nginx.conf whose upstream lists both (round-robin, as nginx balances several servers or a service name with
 * several replicas). Whatever one instance does must hold when the next request lands on the other: exports
 * (started, polled, downloaded, surviving the death of the instance running them), progress events, and the limits.
 */
import { randomUUID } from 'node:crypto';
import nodeHttps from 'node:https';
import JSZip from 'jszip';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answeredByNginx, nginxAvailable, request, requireNginx, startFrontDoor, type FrontDoor, type RawResponse } from '../front-door';
import {
  createAndPublishForm,
  createEditor,
  createFieldStaff,
  dbKinds,
  http,
  registerAdmin,
  servicesRequired,
  startStrapi,
  type StrapiInstance,
} from '../harness';

requireNginx();
const postgres = dbKinds().includes('postgres');
if (!process.env.REDIS_URL && servicesRequired()) throw new Error('EAS_REQUIRE_SERVICES=1 but REDIS_URL is not set');
const available = nginxAvailable && postgres && Boolean(process.env.REDIS_URL);

const MAX = 5;
const SOCKETS_PER_ADDRESS = 3;

describe.skipIf(!available)('two instances behind config/nginx.conf (round-robin), one PostgreSQL, one Redis', () => {
  let a: StrapiInstance;
  let b: StrapiInstance;
  let door: FrontDoor;
  let admin: Awaited<ReturnType<typeof registerAdmin>>;
  let client = 10;
  /** A client address of its own (127.0.0.x) for each test, so nginx's and Strapi's buckets start empty. */
  const nextClient = () => `127.0.0.${client++}`;

  beforeAll(async () => {
    const env = {
      TRUST_PROXY: 'true',
      AUTH_RATE_LIMIT_MAX: String(MAX),
      EAS_SOCKETS_PER_ADDRESS: String(SOCKETS_PER_ADDRESS),
      // A job whose worker died is taken up by another after 5 s (default 30 s), and PDFs one at a time per instance,
      // so that an export of a few records is still running when the test kills the instance running it.
      EAS_JOB_LOCK_SECONDS: '5',
      PDF_CONCURRENCY: '1',
    };
    a = await startStrapi({ db: 'postgres', env });
    b = await startStrapi({ shareWith: a, env });
    door = await startFrontDoor([a.port, b.port]);
    admin = await registerAdmin(a.url);
  }, 300_000);

  afterAll(async () => {
    await door?.stop();
    await b?.stop();
    await a?.stop();
  });

  /** Which instance answered: nginx's request id (X-Request-Id) appears in that instance's log lines only. */
  const servedBy = (res: RawResponse): 'a' | 'b' | 'none' | 'both' => {
    const id = String(res.headers['x-request-id'] ?? '');
    if (!id) return 'none';
    const [inA, inB] = [a.logs(Infinity).includes(id), b.logs(Infinity).includes(id)];
    return inA && inB ? 'both' : inA ? 'a' : inB ? 'b' : 'none';
  };

  it('spreads requests over both instances', async () => {
    const from = nextClient();
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await request(door.base, '/health', { from }));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    // Log lines are written when the answer has gone: give them a moment to reach the test's buffers.
    for (let i = 0; i < 50 && answers.some((r) => servedBy(r) === 'none'); i++) await new Promise((r) => setTimeout(r, 100));
    const by = answers.map(servedBy);
    expect(by.filter((x) => x === 'a').length).toBe(3);
    expect(by.filter((x) => x === 'b').length).toBe(3);
  });

  describe('the auth rate limit counts across instances, per client address, whatever the email', () => {
    const email = () => `someone-${randomUUID().slice(0, 8)}@example.com`;
    const routes: { name: string; path: string; method: string; body: () => unknown; allowed: number }[] = [
      {
        name: 'field-staff sign-in',
        method: 'POST',
        path: '/api/auth/local',
        body: () => ({ identifier: email(), password: 'Wrong-password1' }),
        allowed: 400,
      },
      {
        name: 'registration',
        method: 'POST',
        path: '/api/auth/local/register',
        body: () => ({ username: `u${randomUUID().slice(0, 8)}`, email: email(), password: 'Some-password1' }),
        allowed: 400,
      },
      { name: 'forgot password', method: 'POST', path: '/api/auth/forgot-password', body: () => ({ email: email() }), allowed: 200 },
      {
        name: 'email confirmation',
        method: 'POST',
        path: '/api/auth/send-email-confirmation',
        body: () => ({ email: email() }),
        allowed: 200,
      },
      {
        name: 'admin sign-in',
        method: 'POST',
        path: '/admin/login',
        body: () => ({ email: email(), password: 'Wrong-password1' }),
        allowed: 400,
      },
      { name: 'admin forgot password', method: 'POST', path: '/admin/forgot-password', body: () => ({ email: email() }), allowed: 204 },
    ];

    it.each(routes)('$name: attempts 1–5 answered, the 6th is 429 from EAS, the attempts landed on both instances', async (route) => {
      const from = nextClient();
      const answers: RawResponse[] = [];
      for (let i = 0; i <= MAX; i++) answers.push(await request(door.base, route.path, { method: route.method, json: route.body(), from }));
      expect(answers.slice(0, MAX).map((r) => r.status)).toEqual(Array(MAX).fill(route.allowed));
      const refused = answers[MAX];
      expect(refused.status).toBe(429);
      // EAS's answer (JSON, naming the limit), not nginx's page: nginx lets a burst of 6 through (5 per minute + 5).
      expect(answeredByNginx(refused)).toBe(false);
      expect(refused.json?.error?.status).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      for (let i = 0; i < 50 && answers.some((r) => servedBy(r) === 'none'); i++) await new Promise((r) => setTimeout(r, 100));
      expect(new Set(answers.slice(0, MAX).map(servedBy))).toEqual(new Set(['a', 'b']));
    });
  });

  describe('a bulk export through nginx', () => {
    const FORM = {
      name: 'Cluster export',
      slug: 'cluster-export',
      fields: [{ key: 'note', label: 'Note', type: 'text' }],
      frontPhoto: { enabled: false },
      backPhoto: { enabled: false },
      signatures: [],
    };
    const COUNT = 16;
    let editor: Awaited<ReturnType<typeof createEditor>>;
    const records: { documentId: string; reference: string }[] = [];
    const sockets: Socket[] = [];

    beforeAll(async () => {
      editor = await createEditor(a.url, admin.token);
      const staff = await createFieldStaff(a.url, admin.token);
      await createAndPublishForm(a.url, admin.token, FORM);
      for (let i = 0; i < COUNT; i++) {
        const res = await http(`${i % 2 ? b.url : a.url}/api/eas/records`, {
          method: 'POST',
          token: staff.jwt,
          json: {
            clientId: randomUUID(),
            form: FORM.slug,
            formVersion: 1,
            data: { note: `record ${i}` },
            capturedAt: new Date().toISOString(),
          },
        });
        expect(res.status).toBe(201);
        records.push(res.body.data);
      }
    });

    afterAll(() => {
      for (const s of sockets) s.close();
    });

    /** The editor's dashboard socket straight on one instance; collects the export's progress events. */
    const listen = (instance: StrapiInstance) =>
      new Promise<{ id: string; status: string; done: number; total: number }[]>((resolve, reject) => {
        const events: { id: string; status: string; done: number; total: number }[] = [];
        const socket = io(instance.url, {
          path: '/eas/socket.io',
          transports: ['websocket'],
          auth: { token: editor.token },
          reconnection: false,
          timeout: 5000,
        });
        sockets.push(socket);
        socket.on('eas.export.progress', (e) => events.push(e));
        socket.once('eas.ready', () => resolve(events));
        socket.once('connect_error', reject);
      });

    it('is polled and downloaded through nginx (every poll 200), survives the kill of the instance running it, and its progress reaches sockets on both instances', async () => {
      const [onA, onB] = [await listen(a), await listen(b)];
      const from = nextClient();
      const started = await request(door.base, '/eas/exports', {
        method: 'POST',
        token: editor.token,
        json: { documentIds: records.map((r) => r.documentId) },
        from,
      });
      expect(started.status).toBe(202);
      const id = started.json.data.id as string;
      const poll = async () => {
        const res = await request(door.base, `/eas/exports/${id}`, { token: editor.token, from });
        expect(res.status, res.body.toString()).toBe(200);
        return { data: res.json.data as { status: string; done: number; total: number; failed: unknown[] }, by: res };
      };

      // Find the instance running it (its log says so), and kill it — no goodbye — once a few PDFs are in.
      let runner: StrapiInstance | null = null;
      const polled: RawResponse[] = [];
      for (let i = 0; i < 600 && !runner; i++) {
        const { data, by } = await poll();
        polled.push(by);
        const logs = [a, b].filter((x) => x.logs(Infinity).includes(`jobs: running pdf-export ${id}`));
        if (logs.length === 1 && data.done >= 2) runner = logs[0];
        else await new Promise((r) => setTimeout(r, 100));
      }
      expect(runner, 'neither instance ran the export').not.toBeNull();
      expect(runner!.logs(Infinity)).not.toContain(`jobs: pdf-export ${id} done`); // still running when killed
      const survivor = runner === a ? b : a;
      const survivorEvents = runner === a ? onB : onA;
      // What the socket on the other instance heard from the runner before the kill came through Redis.
      const heardFromRunner = survivorEvents.filter((e) => e.id === id && e.status === 'running' && e.done >= 1).length;
      process.kill(runner!.pid()!, 'SIGKILL');

      let last: { status: string; done: number; total: number; failed: unknown[] } | undefined;
      for (let i = 0; i < 900; i++) {
        const { data, by } = await poll();
        polled.push(by);
        last = data;
        if (data.status !== 'running') break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(last).toMatchObject({ status: 'done', total: COUNT, done: COUNT, failed: [] });
      expect(survivor.logs(Infinity)).toContain(`jobs: resuming pdf-export ${id}`);

      const file = await request(door.base, `/eas/exports/${id}/file`, { token: editor.token, from });
      expect(file.status).toBe(200);
      expect(file.headers['content-type']).toBe('application/zip');
      const zip = await JSZip.loadAsync(file.body);
      expect(Object.keys(zip.files).sort()).toEqual(records.map((r) => `${r.reference}.pdf`).sort());
      for (const name of Object.keys(zip.files))
        expect((await zip.file(name)!.async('nodebuffer')).subarray(0, 5).toString('latin1'), name).toBe('%PDF-');

      // Progress reached the socket on the instance that did not run the job, from the runner, and then the end.
      expect(heardFromRunner).toBeGreaterThan(0);
      expect(survivorEvents.at(-1)).toMatchObject({ id, status: 'done', done: COUNT, total: COUNT });
      // Every poll went through nginx and the polls before the kill reached both instances.
      expect(new Set(polled.slice(0, 6).map(servedBy))).toEqual(new Set(['a', 'b']));

      await runner!.restart();
    });
  });

  describe('live sockets', () => {
    const open: Socket[] = [];

    afterAll(() => {
      for (const s of open) s.close();
    });

    /** A socket from the given client address (through nginx) or straight to an instance (from 127.0.0.1). */
    const connect = (url: string, token: string, from?: string) =>
      new Promise<{ socket: Socket; error?: Error }>((resolve) => {
        const agent = from ? new nodeHttps.Agent({ localAddress: from, rejectUnauthorized: false }) : undefined;
        const socket = io(url, {
          path: '/eas/socket.io',
          transports: ['websocket'],
          auth: { token },
          reconnection: false,
          timeout: 5000,
          rejectUnauthorized: false,
          ...(agent ? { agent } : {}),
        } as never);
        open.push(socket);
        socket.once('eas.ready', () => resolve({ socket }));
        socket.once('connect_error', (error) => resolve({ socket, error }));
      });

    it('reach the dashboard through nginx, and the per-address cap counts each client, not nginx', async () => {
      const [crowded, other] = [nextClient(), nextClient()];
      for (let i = 0; i < SOCKETS_PER_ADDRESS; i++) expect((await connect(door.base, admin.token, crowded)).error).toBeUndefined();
      const refused = await connect(door.base, admin.token, crowded);
      expect(refused.error?.message).toBe(`too many connections: at most ${SOCKETS_PER_ADDRESS} per address`);
      // Another client behind the same nginx is not held back by the first one's sockets.
      expect((await connect(door.base, admin.token, other)).error).toBeUndefined();
    });
  });
});
