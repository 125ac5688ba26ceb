/**
 * Benchmark (not a test): webhook delivery latency from commit (services/webhooks.ts, docs/webhooks.md). Strapi runs
 * with EAS_WEBHOOKS_ALLOW_INTERNAL=1 so that a receiver in this process on 127.0.0.1 may be an endpoint; the receiver
 * answers 204 and verifies every delivery with the `standardwebhooks` package, as a receiver would. One endpoint for
 * `record.created` of the bench's form (POST /eas/webhooks as the Super Admin), then three runs of --records
 * JSON-only submissions (POST /api/eas/records as field staff):
 *  - one at a time, each waiting for its delivery before the next (no queue in front of the sender);
 *  - sequentially, one POST after the other without waiting for deliveries;
 *  - a burst of --concurrency clients.
 * Latency = the delivery's arrival at the receiver (body read) − the moment the POST's response arrived: the record
 * was committed before the response, so this is "commit → delivered" as a client can see it (a delivery that
 * arrives before the response counts as negative). Also printed: arrival − the payload's `timestamp` (when the
 * server handled the committed event, just before queueing the delivery rows), deliveries/s from first to last, and
 * deliveries/s after the run's last response (the sender alone). Goal (issue 19): p95 ≤ 500 ms.
 *
 * Baseline in the same run: the bench POSTs the body and headers of a real delivery straight to the receiver, on a
 * new connection each time as the sender opens one (agent: false), --records times — the floor of one HTTP hop.
 *
 * Exits non-zero if a submission is not answered 201, a delivery's signature does not verify, a record's event
 * does not arrive within 60 s or arrives more than once, or the endpoint's log shows a failed attempt; never
 * because of a timing.
 *
 *   npm run bench:webhooks -- --records=200 [--concurrency=20] [--database=postgres|sqlite|both]
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http_ from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { createAndPublishForm, createFieldStaff, http, registerAdmin, startStrapi, type DbKind } from '../cms/tests/harness';
import { arg, percentile, table } from './lib';

const RECORDS = arg('records', 200);
const CONCURRENCY = arg('concurrency', 20);
const WARMUP = 10;
const GOAL_P95_MS = 500;

const databases = (): DbKind[] => {
  const wanted = process.argv.find((a) => a.startsWith('--database='))?.split('=')[1] ?? (process.env.DATABASE_URL ? 'both' : 'sqlite');
  if (wanted === 'both') return ['sqlite', 'postgres'];
  if (wanted === 'sqlite' || wanted === 'postgres') return [wanted];
  throw new Error(`--database must be postgres, sqlite or both (got ${wanted})`);
};

const form = (slug: string) => ({
  name: 'Bench webhooks',
  slug,
  fields: [
    { key: 'site_name', label: 'Site name', type: 'text', required: true },
    { key: 'people', label: 'People', type: 'number', min: 0, max: 500 },
    { key: 'notes', label: 'Notes', type: 'textarea' },
  ],
  frontPhoto: { enabled: false },
  backPhoto: { enabled: false },
  signatures: [],
});

interface Arrival {
  /** performance.now() when the body was read. */
  at: number;
  /** Date.now() at the same moment (to compare with the payload's timestamp). */
  wall: number;
  id: string;
  body: string;
  headers: Record<string, string>;
}

/** The receiver: verifies each delivery to /hook with the endpoint's secret; /hop is the baseline's path. */
const receiver = async () => {
  const deliveries: Arrival[] = [];
  const hops = new Map<string, number>();
  const forged: string[] = [];
  let secret = '';
  let waiter: (() => void) | null = null;
  const server = http_.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = performance.now();
      const wall = Date.now();
      res.writeHead(204).end();
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = req.headers as Record<string, string>;
      if (req.url === '/hop') {
        hops.set(headers['x-bench-hop'], at);
      } else {
        try {
          new Webhook(secret).verify(body, headers);
          deliveries.push({ at, wall, id: headers['webhook-id'], body, headers });
        } catch (err) {
          forged.push(`${headers['webhook-id']}: ${(err as Error).message}`);
        }
      }
      waiter?.();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    deliveries,
    hops,
    forged,
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    setSecret: (s: string) => void (secret = s),
    /** Resolves once `test()` holds (re-checked on each request and every 200 ms); false after `ms`. */
    until: async (test: () => boolean, ms: number) => {
      const deadline = Date.now() + ms;
      while (!test()) {
        if (Date.now() > deadline) return false;
        await new Promise<void>((r) => {
          waiter = r;
          setTimeout(r, 200);
        });
      }
      return true;
    },
    close: () => new Promise((r) => server.close(r)),
  };
};

const stats = (ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s[s.length - 1], min: s[0] };
};

/** One POST straight to the receiver with the body and headers of a delivery, on a new connection. */
const hop = (url: string, body: string, headers: Record<string, string>, key: string) =>
  new Promise<void>((resolve, reject) => {
    const req = http_.request(
      url,
      {
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'webhook-id': headers['webhook-id'],
          'webhook-timestamp': headers['webhook-timestamp'],
          'webhook-signature': headers['webhook-signature'],
          'x-bench-hop': key,
        },
      },
      (res) => {
        res.resume();
        res.on('end', resolve);
      }
    );
    req.on('error', reject);
    req.end(body);
  });

async function run(kind: DbKind) {
  const rx = await receiver();
  const strapi = await startStrapi({ db: kind, env: { EAS_WEBHOOKS_ALLOW_INTERNAL: '1' } });
  const problems: string[] = [];
  try {
    const admin = await registerAdmin(strapi.url);
    const staff = await createFieldStaff(strapi.url, admin.token);
    const slug = `bench-hooks-${Date.now().toString(36)}`;
    await createAndPublishForm(strapi.url, admin.token, form(slug));
    const endpoint = await http(`${strapi.url}/eas/webhooks`, {
      method: 'POST',
      token: admin.token,
      json: { url: rx.url('/hook'), events: ['record.created'], form: slug },
    });
    if (endpoint.status !== 201) throw new Error(`POST /eas/webhooks answered ${endpoint.status} ${JSON.stringify(endpoint.body)}`);
    rx.setSecret(endpoint.body.data.secret);

    /** documentId → when the POST's response arrived (performance.now()). */
    const answered = new Map<string, number>();
    const submit = async (i: number) => {
      const res = await fetch(`${strapi.url}/api/eas/records`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${staff.jwt}` },
        body: JSON.stringify({
          clientId: randomUUID(),
          form: slug,
          formVersion: 1,
          data: { site_name: `Depot ${i}`, people: i % 300, notes: 'Routine visit; nothing to report. '.repeat(3) },
          capturedAt: new Date().toISOString(),
        }),
      });
      const at = performance.now();
      const body = (await res.json()) as { data?: { documentId: string } };
      if (res.status !== 201 || !body.data) {
        problems.push(`${kind}: submission ${i} answered ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
        return null;
      }
      answered.set(body.data.documentId, at);
      return body.data.documentId;
    };
    const documentIdOf = (a: Arrival) => (JSON.parse(a.body) as { data: { record: { documentId: string } } }).data.record.documentId;
    /** Waits for the deliveries of `ids`; latency per record from its response, and from the payload's timestamp. */
    const collect = async (what: string, ids: string[]) => {
      const want = new Set(ids);
      const arrived = () => new Set(rx.deliveries.map(documentIdOf).filter((d) => want.has(d))).size;
      if (!(await rx.until(() => arrived() === want.size, 60_000)))
        problems.push(`${kind} ${what}: ${want.size - arrived()} of ${want.size} records' events did not arrive within 60 s`);
      const mine = rx.deliveries.filter((a) => want.has(documentIdOf(a)));
      const times = mine.map((a) => a.at);
      // After the last submission was answered only the sender works: its own pace.
      const lastAnswer = Math.max(...ids.map((d) => answered.get(d)!));
      const tail = times.filter((t) => t > lastAnswer);
      return {
        /** Deliveries per second after the last submission was answered (NaN when fewer than 10 were left). */
        drainPerSecond: tail.length >= 10 ? tail.length / ((Math.max(...tail) - lastAnswer) / 1000) : NaN,
        /** Deliveries per second from the first to the last of them. */
        perSecond: (mine.length - 1) / ((Math.max(...times) - Math.min(...times)) / 1000),
        last: Math.max(...times),
        fromResponse: mine.map((a) => a.at - answered.get(documentIdOf(a))!),
        fromEvent: mine.map((a) => a.wall - Date.parse((JSON.parse(a.body) as { timestamp: string }).timestamp)),
      };
    };

    // Warm-up (JIT, pools, the sender's first connection), not measured.
    const warm: string[] = [];
    for (let i = 0; i < WARMUP; i++) warm.push((await submit(i))!);
    await collect('warm-up', warm.filter(Boolean));

    // One at a time, each waiting for its delivery: no queue in front of the sender.
    const pacedIds: string[] = [];
    const p0 = performance.now();
    for (let i = 0; i < RECORDS; i++) {
      const id = await submit(WARMUP + i);
      if (!id) continue;
      pacedIds.push(id);
      if (!(await rx.until(() => rx.deliveries.some((a) => documentIdOf(a) === id), 60_000))) break;
    }
    const pacedSeconds = (performance.now() - p0) / 1000;
    const paced = await collect('one at a time', pacedIds);

    const sequentialIds: string[] = [];
    const s0 = performance.now();
    for (let i = 0; i < RECORDS; i++) {
      const id = await submit(WARMUP + RECORDS + i);
      if (id) sequentialIds.push(id);
    }
    const sequentialSeconds = (performance.now() - s0) / 1000;
    const sequential = await collect('sequential', sequentialIds);

    const burstIds: string[] = [];
    let next = 0;
    const b0 = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < RECORDS) {
          const id = await submit(WARMUP + 2 * RECORDS + next++);
          if (id) burstIds.push(id);
        }
      })
    );
    const burstSeconds = (performance.now() - b0) / 1000;
    const burst = await collect('burst', burstIds);

    // Past the sender's 1 s tick: a second copy of any event would have arrived by now.
    await new Promise((r) => setTimeout(r, 2500));
    const perRecord = new Map<string, number>();
    for (const a of rx.deliveries) perRecord.set(documentIdOf(a), (perRecord.get(documentIdOf(a)) ?? 0) + 1);
    const twice = [...perRecord].filter(([, n]) => n > 1);
    if (twice.length)
      problems.push(`${kind}: ${twice.length} records' events arrived more than once (e.g. ${twice[0][0]} × ${twice[0][1]})`);
    const unknown = [...perRecord.keys()].filter((d) => !answered.has(d));
    if (unknown.length) problems.push(`${kind}: ${unknown.length} deliveries for records the bench did not create`);
    const ids = new Set(rx.deliveries.map((a) => a.id));
    if (ids.size !== rx.deliveries.length) problems.push(`${kind}: ${rx.deliveries.length - ids.size} webhook-ids arrived twice`);
    if (rx.forged.length) problems.push(`${kind}: ${rx.forged.length} deliveries failed verification (${rx.forged[0]})`);
    const log = await http(`${strapi.url}/eas/webhooks/${endpoint.body.data.id}/deliveries`, { token: admin.token });
    const notClean = (log.body.data as { status: string; attempts: number }[]).filter((d) => d.status !== 'delivered' || d.attempts !== 1);
    if (log.status !== 200 || notClean.length)
      problems.push(`${kind}: the delivery log (newest ≤ 200) shows ${notClean.length} rows not delivered at the first attempt`);

    // Baseline: one HTTP hop with the same body and headers, as many times, one after the other.
    const sample = rx.deliveries[rx.deliveries.length - 1];
    const hopMs: number[] = [];
    for (let i = 0; i < RECORDS + WARMUP; i++) {
      const key = String(i);
      const t0 = performance.now();
      await hop(rx.url('/hop'), sample.body, sample.headers, key);
      if (i >= WARMUP) hopMs.push(rx.hops.get(key)! - t0);
    }

    const phase = (c: Awaited<ReturnType<typeof collect>>, seconds: number, started: number) => ({
      ...stats(c.fromResponse),
      fromEvent: stats(c.fromEvent),
      submitsPerSecond: RECORDS / seconds,
      deliveriesPerSecond: c.perSecond,
      drainPerSecond: c.drainPerSecond,
      drainedMs: c.last - started,
    });
    return {
      paced: phase(paced, pacedSeconds, p0),
      sequential: phase(sequential, sequentialSeconds, s0),
      burst: phase(burst, burstSeconds, b0),
      hop: stats(hopMs),
      problems,
    };
  } catch (err) {
    const pid = strapi.pid();
    const alive = pid !== undefined && fs.existsSync(`/proc/${pid}`);
    console.error(`${kind}: the server process ${alive ? 'still runs' : 'is gone'}; its log before the failure:\n${strapi.logs(6000)}`);
    throw err;
  } finally {
    await strapi.stop();
    await rx.close();
  }
}

const main = async () => {
  const kinds = databases();
  console.log(
    `webhooks: ${RECORDS} records sequentially and ${RECORDS} in a burst of ${CONCURRENCY} clients, one record.created endpoint, ${kinds.join(' + ')}`
  );
  const rows: Record<string, string | number>[] = [];
  const verdicts: string[] = [];
  const problems: string[] = [];
  for (const kind of kinds) {
    const r = await run(kind);
    problems.push(...r.problems);
    const row = (what: string, s: ReturnType<typeof stats>, extra: Record<string, string | number> = {}) => ({
      db: kind,
      what,
      n: s.n,
      'p50 ms': s.p50,
      'p95 ms': s.p95,
      'p99 ms': s.p99,
      'max ms': s.max,
      'min ms': s.min,
      ...extra,
    });
    const rates = (p: typeof r.paced) => ({
      'submits/s': p.submitsPerSecond,
      'deliveries/s': p.deliveriesPerSecond,
      'after last answer /s': Number.isNaN(p.drainPerSecond) ? '' : p.drainPerSecond,
    });
    const none = { 'submits/s': '', 'deliveries/s': '', 'after last answer /s': '' };
    rows.push(
      row('one at a time: response → delivery', r.paced, rates(r.paced)),
      row('  same, event handled → delivery', r.paced.fromEvent, none),
      row('sequential: response → delivery', r.sequential, rates(r.sequential)),
      row('  same, event handled → delivery', r.sequential.fromEvent, none),
      row(`burst of ${CONCURRENCY}: response → delivery`, r.burst, rates(r.burst)),
      row('  same, event handled → delivery', r.burst.fromEvent, none),
      row('one HTTP hop, bench → receiver (baseline)', r.hop, none)
    );
    verdicts.push(
      `${kind}: p95 ≤ ${GOAL_P95_MS} ms → one at a time ${r.paced.p95.toFixed(1)} ms, sequential ${r.sequential.p95.toFixed(1)} ms, ` +
        `burst ${r.burst.p95.toFixed(1)} ms: ${Math.max(r.paced.p95, r.sequential.p95, r.burst.p95) <= GOAL_P95_MS ? 'met' : 'MISSED'}; ` +
        `÷ one hop at p50: ${(r.paced.p50 / r.hop.p50).toFixed(0)}× one at a time, ${(r.sequential.p50 / r.hop.p50).toFixed(0)}× sequential, ` +
        `${(r.burst.p50 / r.hop.p50).toFixed(0)}× burst; last delivery ${(r.sequential.drainedMs / 1000).toFixed(2)} s after the ` +
        `sequential run began (its submissions took ${(RECORDS / r.sequential.submitsPerSecond).toFixed(2)} s), ` +
        `${(r.burst.drainedMs / 1000).toFixed(2)} s after the burst began (${(RECORDS / r.burst.submitsPerSecond).toFixed(2)} s)`
    );
  }
  console.log(`\n${table(rows)}\n`);
  for (const v of verdicts) console.log(v);
  if (problems.length) {
    console.log(`\nwebhooks: ${problems.length} problem(s)\n  - ${problems.join('\n  - ')}`);
    process.exitCode = 1;
  }
};

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
