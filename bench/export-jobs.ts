/**
 * Benchmark (not a test): bulk exports as background jobs (services/jobs.ts) on PostgreSQL + Redis.
 *  1. Throughput with 1 and with 2 `npm run worker` processes (the HTTP instance runs no workers; PDF_CONCURRENCY=1
 *     per worker, so the comparison is about workers): J exports of R records each started at once, PDFs/s from
 *     the first POST to the last "done". Goal: 2 workers ≥ 1.7× one.
 *  2. The job queue's overhead on a one-record export: POST /eas/exports → done → ZIP downloaded, against
 *     GET /eas/records/:id/pdf rendering the same record directly; medians of N. Goal: ≤ 10 %.
 *
 *   DATABASE_URL=postgres://… REDIS_URL=redis://… npm run bench:jobs -- --jobs=4 --records=10 --iterations=10
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import path from 'node:path';
import sharp from 'sharp';
import { io } from 'socket.io-client';
import { uniqueSignaturePng } from '../cms/src/plugins/eas/server/src/utils/__tests__/image-fixtures';
import {
  createAndPublishForm,
  createEditor,
  createFieldStaff,
  http,
  putMultipart,
  putSignature,
  registerAdmin,
  startStrapi,
  submitDraft,
  type StrapiInstance,
} from '../cms/tests/harness';
import { arg, load, percentile, table } from './lib';

const JOBS = arg('jobs', 4);
const RECORDS = arg('records', 10);
const ITERATIONS = arg('iterations', 10);
const SKIP_THROUGHPUT = arg('throughput', 1) === 0;
const ROOT = path.resolve(__dirname, '..');

const photo = async (w: number, h: number) =>
  sharp(
    await sharp({ create: { width: w, height: h, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 60 } } })
      .blur(1.2)
      .png()
      .toBuffer()
  )
    .jpeg({ quality: 85 })
    .toBuffer();
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
/** A step that does not finish in `ms` fails the benchmark with its name, instead of hanging it. */
const within = <T>(ms: number, what: string, work: Promise<T>) =>
  Promise.race([
    work,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms).unref()),
  ]);
const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50
  );

/** Starts `npm run worker` on the instance's database, Redis and storage; resolves once it takes jobs. */
const workerLogs: string[] = [];
const startWorker = (instance: StrapiInstance) =>
  new Promise<ChildProcess>((resolve, reject) => {
    const log = workerLogs.push('') - 1;
    const child = spawn(process.execPath, [path.join(ROOT, 'scripts/worker.mjs'), '--no-build'], {
      cwd: ROOT,
      env: instance.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`worker did not start within 90 s:\n${out.slice(-3000)}`)), 90_000);
    const seen = (d: Buffer) => {
      out += d;
      workerLogs[log] += d;
      if (/is taking jobs/.test(out)) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', seen);
    child.on('exit', (code) => reject(new Error(`worker exited with ${code}:\n${out.slice(-3000)}`)));
  });

const stopWorker = async (child: ChildProcess) => {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
};

const main = async () => {
  if (!process.env.DATABASE_URL || !process.env.REDIS_URL)
    throw new Error('bench:jobs needs DATABASE_URL (PostgreSQL) and REDIS_URL: several processes share the jobs');
  const strapi = await startStrapi({ db: 'postgres', env: { EAS_JOB_WORKERS: '0', PDF_CONCURRENCY: '1' } });
  const workers: ChildProcess[] = [];
  try {
    const admin = await registerAdmin(strapi.url);
    const editor = await createEditor(strapi.url, admin.token);
    const staff = await createFieldStaff(strapi.url, admin.token);
    await createAndPublishForm(strapi.url, admin.token, {
      name: 'Bench jobs',
      slug: 'bench-jobs',
      fields: [{ key: 'notes', label: 'Notes', type: 'textarea' }],
      frontPhoto: { enabled: true, required: true, label: 'Front' },
      backPhoto: { enabled: true, required: true, label: 'Back' },
      signatures: [{ key: 'client', role: 'Client', consentText: 'I agree.', required: true }],
    });
    const [front, back] = [await photo(1280, 960), await photo(960, 1280)];
    const complete = async (i: number) => {
      const ok = <T extends { status: number; body: unknown }>(what: string, res: T, status: number) => {
        if (res.status !== status) throw new Error(`record ${i}: ${what} answered ${res.status} ${JSON.stringify(res.body)}`);
        return res;
      };
      const rec = ok(
        'create',
        await http(`${strapi.url}/api/eas/records`, {
          method: 'POST',
          token: staff.jwt,
          json: {
            clientId: randomUUID(),
            form: 'bench-jobs',
            formVersion: 1,
            data: { notes: `Record ${i}` },
            capturedAt: new Date().toISOString(),
          },
        }),
        201
      );
      const id = rec.body.data.documentId as string;
      ok(
        'front',
        await putMultipart(
          `${strapi.url}/api/eas/records/${id}/photos/front`,
          staff.jwt,
          { buffer: front, filename: 'f.jpg' },
          { originalSha256: sha(front) }
        ),
        201
      );
      ok(
        'back',
        await putMultipart(
          `${strapi.url}/api/eas/records/${id}/photos/back`,
          staff.jwt,
          { buffer: back, filename: 'b.jpg' },
          { originalSha256: sha(back) }
        ),
        201
      );
      ok(
        'signature',
        await putSignature(strapi.url, staff.jwt, id, 'client', {
          png: await uniqueSignaturePng(),
          signerName: 'Ada',
          consentText: 'I agree.',
        }),
        201
      );
      ok('submit', await submitDraft(strapi.url, staff.jwt, id), 200);
      return id;
    };
    const ids: string[] = [];
    await load(JOBS * RECORDS, 4, async (i) => {
      ids.push(await complete(i));
      return 200;
    });
    console.log(
      `export-jobs: ${JOBS} exports × ${RECORDS} records (2 photos + signature each), PDF_CONCURRENCY=1 per worker, ${ITERATIONS} single-record runs`
    );

    const waitDone = async (id: string, intervalMs: number) => {
      for (;;) {
        const res = await http(`${strapi.url}/eas/exports/${id}`, { token: editor.token });
        if (res.status !== 200) throw new Error(`GET /eas/exports/${id} answered ${res.status}`);
        const p = res.body.data;
        if (p.status === 'failed' || p.failed.length) throw new Error(`export ${id} ${p.status}: ${p.error ?? JSON.stringify(p.failed)}`);
        if (p.status === 'done') return p;
        await new Promise((r) => setTimeout(r, intervalMs));
      }
    };
    const exportOf = async (documentIds: string[], pollMs: number) => {
      const res = await http(`${strapi.url}/eas/exports`, { method: 'POST', token: editor.token, json: { documentIds } });
      if (res.status !== 202) throw new Error(`POST /eas/exports answered ${res.status} ${JSON.stringify(res.body)}`);
      await waitDone(res.body.data.id, pollMs);
      const zip = await fetch(`${strapi.url}/eas/exports/${res.body.data.id}/file`, {
        headers: { Authorization: `Bearer ${editor.token}` },
      });
      const bytes = (await zip.arrayBuffer()).byteLength;
      if (zip.status !== 200) throw new Error(`ZIP answered ${zip.status}`);
      return bytes;
    };
    const throughput = async () => {
      const t0 = performance.now();
      await Promise.all(Array.from({ length: JOBS }, (_, j) => exportOf(ids.slice(j * RECORDS, (j + 1) * RECORDS), 200)));
      const seconds = (performance.now() - t0) / 1000;
      return { seconds, perSecond: (JOBS * RECORDS) / seconds };
    };

    /**
     * The queue's overhead on one record, on `target` (an HTTP instance): GET /eas/records/:id/pdf rendered directly
     * by it, against POST /eas/exports → "done" event on the admin's socket → ZIP downloaded, rendered by whichever
     * worker takes the job. Done is learnt from the socket, as the admin page could, not by polling every few ms,
     * which would take CPU from the render on this 2-core machine. `log` holds the worker's log lines.
     */
    const overheadOn = async (target: StrapiInstance, log: () => string) => {
      const single = ids[0];
      const direct = async () => {
        const t0 = performance.now();
        const res = await fetch(`${target.url}/eas/records/${single}/pdf`, { headers: { Authorization: `Bearer ${editor.token}` } });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`GET /eas/records/:id/pdf answered ${res.status}`);
        return performance.now() - t0;
      };
      const socket = io(target.url, {
        path: '/eas/socket.io',
        transports: ['websocket'],
        auth: { token: editor.token },
        reconnection: false,
      });
      await new Promise<void>((resolve, reject) => {
        socket.once('eas.ready', () => resolve());
        socket.once('connect_error', reject);
      });
      const finished = new Map<string, () => void>();
      const doneIds = new Set<string>();
      socket.on('eas.export.progress', (e: { id: string; status: string }) => {
        if (e.status !== 'done') return;
        doneIds.add(e.id);
        finished.get(e.id)?.();
      });
      const queued = async () => {
        const t0 = performance.now();
        const res = await http(`${target.url}/eas/exports`, { method: 'POST', token: editor.token, json: { documentIds: [single] } });
        if (res.status !== 202) throw new Error(`POST /eas/exports answered ${res.status}`);
        const id = res.body.data.id as string;
        if (!doneIds.has(id)) await new Promise<void>((resolve) => finished.set(id, resolve));
        const zip = await fetch(`${target.url}/eas/exports/${id}/file`, { headers: { Authorization: `Bearer ${editor.token}` } });
        await zip.arrayBuffer();
        if (zip.status !== 200) throw new Error(`ZIP answered ${zip.status}`);
        return performance.now() - t0;
      };
      socket.on('eas.revoked', (e: unknown) => console.error(`bench socket revoked: ${JSON.stringify(e)}`));
      socket.on('disconnect', (reason) => reason !== 'io client disconnect' && console.error(`bench socket disconnected: ${reason}`));
      await within(60_000, 'warm-up direct GET', direct());
      await within(60_000, 'warm-up queued export', queued());
      const directMs: number[] = [];
      const queuedMs: number[] = [];
      const mark = log().length;
      for (let i = 0; i < ITERATIONS; i++) {
        directMs.push(await within(60_000, `direct GET ${i + 1}`, direct()));
        queuedMs.push(await within(60_000, `queued export ${i + 1}`, queued()));
      }
      socket.close();
      // Where a queued export's time goes, from the worker's log lines (services/jobs.ts).
      const lines = [
        ...log()
          .slice(mark)
          .matchAll(/done in (\d+) ms \(1 items, try 1; queued (\d+) ms before\)/g),
      ];
      return { directMs, queuedMs, runMs: lines.map((m) => Number(m[1])), waitMs: lines.map((m) => Number(m[2])) };
    };

    // Overhead with the worker inside the HTTP instance (the default): a second instance of the deployment, workers on.
    const inInstance = await startStrapi({ shareWith: strapi, env: { EAS_JOB_WORKERS: '1', PDF_CONCURRENCY: '1' } });
    let sameProcess: Awaited<ReturnType<typeof overheadOn>>;
    try {
      sameProcess = await overheadOn(inInstance, () => inInstance.logs(Infinity));
    } finally {
      await inInstance.kill();
    }

    // 1 worker process: warm it (browser launch), then measure.
    workers.push(await startWorker(strapi));
    await exportOf(ids.slice(0, 1), 50);
    const one = SKIP_THROUGHPUT ? { seconds: NaN, perSecond: NaN } : await throughput();
    const workerProcess = await overheadOn(strapi, () => workerLogs[0]);

    // 2 workers.
    let two = { seconds: NaN, perSecond: NaN };
    if (!SKIP_THROUGHPUT) {
      workers.push(await startWorker(strapi));
      await Promise.all([exportOf(ids.slice(0, 1), 50), exportOf(ids.slice(1, 2), 50)]);
      two = await throughput();
    }

    console.log(
      `\nThroughput\n${table([
        { workers: 1, PDFs: JOBS * RECORDS, s: one.seconds, 'PDFs/s': one.perSecond },
        { workers: 2, PDFs: JOBS * RECORDS, s: two.seconds, 'PDFs/s': two.perSecond },
      ])}`
    );
    const row = (what: string, ms: number[]) => ({
      path: what,
      'median ms': median(ms),
      'p95 ms': percentile(
        [...ms].sort((x, y) => x - y),
        95
      ),
    });
    const split = (o: typeof sameProcess) =>
      o.runMs.length
        ? `; the job waited ${median(o.waitMs).toFixed(0)} ms in the queue and ran ${median(o.runMs).toFixed(0)} ms (render, part, ZIP, store)`
        : '';
    const pct = (o: typeof sameProcess) => (median(o.queuedMs) / median(o.directMs) - 1) * 100;
    console.log(
      `\nOne record (medians of ${ITERATIONS})\n${table([
        row('direct GET, worker in the instance', sameProcess.directMs),
        row('queued export, worker in the instance', sameProcess.queuedMs),
        row('direct GET on the HTTP instance', workerProcess.directMs),
        row('queued export, worker process', workerProcess.queuedMs),
      ])}`
    );
    console.log(
      `Worker in the instance: +${(median(sameProcess.queuedMs) - median(sameProcess.directMs)).toFixed(0)} ms${split(sameProcess)}`
    );
    console.log(
      `Worker process: +${(median(workerProcess.queuedMs) - median(workerProcess.directMs)).toFixed(0)} ms${split(workerProcess)}`
    );
    const ratio = two.perSecond / one.perSecond;
    console.log(
      `\nGoals: 2 workers ≥ 1.7× one → ${ratio.toFixed(2)}×; queue overhead on one PDF ≤ 10 % → ${pct(sameProcess).toFixed(1)} % (worker in the instance), ${pct(workerProcess).toFixed(1)} % (worker process)`
    );
  } finally {
    await Promise.all(workers.map(stopWorker));
    await strapi.stop();
  }
};

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
