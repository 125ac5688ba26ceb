/** Small helpers shared by the benchmarks: closed-loop load with N workers, percentiles, a printed table. */
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
