/**
 * Benchmark (not a test): what sealing costs an evidence PDF (docs/sealing.md). In process, one record's HTML
 * (bench/sample-record.ts) rendered by our Chromium pool, one PDF at a time, in three variants per round, in rotating
 * order:
 *   - unsealed: the PDF as Chromium prints it (the baseline);
 *   - PAdES B-B: the same, then sealed with the EAS sealing key (utils/pdf-seal.ts);
 *   - PAdES B-T: the same, then sealed with a timestamp from a local RFC 3161 TSA (cms/tests/tsa.ts, on loopback).
 * Prints, one PDF at a time, PDFs/s per variant and the ratio of time per PDF against unsealed, and the seal alone;
 * then the throughput with two PDFs in flight, as exports run (PDF_CONCURRENCY's default): there a seal's wait for
 * the TSA overlaps the next render (goal: B-T costs ≤ 15 % of the unsealed throughput). Every sealed PDF is checked with our verifier, and the last of each with poppler's `pdfsig` when installed;
 * the benchmark fails if a seal does not verify, never on a timing.
 *
 *   npm run bench:seal -- --iterations=20
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer from 'puppeteer-core';
import { CHROMIUM_ARGS, resolveChromium } from '../cms/src/plugins/eas/server/src/utils/chromium';
import { createPdfPool } from '../cms/src/plugins/eas/server/src/utils/pdf-pool';
import { checkPdfSeal, createPdfSealer, type PdfSealer } from '../cms/src/plugins/eas/server/src/utils/pdf-seal';
import { createSelfSignedCertificate, loadSealIdentity } from '../cms/src/plugins/eas/server/src/utils/seal-cert';
import { startTsa } from '../cms/tests/tsa';
import { arg, percentile, table } from './lib';
import { sampleHtml } from './sample-record';

const ITERATIONS = arg('iterations', 20);

const pdfsigAvailable = () => {
  try {
    execFileSync('pdfsig', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

const main = async () => {
  const chromium = await resolveChromium();
  const pool = createPdfPool({
    launch: () => puppeteer.launch({ executablePath: chromium.path, headless: true, args: CHROMIUM_ARGS }),
    concurrency: 2,
    timeoutMs: 30_000,
    recycleAfter: 1000,
  });
  const tsa = await startTsa('ok');
  try {
    const { keyPem, certPem } = await createSelfSignedCertificate('EAS bench seal');
    const identity = await loadSealIdentity(keyPem, certPem);
    const sealers: Record<'B-B' | 'B-T', PdfSealer> = {
      'B-B': createPdfSealer(identity, null),
      'B-T': createPdfSealer(identity, { url: tsa.url, timeoutMs: 10_000 }),
    };
    const html = await sampleHtml();
    console.log(`seal: ${ITERATIONS} PDFs per variant, HTML ${(html.length / 1048576).toFixed(1)} MB, Chromium ${chromium.source}`);
    // Warm the browser and the sealers (first key import, first TSA connection) outside the measurement.
    const warm = await pool.render(html);
    for (const s of Object.values(sealers)) await s.seal(warm);

    type Variant = 'unsealed' | 'B-B' | 'B-T';
    const variants: Variant[] = ['unsealed', 'B-B', 'B-T'];
    const total: Record<Variant, number[]> = { unsealed: [], 'B-B': [], 'B-T': [] };
    const sealOnly: Record<'B-B' | 'B-T', number[]> = { 'B-B': [], 'B-T': [] };
    const last: Partial<Record<'B-B' | 'B-T', Buffer>> = {};
    for (let i = 0; i < ITERATIONS; i++) {
      for (let k = 0; k < variants.length; k++) {
        const variant = variants[(i + k) % variants.length];
        const started = performance.now();
        const pdf = await pool.render(html);
        if (variant === 'unsealed') {
          total.unsealed.push(performance.now() - started);
          continue;
        }
        const sealStarted = performance.now();
        const sealed = await sealers[variant].seal(pdf);
        const end = performance.now();
        total[variant].push(end - started);
        sealOnly[variant].push(end - sealStarted);
        const check = await checkPdfSeal(sealed);
        if (!check.valid || !check.wholeDocument || (variant === 'B-T') !== Boolean(check.timestampedAt))
          throw new Error(`a ${variant} seal did not verify: ${JSON.stringify(check)}`);
        last[variant] = sealed;
      }
    }

    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    const p = (xs: number[], q: number) =>
      percentile(
        [...xs].sort((a, b) => a - b),
        q
      );
    const base = sum(total.unsealed) / total.unsealed.length;
    console.log(
      `\n${table(
        variants.map((v) => ({
          variant: v === 'unsealed' ? 'unsealed (baseline)' : `sealed, PAdES ${v}${v === 'B-T' ? ' (local TSA)' : ''}`,
          'PDFs/s': (total[v].length / sum(total[v])) * 1000,
          'p50 ms': p(total[v], 50),
          'p95 ms': p(total[v], 95),
          'seal alone p50 ms': v === 'unsealed' ? '—' : p(sealOnly[v], 50),
          'time per PDF vs unsealed': (sum(total[v]) / total[v].length / base).toFixed(2),
        }))
      )}`
    );
    const added = (sum(total['B-T']) / total['B-T'].length / base - 1) * 100;
    console.log(`\nOne at a time, sealing B-T adds ${added.toFixed(1)} % per PDF; the TSA answered ${tsa.requests()} requests.`);

    // Two in flight, as a bulk export renders: N PDFs per variant, the variants in rotating order, 3 rounds.
    const flight: Record<Variant, { n: number; ms: number }> = {
      unsealed: { n: 0, ms: 0 },
      'B-B': { n: 0, ms: 0 },
      'B-T': { n: 0, ms: 0 },
    };
    for (let round = 0; round < 3; round++) {
      for (let k = 0; k < variants.length; k++) {
        const variant = variants[(round + k) % variants.length];
        const n = Math.max(2, Math.ceil(ITERATIONS / 2));
        const started = performance.now();
        await Promise.all(
          [0, 1].map(async (w) => {
            for (let i = w; i < n; i += 2) {
              const pdf = await pool.render(html);
              if (variant !== 'unsealed') await sealers[variant].seal(pdf);
            }
          })
        );
        flight[variant].ms += performance.now() - started;
        flight[variant].n += n;
      }
    }
    const rate = (v: Variant) => (flight[v].n / flight[v].ms) * 1000;
    console.log(
      `\nTwo PDFs in flight\n${table(
        variants.map((v) => ({
          variant: v === 'unsealed' ? 'unsealed (baseline)' : `sealed, PAdES ${v}`,
          PDFs: flight[v].n,
          'PDFs/s': rate(v),
          'throughput vs unsealed': (rate(v) / rate('unsealed')).toFixed(2),
        }))
      )}`
    );
    console.log(`B-T costs ${((1 - rate('B-T') / rate('unsealed')) * 100).toFixed(1)} % of the unsealed throughput (goal ≤ 15 %).`);

    if (pdfsigAvailable()) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eas-bench-seal-'));
      try {
        for (const [level, pdf] of Object.entries(last)) {
          const file = path.join(dir, `${level}.pdf`);
          fs.writeFileSync(file, pdf!);
          let out: string;
          try {
            out = execFileSync('pdfsig', [file], { encoding: 'utf8' });
          } catch (err) {
            // pdfsig exits non-zero for an untrusted (self-signed) certificate; its report is still on stdout.
            out = String((err as { stdout?: string }).stdout ?? '');
          }
          if (!/Signature Validation: Signature is Valid/.test(out) || !/Total document signed/.test(out))
            throw new Error(`pdfsig did not validate the ${level} seal:\n${out}`);
          console.log(`pdfsig: ${level} seal valid, total document signed`);
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    } else console.log('pdfsig not installed: seals checked with utils/pdf-seal.ts only');
  } finally {
    await pool.close();
    await tsa.close();
  }
};

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  }
);
