/** Small helpers shared by the benchmarks: closed-loop load with N workers, percentiles, a printed table. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { StrapiInstance } from '../cms/tests/harness';

export interface Sample {
  ms: number;
  status: number;
}

export const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;

/** Runs `total` calls of `task(i)` with `concurrency` workers; returns per-call latency and the wall time. */
export const load = async (total: number, concurrency: number, task: (i: number) => Promise<number>) => {
  const samples: Sample[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const t0 = performance.now();
        const status = await task(i);
        samples.push({ ms: performance.now() - t0, status });
      }
    })
  );
  const wallMs = performance.now() - started;
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  return {
    total,
    ok: samples.filter((s) => s.status >= 200 && s.status < 300).length,
    /** Answers other than 2xx, by status (a benchmark whose requests fail measures nothing). */
    failed: samples.filter((s) => s.status < 200 || s.status >= 300).map((s) => s.status),
    wallMs,
    /** Every call's latency, sorted (to merge rounds into one distribution). */
    ms,
    perSecond: (total / wallMs) * 1000,
    p50: percentile(ms, 50),
    p95: percentile(ms, 95),
    p99: percentile(ms, 99),
  };
};

export type LoadResult = Awaited<ReturnType<typeof load>>;

export const table = (rows: Record<string, string | number>[]) => {
  const cols = Object.keys(rows[0]);
  const fmt = (v: string | number) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(1)) : v);
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => fmt(r[c]).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  return [line(cols), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(cols.map((c) => fmt(r[c]))))].join('\n');
};

export const arg = (name: string, fallback: number) => {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? Number(hit.split('=')[1]) : fallback;
};

/**
 * For a failed check: the server log around each answer with a 5xx other than 503 (the error and its stack are
 * logged just before the request line), at most `max` of them.
 */
export const serverErrorExcerpts = (logs: string, max = 3) => {
  // eslint-disable-next-line no-control-regex
  const lines = logs.replace(/\x1b\[[0-9;]*m/g, '').split('\n');
  const hits = lines.flatMap((line, i) => (/\) 5(?!03)\d\d\s*$/.test(line) ? [i] : [])).slice(0, max);
  return hits.map((i) => lines.slice(Math.max(0, i - 25), i + 1).join('\n')).join('\n…\n');
};

/** Every file under an instance's evidence folder (EAS_EVIDENCE_DIR), as paths relative to it, sorted. */
export const evidenceFiles = (root: string): string[] => {
  if (!fs.existsSync(root)) return [];
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push(path.relative(root, full).split(path.sep).join('/'));
    }
  };
  walk(root);
  return out.sort();
};

/** What `npm run verify -- --json` reports (services/integrity.ts SweepReport), as far as the benchmarks read it. */
export interface VerifyReport {
  startedAt: string;
  finishedAt: string;
  records: number;
  files: number;
  bytes: number;
  alteredCount: number;
  altered: { reference: string; findings: { part: string; problem: string }[] }[];
  unrecorded: number;
  chain: { entries: number; breaks: { seq: number; problem: string }[]; checkpointProblems: unknown[]; checkpoints: number };
}

/**
 * Runs `npm run verify -- --json` (scripts/verify.mjs: its own Strapi, booted on the instance's database, secrets
 * and evidence store) and returns its exit code (0 all intact, 1 findings), its report and the wall time including
 * Strapi's boot.
 */
export const runVerify = (instance: StrapiInstance) =>
  new Promise<{ code: number; report: VerifyReport; wallSeconds: number }>((resolve, reject) => {
    const root = path.resolve(__dirname, '..');
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, [path.join(root, 'scripts/verify.mjs'), '--json'], {
      cwd: root,
      env: instance.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      const wallSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
      try {
        resolve({ code: code ?? -1, report: JSON.parse(out) as VerifyReport, wallSeconds });
      } catch {
        reject(new Error(`verify exited ${code} without a JSON report:\n${out.slice(-2000)}\n${err.slice(-4000)}`));
      }
    });
  });

/** A verify report's findings in one line ('' when everything is intact). */
export const verifyFindings = (v: { code: number; report: VerifyReport }) => {
  const r = v.report;
  const parts = [
    r.alteredCount
      ? `${r.alteredCount} altered (${r.altered
          .slice(0, 5)
          .map((a) => `${a.reference}: ${a.findings.map((f) => `${f.part} ${f.problem}`).join(', ')}`)
          .join('; ')})`
      : '',
    r.unrecorded ? `${r.unrecorded} records without history` : '',
    r.chain.breaks.length ? `${r.chain.breaks.length} chain breaks (first at ${r.chain.breaks[0].seq}, ${r.chain.breaks[0].problem})` : '',
    r.chain.checkpointProblems.length ? `${r.chain.checkpointProblems.length} checkpoint problems` : '',
    v.code !== 0 && v.code !== 1 ? `verify exited ${v.code}` : '',
  ].filter(Boolean);
  return parts.join('; ');
};
