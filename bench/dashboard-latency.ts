/**
 * Benchmark (not a test): live dashboard latency. N admin dashboard sockets (default 500) listen while records are
 * submitted over REST; for each submission, the time from sending the POST to each socket receiving
 * eas.record.submitted. Once with everything on one instance, once with the sockets on instance B and the
 * submissions on instance A (PostgreSQL + Redis; needs DATABASE_URL and REDIS_URL). Prints p50/p95/p99 and the
 * server's memory per connected socket.
 *
 *   npm run bench:dashboard -- --clients=500 --submissions=30
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { io, type Socket } from 'socket.io-client';
import { createAndPublishForm, createFieldStaff, registerAdmin, startStrapi, type StrapiInstance } from '../cms/tests/harness';
import { arg, percentile, table } from './lib';

const CLIENTS = arg('clients', 500);
const SUBMISSIONS = arg('submissions', 30);

const rssMb = (pid: number | undefined) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;

const connectAll = async (url: string, token: string, n: number) => {
  const sockets: Socket[] = [];
  for (let i = 0; i < n; i += 50) {
    await Promise.all(
      Array.from(
        { length: Math.min(50, n - i) },
        () =>
          new Promise<void>((resolve, reject) => {
            const s = io(url, { path: '/eas/socket.io', transports: ['websocket'], auth: { token }, reconnection: false });
            s.once('eas.ready', () => resolve());
            s.once('connect_error', reject);
            sockets.push(s);
          })
      )
    );
  }
  return sockets;
};

const run = async (
  label: string,
  submitTo: StrapiInstance,
  listenOn: StrapiInstance,
  adminToken: string,
  staffJwt: string,
  slug: string
) => {
  const baseRss = rssMb(listenOn.pid());
  const sockets = await connectAll(listenOn.url, adminToken, CLIENTS);
  const perClientKb = ((rssMb(listenOn.pid()) - baseRss) * 1024) / CLIENTS;
  const latencies: number[] = [];
  let missed = 0;
  for (let i = 0; i < SUBMISSIONS; i++) {
    const clientId = randomUUID();
    let reference = '';
    const sent = performance.now();
    const arrivals = sockets.map(
      (s) =>
        new Promise<number>((resolve) => {
          const timer = setTimeout(() => resolve(NaN), 5000);
          const onEvent = (e: { reference: string }) => {
            if (reference && e.reference !== reference) return;
            clearTimeout(timer);
            s.off('eas.record.submitted', onEvent);
            resolve(performance.now() - sent);
          };
          s.on('eas.record.submitted', onEvent);
        })
    );
    const res = await fetch(`${submitTo.url}/api/eas/records`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${staffJwt}` },
      body: JSON.stringify({ clientId, form: slug, formVersion: 1, data: { note: `n${i}` }, capturedAt: new Date().toISOString() }),
    });
    const body = await res.json();
    // A refused submission sends no event: the latencies would be of nothing.
    if (res.status !== 201) throw new Error(`submission ${i} answered ${res.status} ${JSON.stringify(body)}`);
    reference = body.data.reference;
    for (const ms of await Promise.all(arrivals)) {
      if (Number.isNaN(ms)) missed++;
      else latencies.push(ms);
    }
  }
  sockets.forEach((s) => s.close());
  latencies.sort((a, b) => a - b);
  return {
    setup: label,
    clients: CLIENTS,
    deliveries: latencies.length,
    missed,
    'p50 ms': percentile(latencies, 50),
    'p95 ms': percentile(latencies, 95),
    'p99 ms': percentile(latencies, 99),
    'KB/socket': perClientKb,
  };
};

const main = async () => {
  const multi = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL);
  const a = await startStrapi({ db: multi ? 'postgres' : 'sqlite' });
  const b = multi ? await startStrapi({ db: 'postgres', shareWith: a }) : null;
  try {
    const admin = await registerAdmin(a.url);
    const staff = await createFieldStaff(a.url, admin.token);
    await createAndPublishForm(a.url, admin.token, {
      name: 'Bench live',
      slug: 'bench-live',
      fields: [{ key: 'note', label: 'Note', type: 'text' }],
      frontPhoto: { enabled: false },
      backPhoto: { enabled: false },
      signatures: [],
    });
    const rows = [await run('one instance', a, a, admin.token, staff.jwt, 'bench-live')];
    if (b) rows.push(await run('A → Redis → B', a, b, admin.token, staff.jwt, 'bench-live'));
    console.log(`dashboard-latency: ${CLIENTS} dashboard sockets, ${SUBMISSIONS} submissions (POST sent → event received)\n`);
    console.log(table(rows));
    console.log(
      `\nGoals: p95 ≤ 50 ms on one instance (${rows[0]['p95 ms'].toFixed(1)}), ≤ 100 ms across instances (${rows[1] ? rows[1]['p95 ms'].toFixed(1) : 'not run: needs DATABASE_URL and REDIS_URL'})`
    );
  } finally {
    await b?.stop();
    await a.stop();
  }
};

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
