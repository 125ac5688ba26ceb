/**
 * Reliability: load and faults, with bounded time.
 *  1. Load: S concurrent submitters for T seconds against instance A (PostgreSQL when DATABASE_URL is set), while a
 *     dashboard socket on instance B (same database, Redis when REDIS_URL is set) counts the events: error rate,
 *     throughput, p95, and whether the dashboard received every submission.
 *  2. Database connections cut mid-run (pg_terminate_backend on the instance's database), then the database server
 *     restarted mid-run (a private PostgreSQL, stopped for a few seconds and started again): requests fail cleanly
 *     (503 "retry", never a 500 or a 401), nothing is lost or duplicated, and submissions succeed again afterwards.
 *  3. Redis killed mid-run (a private redis-server started here): local dashboard events continue.
 *  4. Chromium killed during a bulk export: the export finishes (failed items listed) and the next export works.
 * After the load and connection cuts, and after the database restart, `npm run verify` must find every record as the
 * audit chain recorded it and the chain unbroken (appends cut off mid-transaction leave no gap or fork).
 * Exits non-zero if a phase fails its check.
 *
 *   npx tsx bench/load-and-faults.ts --submitters=50 --seconds=60
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import {
  createAndPublishForm,
  createEditor,
  createFieldStaff,
  freePort,
  http,
  registerAdmin,
  servicesRequired,
  startStrapi,
  type StrapiInstance,
} from '../cms/tests/harness';
import { privatePostgresUnavailable, startPrivatePostgres } from '../cms/tests/private-postgres';
import { arg, percentile, runVerify, serverErrorExcerpts, verifyFindings } from './lib';

const SUBMITTERS = arg('submitters', 50);
const SECONDS = arg('seconds', 60);
const DOWN_SECONDS = arg('db-down', 4);
const problems: string[] = [];

const dashboard = (url: string, token: string) =>
  new Promise<Socket>((resolve, reject) => {
    const s = io(url, { path: '/eas/socket.io', transports: ['websocket'], auth: { token } });
    s.once('eas.ready', () => resolve(s));
    s.once('connect_error', reject);
  });

const submitLoop = async (
  url: string,
  jwt: string,
  slug: string,
  until: number,
  onResult: (status: number, ms: number, ref?: string) => void
) => {
  while (Date.now() < until) {
    const t0 = performance.now();
    try {
      const res = await fetch(`${url}/api/eas/records`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${jwt}` },
        body: JSON.stringify({
          clientId: randomUUID(),
          form: slug,
          formVersion: 1,
          data: { note: 'load' },
          capturedAt: new Date().toISOString(),
        }),
      });
      const body = await res.json().catch(() => null);
      onResult(res.status, performance.now() - t0, body?.data?.reference);
    } catch {
      onResult(0, performance.now() - t0);
    }
  }
};

/** `npm run verify` on an instance after a drill: every record intact and the audit chain unbroken. */
const verifyAfter = async (phase: string, strapi: StrapiInstance) => {
  const v = await runVerify(strapi);
  const findings = verifyFindings(v);
  console.log(
    `${phase}: npm run verify checked ${v.report.records} records and ${v.report.chain.entries} audit entries: ${findings || 'everything intact, chain unbroken'}`
  );
  if (findings || v.code !== 0) problems.push(`${phase}: npm run verify exited ${v.code}: ${findings}`);
};

const childPids = (pid: number): number[] => {
  const out: number[] = [];
  for (const dir of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const ppid = Number(/PPid:\s+(\d+)/.exec(fs.readFileSync(`/proc/${dir}/status`, 'utf8'))?.[1]);
      if (ppid === pid) out.push(Number(dir), ...childPids(Number(dir)));
    } catch {
      // gone
    }
  }
  return out;
};

/**
 * The database server restarted under load: devices keep submitting (each retries its record with the same clientId
 * and content until the server accepts it); the private PostgreSQL is stopped for DOWN_SECONDS and started again.
 */
const databaseRestartDrill = async (env: Record<string, string>) => {
  const db = await startPrivatePostgres();
  const strapi = await startStrapi({ db: 'postgres', postgresUrl: db.url, env });
  try {
    const admin = await registerAdmin(strapi.url);
    const staff = await Promise.all(Array.from({ length: 5 }, () => createFieldStaff(strapi.url, admin.token)));
    await createAndPublishForm(strapi.url, admin.token, {
      name: 'Restart',
      slug: 'restart',
      fields: [{ key: 'note', label: 'Note', type: 'text' }],
      frontPhoto: { enabled: false },
      backPhoto: { enabled: false },
      signatures: [],
    });
    const statuses = new Map<number, number>();
    const accepted = new Map<string, string>();
    let downAt = 0;
    let upAt = 0;
    let firstAfterUp = 0;
    const stopAt = Date.now() + (6 + DOWN_SECONDS + 6) * 1000;
    const device = async (jwt: string) => {
      while (Date.now() < stopAt) {
        const clientId = randomUUID();
        const body = JSON.stringify({
          clientId,
          form: 'restart',
          formVersion: 1,
          data: { note: 'restart drill' },
          capturedAt: new Date().toISOString(),
        });
        for (;;) {
          let status = 0;
          let documentId: string | undefined;
          try {
            const res = await fetch(`${strapi.url}/api/eas/records`, {
              method: 'POST',
              headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${jwt}` },
              body,
              signal: AbortSignal.timeout(10_000),
            });
            status = res.status;
            documentId = (await res.json().catch(() => null))?.data?.documentId;
          } catch {
            // no answer: retried like any other failure
          }
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if ((status === 200 || status === 201) && documentId) {
            accepted.set(clientId, documentId);
            if (upAt && !firstAfterUp) firstAfterUp = Date.now();
            break;
          }
          if (status !== 503 && status !== 0) break; // a wrong answer: reported below from the status counts
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    };
    const devices = Promise.all(staff.flatMap((s) => [device(s.jwt), device(s.jwt)]));
    await new Promise((r) => setTimeout(r, 6000));
    const before = accepted.size;
    downAt = Date.now();
    db.down();
    const healthDown = (await http(`${strapi.url}/health`)).status;
    await new Promise((r) => setTimeout(r, DOWN_SECONDS * 1000));
    db.up();
    upAt = Date.now();
    await devices;
    const healthUp = (await http(`${strapi.url}/health`)).status;

    // Exactly one record per accepted clientId, none for anything else.
    const held = new Map<string, number>();
    for (const s of staff) {
      for (let page = 1; ; page++) {
        const res = await http(`${strapi.url}/api/eas/records?pageSize=100&page=${page}`, { token: s.jwt });
        for (const r of res.body.data) held.set(r.clientId, (held.get(r.clientId) ?? 0) + 1);
        if (page >= res.body.meta.pagination.pageCount) break;
      }
    }
    const lost = [...accepted.keys()].filter((k) => !held.has(k)).length;
    const duplicated = [...held.values()].filter((n) => n > 1).length;
    const unknown = [...held.keys()].filter((k) => !accepted.has(k)).length;
    console.log(
      `database: private PostgreSQL stopped for ${((upAt - downAt) / 1000).toFixed(1)} s under 10 devices (${before} records before); ` +
        `answers ${JSON.stringify([...statuses].sort())}; /health ${healthDown} while down, ${healthUp} after; ` +
        `first submission accepted ${firstAfterUp ? `${firstAfterUp - upAt} ms` : 'never'} after it was back; ` +
        `${accepted.size} records accepted: lost ${lost} / duplicated ${duplicated} / unknown ${unknown}`
    );
    const bad = [...statuses.keys()].filter((st) => st !== 0 && st !== 200 && st !== 201 && st !== 503);
    if (bad.length)
      problems.push(
        `database restart: answers other than 503 while down: ${bad.join(', ')}\n${serverErrorExcerpts(strapi.logs(Infinity))}`
      );
    if (!statuses.get(503)) problems.push('database restart: no request met the outage (no 503 seen)');
    if (!firstAfterUp) problems.push('database restart: no submission succeeded after the database came back');
    if (healthDown !== 503 || healthUp !== 200)
      problems.push(`database restart: /health answered ${healthDown} while down and ${healthUp} after`);
    if (lost || duplicated || unknown) problems.push(`database restart: lost ${lost}, duplicated ${duplicated}, unknown ${unknown}`);
    await verifyAfter('database restart', strapi);
  } finally {
    await strapi.stop().catch(() => {});
    db.destroy();
  }
};

const main = async () => {
  const usePg = Boolean(process.env.DATABASE_URL);
  // A private Redis we may kill (never the machine's own).
  const redisPort = await freePort();
  const startRedis = () =>
    spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  let redis = startRedis();
  await new Promise((r) => setTimeout(r, 500));
  const env = { REDIS_URL: `redis://127.0.0.1:${redisPort}` };
  const a = await startStrapi({ db: usePg ? 'postgres' : 'sqlite', env });
  const b = usePg ? await startStrapi({ db: 'postgres', shareWith: a, env }) : a;
  try {
    const admin = await registerAdmin(a.url);
    const editor = await createEditor(a.url, admin.token);
    const staff = await Promise.all(Array.from({ length: Math.min(SUBMITTERS, 10) }, () => createFieldStaff(a.url, admin.token)));
    await createAndPublishForm(a.url, admin.token, {
      name: 'Load',
      slug: 'load',
      fields: [{ key: 'note', label: 'Note', type: 'text' }],
      frontPhoto: { enabled: false },
      backPhoto: { enabled: false },
      signatures: [],
    });

    // 1. Load.
    const dash = await dashboard(b.url, editor.token);
    const seen = new Set<string>();
    dash.on('eas.record.submitted', (e: { reference: string }) => seen.add(e.reference));
    const latencies: number[] = [];
    const statuses = new Map<number, number>();
    const created: string[] = [];
    const until = Date.now() + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: SUBMITTERS }, (_, i) =>
        submitLoop(a.url, staff[i % staff.length].jwt, 'load', until, (status, ms, ref) => {
          latencies.push(ms);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if (ref) created.push(ref);
        })
      )
    );
    await new Promise((r) => setTimeout(r, 2000));
    latencies.sort((x, y) => x - y);
    const errors = latencies.length - (statuses.get(201) ?? 0);
    const missed = created.filter((r) => !seen.has(r)).length;
    console.log(
      `load: ${SUBMITTERS} submitters × ${SECONDS} s on ${usePg ? 'PostgreSQL' : 'SQLite'}: ${latencies.length} requests, ${(latencies.length / SECONDS).toFixed(1)} req/s, ` +
        `p50 ${percentile(latencies, 50).toFixed(0)} ms, p95 ${percentile(latencies, 95).toFixed(0)} ms, errors ${errors} (${((errors / latencies.length) * 100).toFixed(2)} %); ` +
        `dashboard on ${usePg ? 'the other instance' : 'the same instance'} missed ${missed} of ${created.length} events`
    );
    if (errors) problems.push(`load: ${errors} failed requests ${JSON.stringify([...statuses])}`);
    if (missed) problems.push(`load: the dashboard missed ${missed} events`);

    // 2. Database connections cut mid-run.
    if (usePg) {
      const statusesDuring = new Map<number, number>();
      const stop = Date.now() + 8000;
      const loops = Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          submitLoop(a.url, staff[i].jwt, 'load', stop, (s) => statusesDuring.set(s, (statusesDuring.get(s) ?? 0) + 1))
        )
      );
      await new Promise((r) => setTimeout(r, 2000));
      const name = new URL(a.env.DATABASE_URL).pathname.slice(1);
      const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await c.connect();
      const cut = await c.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [
        name,
      ]);
      await c.end();
      await loops;
      const after = await http(`${a.url}/api/eas/records`, {
        method: 'POST',
        token: staff[0].jwt,
        json: { clientId: randomUUID(), form: 'load', formVersion: 1, data: { note: 'after' }, capturedAt: new Date().toISOString() },
      });
      console.log(
        `database: cut ${cut.rowCount} connections mid-run; answers during the run ${JSON.stringify([...statusesDuring])}; afterwards ${after.status}`
      );
      if (after.status !== 201) problems.push(`database: a submission after the cut answered ${after.status}`);
      // 401 would sign field staff out: a lost connection must never look like a bad session.
      const bad = [...statusesDuring.keys()].filter((st) => (st >= 500 && st !== 503) || st === 401);
      if (bad.length) problems.push(`database: answers other than 201 or 503 during the cut: ${bad.join(', ')}`);
    }
    await verifyAfter(usePg ? 'load and connection cuts' : 'load', a);
    const noPrivateServer = privatePostgresUnavailable();
    if (noPrivateServer && servicesRequired()) problems.push(`database restart: not run: ${noPrivateServer}`);
    else if (noPrivateServer) console.log(`database restart: skipped (${noPrivateServer})`);
    else await databaseRestartDrill(env);

    // 3. Redis killed mid-run: events keep reaching sockets on the instance that makes them.
    const local = await dashboard(a.url, editor.token);
    const localSeen = new Set<string>();
    local.on('eas.record.submitted', (e: { reference: string }) => localSeen.add(e.reference));
    redis.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 1000));
    const refs: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await http(`${a.url}/api/eas/records`, {
        method: 'POST',
        token: staff[0].jwt,
        json: { clientId: randomUUID(), form: 'load', formVersion: 1, data: { note: 'no redis' }, capturedAt: new Date().toISOString() },
      });
      if (res.status === 201) refs.push(res.body.data.reference);
    }
    await new Promise((r) => setTimeout(r, 1000));
    const got = refs.filter((r) => localSeen.has(r)).length;
    console.log(`redis: killed mid-run; ${refs.length} submissions accepted, ${got} delivered to the local dashboard`);
    if (refs.length !== 5 || got !== 5) problems.push(`redis: ${refs.length} accepted, ${got} delivered locally`);
    local.close();
    dash.close();
    // Background jobs live on Redis: while it is gone a bulk export is refused with a clear 503, nothing started.
    const refused = await http(`${a.url}/eas/exports`, { method: 'POST', token: editor.token, json: { status: 'submitted' } });
    console.log(
      `redis: a bulk export asked for while Redis is down answered ${refused.status} ${refused.body?.error?.details?.code ?? ''}`
    );
    if (refused.status !== 503 || refused.body?.error?.details?.code !== 'job_queue_unavailable')
      problems.push(`redis: a bulk export without Redis answered ${refused.status} ${JSON.stringify(refused.body).slice(0, 200)}`);
    // Redis comes back (same port): the instances reconnect by themselves and exports are taken again.
    redis = startRedis();

    // 4. Chromium killed during a bulk export.
    const ids = (
      await http(`${a.url}/content-manager/collection-types/plugin::eas.record?pageSize=40`, { token: admin.token })
    ).body.results.map((r: { documentId: string }) => r.documentId);
    let job = await http(`${a.url}/eas/exports`, { method: 'POST', token: editor.token, json: { documentIds: ids } });
    for (let i = 0; i < 60 && job.status === 503; i++) {
      await new Promise((r) => setTimeout(r, 500));
      job = await http(`${a.url}/eas/exports`, { method: 'POST', token: editor.token, json: { documentIds: ids } });
    }
    console.log(`redis: back after the kill; a bulk export was queued again (${job.status})`);
    if (job.status !== 202)
      throw new Error(`chromium drill: the export was not started: ${job.status} ${JSON.stringify(job.body).slice(0, 300)}`);
    let killed = 0;
    for (let i = 0; i < 50 && !killed; i++) {
      await new Promise((r) => setTimeout(r, 100));
      // The job runs on whichever instance's worker takes it from the queue (services/jobs.ts): look under both.
      const chromium = [...new Set([a, b].flatMap((inst) => childPids(inst.pid()!)))].filter((p) => {
        try {
          return /chrom/i.test(fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0')[0]);
        } catch {
          return false;
        }
      });
      for (const p of chromium) {
        try {
          process.kill(p, 'SIGKILL');
          killed++;
        } catch {
          // already gone
        }
      }
    }
    let progress;
    for (let i = 0; i < 300; i++) {
      progress = (await http(`${a.url}/eas/exports/${job.body.data.id}`, { token: editor.token })).body.data;
      if (progress.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const next = await fetch(`${a.url}/eas/records/${ids[0]}/pdf`, { headers: { Authorization: `Bearer ${editor.token}` } });
    console.log(
      `chromium: killed ${killed} Chromium processes during a ${ids.length}-record export; the export ended "${progress.status}" with ${progress.failed.length} failed item(s); the next PDF answered ${next.status}`
    );
    if (!killed) problems.push('chromium: no Chromium process was found to kill');
    if (progress.status !== 'done') problems.push(`chromium: the export ended ${progress.status}`);
    if (next.status !== 200) problems.push(`chromium: the next PDF answered ${next.status}`);
  } finally {
    if (b !== a) await b.stop();
    await a.stop();
    redis.kill('SIGKILL');
  }
  console.log(
    problems.length
      ? `\nload-and-faults: ${problems.length} problem(s)\n  - ${problems.join('\n  - ')}`
      : '\nload-and-faults: all checks passed'
  );
  if (problems.length) process.exitCode = 1;
};

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
