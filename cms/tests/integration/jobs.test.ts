/**
 * Bulk exports as background jobs (services/jobs.ts, services/bulk-export.ts): they survive the restart or the kill
 * of the process running them, any instance answers for them, a separate `npm run worker` process can render them,
 * and their files go after the retention time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import IORedis from 'ioredis';
import JSZip from 'jszip';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportProgress as Progress } from '../../src/plugins/eas/server/src/services/bulk-export';
import { readPdf } from '../pdf-reader';
import {
  createAndPublishForm,
  createEditor,
  createFieldStaff,
  http,
  registerAdmin,
  servicesRequired,
  startStrapi,
  type StrapiInstance,
} from '../harness';

const ROOT = path.resolve(__dirname, '../../..');
const FORM = {
  name: 'Job export',
  slug: 'job-export',
  fields: [{ key: 'note', label: 'Note', type: 'text' }],
  frontPhoto: { enabled: false },
  backPhoto: { enabled: false },
  signatures: [],
};

/** An admin, an editor (who exports) and `count` records. */
const seed = async (base: string, count: number) => {
  const admin = await registerAdmin(base);
  const editor = await createEditor(base, admin.token);
  const staff = await createFieldStaff(base, admin.token);
  await createAndPublishForm(base, admin.token, FORM);
  const records: { documentId: string; reference: string }[] = [];
  for (let i = 0; i < count; i++) {
    const res = await http(`${base}/api/eas/records`, {
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
    if (res.status !== 201) throw new Error(`record ${i}: ${res.status} ${JSON.stringify(res.body)}`);
    records.push(res.body.data);
  }
  return { admin, editor, records };
};

const startExport = async (base: string, token: string, documentIds: string[]) => {
  const res = await http(`${base}/eas/exports`, { method: 'POST', token, json: { documentIds } });
  expect(res.status).toBe(202);
  expect(res.body.data.total).toBe(documentIds.length);
  return res.body.data.id as string;
};

/** Polls until `stop` holds for the progress; every poll must answer 200. Returns every progress seen. */
const pollUntil = async (base: string, token: string, id: string, stop: (p: Progress) => boolean, ms = 180_000) => {
  const seen: Progress[] = [];
  const deadline = Date.now() + ms;
  for (;;) {
    const res = await http(`${base}/eas/exports/${id}`, { token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    seen.push(res.body.data);
    if (stop(res.body.data)) return seen;
    if (Date.now() > deadline) throw new Error(`export ${id} still ${JSON.stringify(res.body.data)} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 150));
  }
};

/** Downloads the ZIP and checks it holds each record's PDF exactly once, and nothing else. */
const expectCompleteZip = async (base: string, token: string, id: string, records: { reference: string }[]) => {
  const res = await fetch(`${base}/eas/exports/${id}/file`, { headers: { Authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/zip');
  const zip = await JSZip.loadAsync(Buffer.from(await res.arrayBuffer()));
  const names = Object.keys(zip.files).sort();
  expect(names).toEqual(records.map((r) => `${r.reference}.pdf`).sort());
  for (const name of names) {
    const pdf = await zip.file(name)!.async('nodebuffer');
    expect(pdf.subarray(0, 5).toString('latin1'), name).toBe('%PDF-');
    // The PDF is that record's: its reference is printed in it.
    expect((await readPdf(pdf)).dense, name).toContain(name.replace(/\.pdf$/, ''));
  }
};

const connect = (url: string, token: string) =>
  new Promise<Socket>((resolve, reject) => {
    const socket = io(url, { path: '/eas/socket.io', transports: ['websocket'], auth: { token }, reconnection: false, timeout: 5000 });
    socket.once('eas.ready', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });

const progressEvents = (socket: Socket) => {
  const seen: { id: string; status: string; done: number; total: number }[] = [];
  socket.on('eas.export.progress', (e) => seen.push(e));
  return seen;
};

const monotonic = (seen: Progress[]) => seen.every((p, i) => i === 0 || p.done >= seen[i - 1].done);

describe('bulk exports as jobs, embedded (SQLite, no Redis)', () => {
  let strapi: StrapiInstance;
  let editor: { token: string };
  let records: { documentId: string; reference: string }[];

  beforeAll(async () => {
    // No REDIS_URL: the job table is the queue. One PDF at a time, so that the export is still running at the restart.
    strapi = await startStrapi({ db: 'sqlite', env: { REDIS_URL: '', PDF_CONCURRENCY: '1', EAS_EXPORT_RETENTION_HOURS: '0.004' } });
    ({ editor, records } = await seed(strapi.url, 40));
  }, 240_000);

  afterAll(async () => {
    await strapi?.stop();
  });

  it('an export still running when the instance restarts completes after it, each record once, and its file goes after the retention time', async () => {
    const id = await startExport(
      strapi.url,
      editor.token,
      records.map((r) => r.documentId)
    );
    const before = await pollUntil(strapi.url, editor.token, id, (p) => p.done >= 3);
    const atRestart = before[before.length - 1];
    expect(atRestart.status).toBe('running');
    expect(atRestart.done).toBeLessThan(records.length);

    await strapi.restart();

    const after = await pollUntil(strapi.url, editor.token, id, (p) => p.status !== 'running');
    expect(after[after.length - 1]).toMatchObject({
      id,
      status: 'done',
      total: records.length,
      done: records.length,
      failed: [],
      error: null,
    });
    // The restart resumed it: the count never went back.
    expect(after[0].done).toBeGreaterThanOrEqual(atRestart.done);
    expect(monotonic(after)).toBe(true);
    await expectCompleteZip(strapi.url, editor.token, id, records);
    expect(strapi.logs(Infinity)).toMatch(/resuming pdf-export/);

    // Retention (here 0.004 h ≈ 14 s): the ZIP and the job are gone, from the API and from the storage.
    const folder = path.join(strapi.env.EAS_EVIDENCE_DIR, 'jobs', id);
    expect(fs.existsSync(path.join(folder, 'export.zip'))).toBe(true);
    const deadline = Date.now() + 60_000;
    let file = 200;
    while (file !== 404 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
      file = (await fetch(`${strapi.url}/eas/exports/${id}/file`, { headers: { Authorization: `Bearer ${editor.token}` } })).status;
    }
    expect(file).toBe(404);
    expect((await http(`${strapi.url}/eas/exports/${id}`, { token: editor.token })).status).toBe(404);
    const swept = Date.now() + 10_000;
    while (fs.existsSync(folder) && Date.now() < swept) await new Promise((r) => setTimeout(r, 500));
    expect(fs.existsSync(folder)).toBe(false);
  }, 240_000);
});

const redisUrl = process.env.REDIS_URL;
const postgresUrl = process.env.DATABASE_URL;
if ((!redisUrl || !postgresUrl) && servicesRequired()) throw new Error('EAS_REQUIRE_SERVICES=1 but REDIS_URL or DATABASE_URL is not set');

describe.skipIf(!redisUrl || !postgresUrl)('bulk exports as jobs, two instances on PostgreSQL + Redis', () => {
  let a: StrapiInstance;
  let b: StrapiInstance;
  let worker: ChildProcess | null = null;
  let workerLog = '';
  let admin: { token: string };
  let editor: { token: string };
  let records: { documentId: string; reference: string }[];

  beforeAll(async () => {
    // A runs job workers, B only serves HTTP; a killed worker's lock expires after 3 s.
    const env = { PDF_CONCURRENCY: '1', EAS_JOB_LOCK_SECONDS: '3' };
    a = await startStrapi({ db: 'postgres', env });
    b = await startStrapi({ shareWith: a, env: { ...env, EAS_JOB_WORKERS: '0' } });
    ({ admin, editor, records } = await seed(b.url, 30));
  }, 240_000);

  afterAll(async () => {
    if (worker && worker.exitCode === null) worker.kill('SIGKILL');
    await b?.kill();
    const prefix = a?.env.EAS_REDIS_PREFIX;
    await a?.stop();
    await b?.stop();
    if (prefix && redisUrl) {
      const redis = new IORedis(redisUrl);
      const keys = await redis.keys(`${prefix}-jobs:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    }
  });

  it('an export started on A and run by A survives A being killed; B answers every poll, B serves the ZIP; another admin gets 404', async () => {
    const socket = await connect(b.url, editor.token);
    const events = progressEvents(socket);
    try {
      const id = await startExport(
        a.url,
        editor.token,
        records.map((r) => r.documentId)
      );
      const before = await pollUntil(b.url, editor.token, id, (p) => p.done >= 3);
      expect(before[before.length - 1].status).toBe('running');
      // Progress of A's worker reached the socket held by B.
      expect(events.some((e) => e.id === id && e.done >= 1)).toBe(true);

      process.kill(a.pid()!, 'SIGKILL');
      const stalled = await pollUntil(b.url, editor.token, id, () => true);
      expect(stalled[0].done).toBeLessThan(records.length);

      await a.restart();
      const after = await pollUntil(b.url, editor.token, id, (p) => p.status !== 'running');
      expect(after[after.length - 1]).toMatchObject({ status: 'done', total: records.length, done: records.length, failed: [] });
      expect(monotonic([...before, ...after])).toBe(true);
      await expectCompleteZip(b.url, editor.token, id, records);
      expect(events.some((e) => e.id === id && e.status === 'done')).toBe(true);

      const stranger = await createEditor(b.url, admin.token);
      expect((await http(`${b.url}/eas/exports/${id}`, { token: stranger.token })).status).toBe(404);
      expect((await fetch(`${b.url}/eas/exports/${id}/file`, { headers: { Authorization: `Bearer ${stranger.token}` } })).status).toBe(404);
      expect((await fetch(`${a.url}/eas/exports/${id}/file`, { headers: { Authorization: `Bearer ${stranger.token}` } })).status).toBe(404);
    } finally {
      socket.close();
    }
  }, 240_000);

  it('with workers off in every HTTP instance, `npm run worker` renders the export and its progress reaches the admin socket', async () => {
    const socket = await connect(b.url, editor.token);
    const events = progressEvents(socket);
    try {
      // Only B (workers off) serves HTTP now. A stopping (SIGTERM) leaves the sockets of B connected.
      await a.kill();
      await new Promise((r) => setTimeout(r, 500));
      expect(socket.connected).toBe(true);
      const some = records.slice(0, 8);
      const id = await startExport(
        b.url,
        editor.token,
        some.map((r) => r.documentId)
      );
      // Nobody works on it yet.
      for (let i = 0; i < 5; i++) {
        expect((await http(`${b.url}/eas/exports/${id}`, { token: editor.token })).body.data).toMatchObject({ status: 'running', done: 0 });
        await new Promise((r) => setTimeout(r, 300));
      }

      worker = spawn(process.execPath, [path.join(ROOT, 'scripts/worker.mjs'), '--no-build'], {
        cwd: ROOT,
        env: b.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      worker.stdout!.on('data', (d) => (workerLog += d));
      worker.stderr!.on('data', (d) => (workerLog += d));

      const after = await pollUntil(b.url, editor.token, id, (p) => p.status !== 'running');
      expect(after[after.length - 1], workerLog.slice(-3000)).toMatchObject({
        status: 'done',
        total: some.length,
        done: some.length,
        failed: [],
      });
      await expectCompleteZip(b.url, editor.token, id, some);
      // The worker has no socket.io server: its progress came through Redis to B's sockets.
      expect(events.filter((e) => e.id === id).map((e) => e.status)).toContain('done');
      expect(workerLog).toMatch(/worker \d+ is taking jobs/);
    } finally {
      socket.close();
      if (worker && worker.exitCode === null) {
        const exited = new Promise((r) => worker!.once('exit', r));
        worker.kill('SIGTERM');
        await exited;
      }
    }
  }, 240_000);
});

describe('bulk exports when Redis is unreachable', () => {
  let strapi: StrapiInstance;

  beforeAll(async () => {
    // Nothing listens on port 1: the queue cannot take the job.
    strapi = await startStrapi({ db: 'sqlite', env: { REDIS_URL: 'redis://127.0.0.1:1' } });
  }, 180_000);

  afterAll(async () => {
    await strapi?.stop();
  });

  it('should refuse to start an export with 503 job_queue_unavailable, not hang (the test times out if it does)', async () => {
    const { editor, records } = await seed(strapi.url, 1);
    const res = await http(`${strapi.url}/eas/exports`, {
      method: 'POST',
      token: editor.token,
      json: { documentIds: records.map((r) => r.documentId) },
    });
    expect(res.status).toBe(503);
    expect(res.body.error.details.code).toBe('job_queue_unavailable');
  }, 120_000);
});
