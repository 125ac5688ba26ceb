/**
 * Benchmark (not a test): CSV and XLSX data exports of one form's records (services/data-export.ts, docs/exports.md)
 * through the real admin API — POST /eas/data-exports as an "EAS editor" → poll GET /eas/data-exports/:id every
 * 100 ms → GET /eas/data-exports/:id/file — with the Strapi server's memory sampled meanwhile: VmRSS from
 * /proc/<pid>/status every 50 ms, and VmHWM (the kernel's own peak, reset through /proc/<pid>/clear_refs before each
 * export, so no spike between two samples is missed), against the idle RSS just before the export. Each format at
 * --records (default 10,000) and at a tenth of it on a second form, to see whether memory grows with the record count.
 * Goals (issue 19): ≥ 2,000 records/s for CSV, peak within 100 MB of idle. Also printed: the longest a progress poll
 * waited for its answer — how long the export kept the server from answering anyone.
 *
 * Baselines in the same run, in the bench process on its own database connection: the same rows read by a plain
 * keyset scan of eas_records (owner joined, batches of 200 as the export reads them), and that scan writing the
 * record's own columns and one per field as CSV with csv-stringify to a file — what an export costs at least.
 *
 * Seeding: creating 10,000 records over HTTP would take minutes, so 3 records per form are created through
 * POST /api/eas/records as field staff and the others are copied from those rows straight into the database: every
 * column of eas_records as the API stored it (state 'submitted', data JSON, capturedBy, timestamps), a new id,
 * documentId, clientId and the reference the API makes from the id, the answers varied per row, and the same
 * formVersion and owner link rows (on PostgreSQL the tables are then ANALYZEd, as autovacuum would within a minute).
 * Not made for the copies: their audit-chain entries, and an integrityHash of their own (they keep their template's)
 * — `npm run verify` would flag them; the export reads neither.
 *
 * Exits non-zero if an export fails, its CSV does not hold one header and one row per record (each reference once),
 * or its XLSX does not open with exceljs with that many rows; never because of a timing.
 *
 *   DATABASE_URL=postgres://… npm run bench:export -- --records=10000 [--database=postgres|sqlite|both]
 */
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { openDb, type DbAccess } from '../cms/tests/db-access';
import {
  createAndPublishForm,
  createEditor,
  createFieldStaff,
  http,
  registerAdmin,
  startStrapi,
  submitRecord,
  type DbKind,
  type StrapiInstance,
} from '../cms/tests/harness';
import { arg, table } from './lib';

const RECORDS = arg('records', 10_000);
const SMALL = Math.max(10, Math.round(RECORDS / 10));
const TEMPLATES = 3;
/** The export's batch size (services/data-export.ts BATCH), used by the baseline scan too. */
const BATCH = 200;
const GOAL = { csvPerSecond: 2000, peakOverIdleMb: 100 };
const FORMATS = ['csv', 'xlsx'] as const;
type Format = (typeof FORMATS)[number];

const databases = (): DbKind[] => {
  const wanted = process.argv.find((a) => a.startsWith('--database='))?.split('=')[1] ?? (process.env.DATABASE_URL ? 'both' : 'sqlite');
  if (wanted === 'both') return ['sqlite', 'postgres'];
  if (wanted === 'sqlite' || wanted === 'postgres') return [wanted];
  throw new Error(`--database must be postgres, sqlite or both (got ${wanted})`);
};

const form = (slug: string) => ({
  name: `Bench export ${slug}`,
  slug,
  fields: [
    { key: 'site_name', label: 'Site name', type: 'text', required: true },
    { key: 'people', label: 'People', type: 'number', min: 0, max: 500 },
    { key: 'visit_date', label: 'Visit date', type: 'date', required: true },
    { key: 'condition', label: 'Condition', type: 'select', required: true, options: 'good\nfair\npoor' },
    { key: 'hazards', label: 'Hazards', type: 'multiselect', options: 'fire\nflood\nelectrical\nnone' },
    { key: 'notes', label: 'Notes', type: 'textarea' },
    { key: 'safe', label: 'Safe', type: 'checkbox' },
    { key: 'spot', label: 'Location', type: 'geopoint' },
  ],
  frontPhoto: { enabled: false },
  backPhoto: { enabled: false },
  signatures: [],
});

/** The answers of record i (the templates through the API, the copies in the database: same generator). */
const answers = (i: number) => ({
  site_name: `Depot ${i}, "north" yard`,
  people: i % 300,
  visit_date: new Date(Date.UTC(2026, 0, 1) + (i % 365) * 86_400_000).toISOString().slice(0, 10),
  condition: ['good', 'fair', 'poor'][i % 3],
  hazards: [['fire'], ['flood', 'electrical'], ['none']][i % 3],
  notes: `Visit ${i}: routine; wear on the loading bay doors,\nrust on the east gate. `.repeat(2),
  safe: i % 2 === 0,
  spot: `${(-1.2921 + (i % 1000) / 1e4).toFixed(5)} ${(36.8219 + (i % 997) / 1e4).toFixed(5)} 1700 ${5 + (i % 20)}`,
});

/** Strapi's document ids are 24 lowercase letters and digits starting with a letter (cuid2). */
const documentId = () =>
  'b' +
  [...randomBytes(23)]
    .map((b) => (b % 36).toString(36))
    .join('')
    .slice(0, 23);
/** As utils/record-hash.ts recordReference makes it from the row id. */
const reference = (id: number, at: Date) => `EAS-${at.getUTCFullYear()}-${String(id).padStart(6, '0')}`;
const asDate = (v: unknown) => (v instanceof Date ? v : new Date(typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : (v as string)));

type Row = Record<string, unknown>;

/**
 * Gives `slug` `count` submitted records: TEMPLATES through the API, the rest copied from their rows (see the doc
 * comment), 500 rows per INSERT, ids following the table's highest (PostgreSQL's sequences moved past them after).
 */
const seed = async (strapi: StrapiInstance, db: DbAccess, jwt: string, slug: string, count: number) => {
  for (let i = 0; i < Math.min(TEMPLATES, count); i++) await submitRecord(strapi.url, jwt, slug, answers(i));
  const templates = await db.query<Row>('select * from eas_records where form_slug = ? order by id', [slug]);
  const links = async (tableName: string) => {
    const rows = await db.query<Row>(
      `select * from ${tableName} where record_id in (${templates.map(() => '?').join(', ')}) order by record_id`,
      templates.map((t) => t.id)
    );
    return new Map(rows.map((r) => [Number(r.record_id), r]));
  };
  const linkTables = ['eas_records_form_version_lnk', 'eas_records_owner_lnk'];
  const linkRows = await Promise.all(linkTables.map(links));
  for (const [k, t] of linkTables.entries())
    if (linkRows[k].size !== templates.length)
      throw new Error(`${t}: the API's records have ${linkRows[k].size} link rows, not ${templates.length}`);
  const [{ max }] = await db.query<{ max: number | string }>('select max(id) as max from eas_records');
  let nextId = Number(max) + 1;
  const columns = Object.keys(templates[0]);
  const insert = async (tableName: string, cols: string[], rows: Row[]) => {
    if (!rows.length) return;
    const values = rows.map(() => `(${cols.map(() => '?').join(', ')})`).join(', ');
    await db.query(
      `insert into ${tableName} (${cols.join(', ')}) values ${values}`,
      rows.flatMap((r) => cols.map((c) => r[c]))
    );
  };
  for (let start = templates.length; start < count; start += 500) {
    const copies: { row: Row; template: Row }[] = [];
    for (let i = start; i < Math.min(count, start + 500); i++) {
      const template = templates[i % templates.length];
      const id = nextId++;
      const data = typeof template.data === 'string' ? JSON.stringify(answers(i)) : answers(i);
      copies.push({
        template,
        row: {
          ...template,
          id,
          document_id: documentId(),
          client_id: randomUUID(),
          reference: reference(id, asDate(template.created_at)),
          data,
        },
      });
    }
    await insert(
      'eas_records',
      columns,
      copies.map((c) => c.row)
    );
    for (const [k, tableName] of linkTables.entries()) {
      const cols = Object.keys(linkRows[k].values().next().value!).filter((c) => c !== 'id');
      await insert(
        tableName,
        cols,
        copies.map((c) => ({ ...linkRows[k].get(Number(c.template.id)), record_id: c.row.id }))
      );
    }
  }
  if (strapi.db === 'postgres') {
    await db.query(`select setval(pg_get_serial_sequence('eas_records', 'id'), (select max(id) from eas_records))`);
    // What autovacuum does within a minute of such an insert: without statistics the planner takes the table for
    // a few rows (a scan with a join then sorts every remaining row for each batch).
    await db.query(`analyze eas_records, eas_records_owner_lnk, eas_records_form_version_lnk`);
  }
  const [{ n }] = await db.query<{ n: number | string }>('select count(*) as n from eas_records where form_slug = ?', [slug]);
  if (Number(n) !== count) throw new Error(`seeding ${slug}: ${n} records, not ${count}`);
  // better-sqlite3 blocks this process while it inserts: let fetch see the keep-alive sockets the server closed
  // meanwhile (its 5 s idle timeout), or the next request goes out on a dead one ("other side closed").
  await new Promise((r) => setTimeout(r, 200));
};

// --- Memory of the server process -------------------------------------------------------------------------------

const status = (pid: number) => fs.readFileSync(`/proc/${pid}/status`, 'utf8');
const kb = (text: string, field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
const mb = (k: number) => k / 1024;

/** Samples VmRSS every 50 ms until `stop`; VmHWM is reset at the start when the kernel allows it (clear_refs 5). */
const sampleMemory = (pid: number) => {
  let hwmReset = true;
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    hwmReset = false;
  }
  const samples: number[] = [kb(status(pid), 'VmRSS')];
  const timer = setInterval(() => samples.push(kb(status(pid), 'VmRSS')), 50);
  return () => {
    clearInterval(timer);
    const last = status(pid);
    samples.push(kb(last, 'VmRSS'));
    const sampled = Math.max(...samples);
    /** The higher of the samples and VmHWM (when it could be reset). */
    return { peakKb: hwmReset ? Math.max(sampled, kb(last, 'VmHWM')) : sampled, hwmUsed: hwmReset };
  };
};

/** Runs `work` while sampling the memory of process `pid`; stops sampling also when `work` fails. */
const whileSampling = async <T>(pid: number, work: () => Promise<T>) => {
  const stop = sampleMemory(pid);
  try {
    const out = await work();
    return { out, mem: stop() };
  } catch (err) {
    stop();
    throw err;
  }
};

/** Median VmRSS over a second of quiet, after a second to settle. */
const idleRss = async (pid: number) => {
  await new Promise((r) => setTimeout(r, 1000));
  const xs: number[] = [];
  for (let i = 0; i < 10; i++) {
    xs.push(kb(status(pid), 'VmRSS'));
    await new Promise((r) => setTimeout(r, 100));
  }
  return xs.sort((a, b) => a - b)[5];
};

// --- The export through the API ---------------------------------------------------------------------------------

/**
 * A GET of the export's progress, timed from its first try. Retried (at most twice) when the connection is reset:
 * the server closes an idle keep-alive connection on a timer (5 s), and when its event loop was blocked for longer
 * the timer fires late, right as this request arrives on that connection — a stall, which the time shows.
 */
const poll = async (url: string, token: string, seen: { longestMs: number; resets: number }) => {
  const t0 = performance.now();
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await http(url, { token });
      seen.longestMs = Math.max(seen.longestMs, performance.now() - t0);
      return res;
    } catch (err) {
      if (attempt === 3) throw err;
      seen.resets++;
    }
  }
};

/**
 * POST → poll every 100 ms → file; the table's bytes, the wall time, the job's own time from the server log and the
 * longest a poll waited for its answer (the server's event loop busy meanwhile).
 */
const exportThroughApi = async (strapi: StrapiInstance, token: string, slug: string, format: Format) => {
  const t0 = performance.now();
  const res = await http(`${strapi.url}/eas/data-exports`, { method: 'POST', token, json: { form: slug, format } });
  if (res.status !== 202) throw new Error(`POST /eas/data-exports answered ${res.status} ${JSON.stringify(res.body)}`);
  const { id, total } = res.body.data as { id: string; total: number };
  const deadline = Date.now() + 300_000;
  const seen = { longestMs: 0, resets: 0 };
  for (;;) {
    const p = await poll(`${strapi.url}/eas/data-exports/${id}`, token, seen);
    if (p.status !== 200) throw new Error(`GET /eas/data-exports/${id} answered ${p.status} ${JSON.stringify(p.body)}`);
    if (p.body.data.status === 'done') break;
    if (p.body.data.status === 'failed') throw new Error(`${format} export of ${slug} failed: ${p.body.data.error}`);
    if (Date.now() > deadline) throw new Error(`${format} export of ${slug} not done after 300 s: ${JSON.stringify(p.body.data)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const file = await fetch(`${strapi.url}/eas/data-exports/${id}/file`, { headers: { Authorization: `Bearer ${token}` } });
  const bytes = Buffer.from(await file.arrayBuffer());
  if (file.status !== 200) throw new Error(`GET /eas/data-exports/${id}/file answered ${file.status}: ${bytes.toString().slice(0, 300)}`);
  const ms = performance.now() - t0;
  const jobMs = Number(new RegExp(`data-export ${id} done in (\\d+) ms`).exec(strapi.logs(Infinity))?.[1] ?? NaN);
  return { id, total, bytes, ms, jobMs, longestPollMs: seen.longestMs, resets: seen.resets };
};

/** What the table must hold: a header and one row per record, each reference once. Returns the problems found. */
const checkTable = async (format: Format, bytes: Buffer, records: number): Promise<string[]> => {
  let rows: unknown[][];
  if (format === 'csv') {
    rows = parseCsv(bytes) as string[][];
  } else {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    if (!sheet) return ['the XLSX has no sheet'];
    if (sheet.rowCount !== records + 1) return [`the XLSX sheet has ${sheet.rowCount} rows, not ${records + 1}`];
    rows = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  }
  if (rows.length !== records + 1) return [`the ${format.toUpperCase()} has ${rows.length} rows, not ${records} records + 1 header`];
  const col = rows[0].indexOf('reference');
  const refs = new Set(rows.slice(1).map((r) => r[col]));
  return refs.size === records ? [] : [`the ${format.toUpperCase()} holds ${refs.size} distinct references for ${records} records`];
};

// --- Baselines: the same rows read (and written as CSV) by the bench itself -------------------------------------

const scanSql = `select r.id, r.reference, r.state, r.data, r.created_at, r.submitted_at, r.reviewed_at, r.location,
  r.integrity_hash, r.captured_by, u.username, u.email
  from eas_records r
  left join eas_records_owner_lnk o on o.record_id = r.id
  left join up_users u on u.id = o.user_id
  where r.form_slug = ? and r.id > ? order by r.id limit ${BATCH}`;

/** Keyset scan in batches of BATCH; with `csvFile`, every row written as CSV (answers flattened per field). */
const baselineScan = async (db: DbAccess, slug: string, csvFile?: string) => {
  const t0 = performance.now();
  const keys = form(slug).fields.map((f) => f.key);
  const csv = csvFile ? stringify({ record_delimiter: 'windows', quoted_match: /[\r\n"]/ }) : null;
  const out = csvFile ? fs.createWriteStream(csvFile) : null;
  const closed = out ? once(out, 'close') : null;
  if (csv && out) csv.pipe(out);
  const put = async (row: unknown[]) => {
    if (csv && !csv.write(row)) await once(csv, 'drain');
  };
  await put(['reference', 'status', 'owner', 'createdAt', 'submittedAt', 'reviewedAt', 'location', 'integrityHash', ...keys]);
  let after = 0;
  let n = 0;
  for (;;) {
    const batch = await db.query<Row>(scanSql, [slug, after]);
    if (!batch.length) break;
    if (csv)
      for (const r of batch) {
        const data = (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Record<string, unknown>;
        await put([
          r.reference,
          r.state,
          r.username ?? r.email ?? r.captured_by,
          asDate(r.created_at).toISOString(),
          r.submitted_at ? asDate(r.submitted_at).toISOString() : '',
          r.reviewed_at ? asDate(r.reviewed_at).toISOString() : '',
          r.location ? JSON.stringify(r.location) : '',
          r.integrity_hash,
          ...keys.map((k) => (Array.isArray(data[k]) ? (data[k] as string[]).join('; ') : data[k])),
        ]);
      }
    n += batch.length;
    after = Number(batch[batch.length - 1].id);
  }
  if (csv) csv.end();
  await closed;
  return { rows: n, ms: performance.now() - t0 };
};

// --- One database -----------------------------------------------------------------------------------------------

async function run(kind: DbKind) {
  const strapi = await startStrapi({ db: kind });
  const problems: string[] = [];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'eas-bench-export-'));
  let db: DbAccess | null = null;
  try {
    db = await openDb(strapi);
    const pid = strapi.pid();
    if (!pid) throw new Error('the Strapi process has no pid');
    const admin = await registerAdmin(strapi.url);
    const editor = await createEditor(strapi.url, admin.token);
    const staff = await createFieldStaff(strapi.url, admin.token);
    const forms = { large: { slug: 'bench-export-large', records: RECORDS }, small: { slug: 'bench-export-small', records: SMALL } };
    const s0 = performance.now();
    for (const f of Object.values(forms)) {
      await createAndPublishForm(strapi.url, admin.token, form(f.slug));
      await seed(strapi, db, staff.jwt, f.slug, f.records);
    }
    const seedSeconds = (performance.now() - s0) / 1000;

    // Warm-up (JIT, pools, the job queue), not measured.
    const coldIdleKb = await idleRss(pid);
    let warmPeakKb = 0;
    for (const format of FORMATS)
      warmPeakKb = Math.max(
        warmPeakKb,
        (await whileSampling(pid, () => exportThroughApi(strapi, editor.token, forms.small.slug, format))).mem.peakKb
      );
    const startIdleKb = await idleRss(pid);

    const rows: Record<string, string | number>[] = [];
    const memoryNotes = new Set<string>();
    const peaks: number[] = [];
    const results: Record<string, { ms: number; peakOverIdleMb: number; longestPollMs: number }> = {};
    for (const format of FORMATS) {
      for (const f of [forms.small, forms.large]) {
        const idleKb = await idleRss(pid);
        const { out, mem } = await whileSampling(pid, () => exportThroughApi(strapi, editor.token, f.slug, format));
        if (out.total !== f.records) problems.push(`${kind} ${format} ${f.records}: the export counted ${out.total} records`);
        problems.push(...(await checkTable(format, out.bytes, f.records)).map((p) => `${kind} ${format} ${f.records}: ${p}`));
        const { peakKb } = mem;
        peaks.push(peakKb);
        results[`${format}:${f.records}`] = { ms: out.ms, peakOverIdleMb: mb(peakKb - idleKb), longestPollMs: out.longestPollMs };
        memoryNotes.add(
          mem.hwmUsed
            ? 'peak = the higher of VmHWM (reset before each export) and VmRSS sampled every 50 ms'
            : 'peak = VmRSS sampled every 50 ms (VmHWM could not be reset)'
        );
        rows.push({
          db: kind,
          format,
          records: f.records,
          'ms (POST → file)': out.ms,
          'records/s': f.records / (out.ms / 1000),
          'job ms': out.jobMs,
          'file MB': out.bytes.length / 1e6,
          'idle RSS MB': mb(idleKb),
          'peak RSS MB': mb(peakKb),
          'peak − idle MB': mb(peakKb - idleKb),
          'longest poll ms': out.longestPollMs,
          resets: out.resets,
        });
      }
    }
    const endIdleKb = await idleRss(pid);

    // Baselines on the large form: warm the cache once, then measure.
    await baselineScan(db, forms.large.slug);
    const scan = await baselineScan(db, forms.large.slug);
    const scanCsv = await baselineScan(db, forms.large.slug, path.join(tmp, 'baseline.csv'));
    for (const b of [scan, scanCsv])
      if (b.rows !== RECORDS) problems.push(`${kind} baseline: the scan read ${b.rows} rows, not ${RECORDS}`);
    const baselineCsvRows = (parseCsv(fs.readFileSync(path.join(tmp, 'baseline.csv'))) as unknown[]).length;
    if (baselineCsvRows !== RECORDS + 1) problems.push(`${kind} baseline: its CSV has ${baselineCsvRows} rows, not ${RECORDS + 1}`);

    const peakKb = Math.max(...peaks);
    return {
      rows,
      results,
      scan,
      scanCsv,
      seedSeconds,
      memory: { coldIdleKb, warmPeakKb, startIdleKb, endIdleKb, peakKb },
      problems,
      memoryNotes: [...memoryNotes],
    };
  } catch (err) {
    const pid = strapi.pid();
    const alive = pid !== undefined && fs.existsSync(`/proc/${pid}`);
    console.error(`${kind}: the server process ${alive ? 'still runs' : 'is gone'}; its log before the failure:\n${strapi.logs(6000)}`);
    throw err;
  } finally {
    await db?.close();
    await strapi.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

const main = async () => {
  const kinds = databases();
  console.log(`data-export: ${RECORDS} and ${SMALL} records of one form, CSV and XLSX, ${kinds.join(' + ')}`);
  const rows: Record<string, string | number>[] = [];
  const baselines: Record<string, string | number>[] = [];
  const verdicts: string[] = [];
  const problems: string[] = [];
  for (const kind of kinds) {
    const r = await run(kind);
    rows.push(...r.rows);
    problems.push(...r.problems);
    const csv = r.results[`csv:${RECORDS}`];
    const xlsx = r.results[`xlsx:${RECORDS}`];
    baselines.push(
      {
        db: kind,
        what: `keyset scan, batches of ${BATCH} (bench)`,
        records: RECORDS,
        ms: r.scan.ms,
        'records/s': RECORDS / (r.scan.ms / 1000),
      },
      {
        db: kind,
        what: 'same + csv-stringify to a file (bench)',
        records: RECORDS,
        ms: r.scanCsv.ms,
        'records/s': RECORDS / (r.scanCsv.ms / 1000),
      }
    );
    const worstPeak = Math.max(...Object.values(r.results).map((x) => x.peakOverIdleMb));
    verdicts.push(
      `${kind}: ${r.memoryNotes.join('; ')}`,
      `${kind}: seeded in ${r.seedSeconds.toFixed(1)} s; idle RSS ${mb(r.memory.coldIdleKb).toFixed(0)} MB before any export, ` +
        `peak ${mb(r.memory.warmPeakKb).toFixed(0)} MB in the warm-up (CSV + XLSX of ${SMALL}), ${mb(r.memory.startIdleKb).toFixed(0)} MB idle after it, ` +
        `peak ${mb(r.memory.peakKb).toFixed(0)} MB in the measured exports (${mb(r.memory.peakKb - r.memory.coldIdleKb).toFixed(0)} MB over the first idle), ` +
        `${mb(r.memory.endIdleKb).toFixed(0)} MB idle after them`,
      `${kind}: CSV export / scan = ${(csv.ms / r.scan.ms).toFixed(1)}×, / scan + CSV = ${(csv.ms / r.scanCsv.ms).toFixed(1)}×; XLSX / CSV = ${(xlsx.ms / csv.ms).toFixed(2)}×`,
      `${kind}: CSV ≥ ${GOAL.csvPerSecond} records/s → ${(RECORDS / (csv.ms / 1000)).toFixed(0)}: ${RECORDS / (csv.ms / 1000) >= GOAL.csvPerSecond ? 'met' : 'MISSED'}; ` +
        `peak within ${GOAL.peakOverIdleMb} MB of idle → worst ${worstPeak.toFixed(0)} MB: ${worstPeak <= GOAL.peakOverIdleMb ? 'met' : 'MISSED'}; ` +
        `peak − idle at ${SMALL} → ${RECORDS}: CSV ${r.results[`csv:${SMALL}`].peakOverIdleMb.toFixed(0)} → ${csv.peakOverIdleMb.toFixed(0)} MB, ` +
        `XLSX ${r.results[`xlsx:${SMALL}`].peakOverIdleMb.toFixed(0)} → ${xlsx.peakOverIdleMb.toFixed(0)} MB`,
      `${kind}: the longest a progress poll waited for its answer during the ${RECORDS}-record exports (polled every 100 ms; ` +
        `meanwhile the server answers no other request either): CSV ${csv.longestPollMs.toFixed(0)} ms, XLSX ${xlsx.longestPollMs.toFixed(0)} ms`
    );
  }
  console.log(
    `\nExports (admin API; records/s over POST → file downloaded; "job ms" is the job's own time in the server log)\n${table(rows)}`
  );
  console.log(`\nBaselines (same rows, same database, read by the bench)\n${table(baselines)}\n`);
  for (const v of verdicts) console.log(v);
  if (problems.length) {
    console.log(`\ndata-export: ${problems.length} problem(s)\n  - ${problems.join('\n  - ')}`);
    process.exitCode = 1;
  }
};

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
