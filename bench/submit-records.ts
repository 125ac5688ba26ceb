/**
 * Benchmark (not a test): JSON-only record submissions — POST /api/eas/records with validation, idempotency
 * (clientId lookup + unique index), reference and the audit-chain entry — on SQLite and on PostgreSQL when
 * DATABASE_URL is set, against two baselines measured in the same run, in alternating rounds:
 *  - Strapi's plain core create of a JSON body of the same size (POST /api/eas/bench-baseline on the bench-only
 *    `bench-sample` type, createCoreController), on the same instance;
 *  - the same submissions on a second instance of the same kind of database started with EAS_BENCH_NO_AUDIT=1,
 *    whose audit `append` does nothing: "with chain / without chain" is what the chain costs a submission
 *    (goal: ≤ 1.10).
 * Prints requests/s, p50/p95/p99 and the ratios. Exits non-zero if any request is not answered 2xx, or if the
 * instances did not do what they are measured for (an entry per record with the chain, none without).
 *
 *   npm run bench:submit -- --requests=500 --concurrency=10 [--rounds=4]
 */
import { randomUUID } from 'node:crypto';
import { openDb } from '../cms/tests/db-access';
import { createAndPublishForm, createFieldStaff, registerAdmin, startStrapi, type DbKind, type StrapiInstance } from '../cms/tests/harness';
import { arg, load, percentile, table, type LoadResult } from './lib';

const REQUESTS = arg('requests', 500);
const CONCURRENCY = arg('concurrency', 10);
const ROUNDS = arg('rounds', 4);
const TARGET = { perSecond: 100, p95: 150, chainCost: 1.1 };

const form = (slug: string) => ({
  name: 'Bench survey',
  slug,
  fields: [
    { key: 'site_name', label: 'Site name', type: 'text', required: true },
    { key: 'people', label: 'People', type: 'number', min: 0, max: 500 },
    { key: 'visit_date', label: 'Visit date', type: 'date', required: true },
    { key: 'condition', label: 'Condition', type: 'select', required: true, options: 'good\nfair\npoor' },
    { key: 'notes', label: 'Notes', type: 'textarea' },
    { key: 'safe', label: 'Safe', type: 'checkbox' },
  ],
  frontPhoto: { enabled: false },
  backPhoto: { enabled: false },
  signatures: [],
});

const data = (i: number) => ({
  site_name: `Depot ${i}`,
  people: i % 300,
  visit_date: new Date().toISOString().slice(0, 10),
  condition: ['good', 'fair', 'poor'][i % 3],
  notes: 'Routine visit; nothing to report beyond wear on the loading bay doors. '.repeat(3),
  safe: i % 2 === 0,
});

const submission = (slug: string, i: number) =>
  JSON.stringify({ clientId: randomUUID(), form: slug, formVersion: 1, data: data(i), capturedAt: new Date().toISOString() });

const post = async (url: string, jwt: string, body: string) => {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${jwt}` }, body });
  await res.arrayBuffer();
  return res.status;
};

/** An instance with a field-staff user and a published form without media (records are submitted on arrival). */
const prepare = async (strapi: StrapiInstance) => {
  const admin = await registerAdmin(strapi.url);
  const staff = await createFieldStaff(strapi.url, admin.token);
  const slug = `bench-${Date.now().toString(36)}`;
  await createAndPublishForm(strapi.url, admin.token, form(slug));
  return { staff, slug };
};

/** Records and their creation entries in the audit chain, as the database holds them. */
const chainCounts = async (strapi: StrapiInstance) => {
  const db = await openDb(strapi);
  try {
    const [records] = await db.query<{ n: number | string }>('select count(*) as n from eas_records');
    const [entries] = await db.query<{ n: number | string }>("select count(*) as n from eas_audit_log where action = 'record.created'");
    return { records: Number(records.n), entries: Number(entries.n) };
  } finally {
    await db.close();
  }
};

/** Rounds of one endpoint merged: throughput over their summed wall time, percentiles over every request. */
const merge = (rs: LoadResult[]) => {
  const ms = rs.flatMap((r) => r.ms).sort((a, b) => a - b);
  const total = rs.reduce((a, r) => a + r.total, 0);
  return {
    total,
    ok: rs.reduce((a, r) => a + r.ok, 0),
    failed: rs.flatMap((r) => r.failed),
    perSecond: (total / rs.reduce((a, r) => a + r.wallMs, 0)) * 1000,
    p50: percentile(ms, 50),
    p95: percentile(ms, 95),
    p99: percentile(ms, 99),
  };
};

async function run(db: DbKind) {
  const withChain = await startStrapi({ db, env: { EAS_BENCH_BASELINE: '1' } });
  const withoutChain = await startStrapi({ db, env: { EAS_BENCH_BASELINE: '1', EAS_BENCH_NO_AUDIT: '1' } });
  try {
    const a = await prepare(withChain);
    const b = await prepare(withoutChain);
    const endpoints = {
      ours: (i: number) => post(`${withChain.url}/api/eas/records`, a.staff.jwt, submission(a.slug, i)),
      // The same JSON payload, stored by Strapi's core create in one text column, with no EAS logic.
      baseline: (i: number) =>
        post(`${withChain.url}/api/eas/bench-baseline`, a.staff.jwt, JSON.stringify({ data: { payload: submission(a.slug, i) } })),
      noChain: (i: number) => post(`${withoutChain.url}/api/eas/records`, b.staff.jwt, submission(b.slug, i)),
    };
    const names = Object.keys(endpoints) as (keyof typeof endpoints)[];
    const results: Record<keyof typeof endpoints, LoadResult[]> = { ours: [], baseline: [], noChain: [] };
    // Warm up every path, then alternate, rotating the order each round so none profits from its place.
    const warmup: LoadResult[] = [];
    for (const name of names) warmup.push(await load(50, CONCURRENCY, endpoints[name]));
    const perRound = Math.ceil(REQUESTS / ROUNDS);
    for (let round = 0; round < ROUNDS; round++) {
      for (let k = 0; k < names.length; k++) {
        const name = names[(round + k) % names.length];
        results[name].push(await load(perRound, CONCURRENCY, endpoints[name]));
      }
    }
    const counts = { withChain: await chainCounts(withChain), withoutChain: await chainCounts(withoutChain) };
    return {
      ours: merge(results.ours),
      baseline: merge(results.baseline),
      noChain: merge(results.noChain),
      warmupFailed: warmup.flatMap((w) => w.failed),
      counts,
    };
  } finally {
    await withoutChain.stop();
    await withChain.stop();
  }
}

const main = async () => {
  const kinds: DbKind[] = process.env.DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
  console.log(
    `submit-records: ${REQUESTS} requests per endpoint in ${ROUNDS} alternating rounds, ${CONCURRENCY} concurrent clients, ${kinds.join(' + ')}`
  );
  const rows: Record<string, string | number>[] = [];
  const verdicts: string[] = [];
  const problems: string[] = [];
  for (const db of kinds) {
    const { ours: o, baseline: b, noChain: n, warmupFailed, counts } = await run(db);
    const row = (endpoint: string, r: typeof o) => ({
      db,
      endpoint,
      ok: `${r.ok}/${r.total}`,
      'req/s': r.perSecond,
      'p50 ms': r.p50,
      'p95 ms': r.p95,
      'p99 ms': r.p99,
    });
    rows.push(row('POST /api/eas/records', o), row('same, without audit chain', n), row('core create (baseline)', b));
    // At saturation (CPU-bound), the time a submission costs is 1 / throughput.
    const chainCost = n.perSecond / o.perSecond;
    verdicts.push(
      `${db}: throughput ${(o.perSecond / b.perSecond).toFixed(2)}× core create, p95 ${(o.p95 / b.p95).toFixed(2)}× core create; ` +
        `target ≥ ${TARGET.perSecond}/s and p95 ≤ ${TARGET.p95} ms: ${o.perSecond >= TARGET.perSecond && o.p95 <= TARGET.p95 ? 'met' : 'MISSED'}`,
      `${db}: with chain / without chain = ${chainCost.toFixed(3)} in time per submission (1 / throughput), ${(o.p50 / n.p50).toFixed(3)} at p50, ` +
        `${(o.p95 / n.p95).toFixed(3)} at p95; goal ≤ ${TARGET.chainCost.toFixed(2)}: ${chainCost <= TARGET.chainCost ? 'met' : 'MISSED'}`
    );
    for (const [name, r] of [
      ['ours', o],
      ['without chain', n],
      ['baseline', b],
    ] as const) {
      if (r.failed.length)
        problems.push(`${db} ${name}: ${r.failed.length} requests not answered 2xx (${[...new Set(r.failed)].join(', ')})`);
    }
    if (warmupFailed.length)
      problems.push(`${db} warm-up: ${warmupFailed.length} requests not answered 2xx (${[...new Set(warmupFailed)].join(', ')})`);
    // What each instance is measured for: one creation entry per record with the chain, none without it.
    if (counts.withChain.entries !== counts.withChain.records)
      problems.push(
        `${db}: the chained instance holds ${counts.withChain.records} records but ${counts.withChain.entries} creation entries`
      );
    if (counts.withoutChain.entries !== 0 || counts.withoutChain.records === 0)
      problems.push(
        `${db}: the instance without chain holds ${counts.withoutChain.records} records and ${counts.withoutChain.entries} creation entries`
      );
  }
  console.log(`\n${table(rows)}\n`);
  for (const v of verdicts) console.log(v);
  if (problems.length) {
    console.log(`\nsubmit-records: ${problems.length} problem(s)\n  - ${problems.join('\n  - ')}`);
    process.exitCode = 1;
  }
};

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
