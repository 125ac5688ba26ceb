/**
 * Benchmark (not a test): JSON-only record submissions — POST /api/eas/records with validation, idempotency
 * (clientId lookup + unique index), reference and history — against Strapi's plain core create of a JSON body of the
 * same size (POST /api/eas/bench-baseline, createCoreController) in the same process, on SQLite and on PostgreSQL
 * when DATABASE_URL is set. Prints requests/s, p50/p95/p99 and our overhead ratio.
 *
 *   npm run bench:submit -- --requests=500 --concurrency=10
 */
import { randomUUID } from 'node:crypto';
import { createAndPublishForm, createFieldStaff, registerAdmin, startStrapi, type DbKind } from '../cms/tests/harness';
import { arg, load, table, type LoadResult } from './lib';

const REQUESTS = arg('requests', 500);
const CONCURRENCY = arg('concurrency', 10);
const TARGET = { perSecond: 100, p95: 150 };

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

async function run(db: DbKind) {
  const strapi = await startStrapi({ db, env: { EAS_BENCH_BASELINE: '1' } });
  try {
    const admin = await registerAdmin(strapi.url);
    const staff = await createFieldStaff(strapi.url, admin.token);
    const slug = `bench-${Date.now().toString(36)}`;
    await createAndPublishForm(strapi.url, admin.token, form(slug));

    const ours = async (i: number) => {
      const body = JSON.stringify({ clientId: randomUUID(), form: slug, formVersion: 1, data: data(i), capturedAt: new Date().toISOString() });
      const res = await fetch(`${strapi.url}/api/eas/records`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${staff.jwt}` },
        body,
      });
      await res.arrayBuffer();
      return res.status;
    };
    // Same JSON payload size, stored by Strapi's core create with no EAS logic.
    const baseline = async (i: number) => {
      const payload = JSON.stringify({ clientId: randomUUID(), form: slug, formVersion: 1, data: data(i), capturedAt: new Date().toISOString() });
      const res = await fetch(`${strapi.url}/api/eas/bench-baseline`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${staff.jwt}` },
        body: JSON.stringify({ data: { toState: 'draft', actorKind: 'system', at: new Date().toISOString(), comment: payload } }),
      });
      await res.arrayBuffer();
      return res.status;
    };

    // Warm up both paths, then alternate so neither profits from running second.
    await load(50, CONCURRENCY, ours);
    await load(50, CONCURRENCY, baseline);
    const results: Record<string, LoadResult[]> = { ours: [], baseline: [] };
    for (let round = 0; round < 2; round++) {
      results.baseline.push(await load(REQUESTS / 2, CONCURRENCY, baseline));
      results.ours.push(await load(REQUESTS / 2, CONCURRENCY, ours));
    }
    const merge = (rs: LoadResult[]) => ({
      ok: rs.reduce((a, r) => a + r.ok, 0),
      perSecond: rs.reduce((a, r) => a + r.perSecond, 0) / rs.length,
      p50: Math.max(...rs.map((r) => r.p50)),
      p95: Math.max(...rs.map((r) => r.p95)),
      p99: Math.max(...rs.map((r) => r.p99)),
    });
    const o = merge(results.ours);
    const b = merge(results.baseline);
    return { db, o, b };
  } finally {
    await strapi.stop();
  }
}

const main = async () => {
  const kinds: DbKind[] = process.env.DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
  console.log(`submit-records: ${REQUESTS} requests per endpoint, ${CONCURRENCY} concurrent clients, ${kinds.join(' + ')}`);
  const rows: Record<string, string | number>[] = [];
  const verdicts: string[] = [];
  for (const db of kinds) {
    const { o, b } = await run(db);
    rows.push({ db, endpoint: 'POST /api/eas/records', ok: o.ok, 'req/s': o.perSecond, 'p50 ms': o.p50, 'p95 ms': o.p95, 'p99 ms': o.p99 });
    rows.push({ db, endpoint: 'core create (baseline)', ok: b.ok, 'req/s': b.perSecond, 'p50 ms': b.p50, 'p95 ms': b.p95, 'p99 ms': b.p99 });
    verdicts.push(
      `${db}: throughput ${(o.perSecond / b.perSecond).toFixed(2)}× baseline, p95 ${(o.p95 / b.p95).toFixed(2)}× baseline; ` +
        `target ≥ ${TARGET.perSecond}/s and p95 ≤ ${TARGET.p95} ms: ${o.perSecond >= TARGET.perSecond && o.p95 <= TARGET.p95 ? 'met' : 'MISSED'}`
    );
  }
  console.log(`\n${table(rows)}\n`);
  for (const v of verdicts) console.log(v);
};

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
