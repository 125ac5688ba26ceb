/**
 * Benchmark (not a test): evidence PDF rendering.
 *  1. In process, one record's HTML with two 2048 px photos and a signature: our pool (one browser, reused pages,
 *     2 at a time) against launching a browser per PDF and opening a new page per PDF in one browser; and the first
 *     PDF from cold (launch included).
 *  2. Over HTTP on a real Strapi: GET /eas/records/:id/pdf (data: URLs read from storage, QR, metadata).
 *  3. A bulk export of N records (default 100) as a ZIP: total time and Strapi's RSS while it runs.
 *
 *   npm run bench:pdf -- --iterations=20 --bulk=100
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import puppeteer, { type Browser } from 'puppeteer-core';
import { uniqueSignaturePng } from '../cms/src/plugins/eas/server/src/utils/__tests__/image-fixtures';
import { CHROMIUM_ARGS, resolveChromium } from '../cms/src/plugins/eas/server/src/utils/chromium';
import { createPdfPool } from '../cms/src/plugins/eas/server/src/utils/pdf-pool';
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
} from '../cms/tests/harness';
import { arg, load, percentile, table } from './lib';
import { photo, sampleHtml, sha } from './sample-record';

const ITERATIONS = arg('iterations', 20);
const BULK = arg('bulk', 100);

const stats = (ms: number[], wallMs: number) => {
  const sorted = [...ms].sort((a, b) => a - b);
  return { 'PDFs/s': (ms.length / wallMs) * 1000, 'p50 ms': percentile(sorted, 50), 'p95 ms': percentile(sorted, 95) };
};

const rssMb = (pid: number | undefined) => {
  if (!pid) return NaN;
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
};

const main = async () => {
  const chromium = await resolveChromium();
  const launch = () => puppeteer.launch({ executablePath: chromium.path, headless: true, args: CHROMIUM_ARGS });
  const html = await sampleHtml();
  console.log(`pdf-export: ${ITERATIONS} PDFs per variant, HTML ${(html.length / 1048576).toFixed(1)} MB, Chromium ${chromium.source}`);

  // Cold: a new pool's first PDF (browser launch included).
  const t0 = performance.now();
  const pool = createPdfPool({ launch, concurrency: 2, timeoutMs: 30_000, recycleAfter: 1000 });
  await pool.render(html);
  const cold = performance.now() - t0;

  const rows: Record<string, string | number>[] = [];
  // Ours: the pool, 2 concurrent.
  {
    const started = performance.now();
    const ms: number[] = [];
    await Promise.all(
      Array.from({ length: 2 }, async (_, w) => {
        for (let i = w; i < ITERATIONS; i += 2) {
          const s = performance.now();
          await pool.render(html);
          ms.push(performance.now() - s);
        }
      })
    );
    rows.push({ variant: 'EAS pool (reused pages, 2 at a time)', ...stats(ms, performance.now() - started) });
  }
  await pool.close();
  // New page per PDF, one browser, one at a time.
  {
    const browser: Browser = await launch();
    const started = performance.now();
    const ms: number[] = [];
    for (let i = 0; i < ITERATIONS; i++) {
      const s = performance.now();
      const page = await browser.newPage();
      await page.setContent(html, { waitUntil: 'load' });
      await page.pdf({ format: 'A4', printBackground: true });
      await page.close();
      ms.push(performance.now() - s);
    }
    rows.push({ variant: 'new page per PDF (one browser)', ...stats(ms, performance.now() - started) });
    await browser.close();
  }
  // Launch a browser per PDF.
  {
    const started = performance.now();
    const ms: number[] = [];
    for (let i = 0; i < Math.min(ITERATIONS, 10); i++) {
      const s = performance.now();
      const browser = await launch();
      const page = await browser.newPage();
      await page.setContent(html, { waitUntil: 'load' });
      await page.pdf({ format: 'A4', printBackground: true });
      await browser.close();
      ms.push(performance.now() - s);
    }
    rows.push({ variant: 'launch a browser per PDF', ...stats(ms, performance.now() - started) });
  }
  console.log(`\nIn process\n${table(rows)}\nFirst PDF from cold (launch + render): ${cold.toFixed(0)} ms`);
  const ours = rows[0]['PDFs/s'] as number;
  const perLaunch = rows[2]['PDFs/s'] as number;

  // Over HTTP and bulk, on a real Strapi.
  const strapi = await startStrapi({ db: 'sqlite' });
  try {
    const admin = await registerAdmin(strapi.url);
    const editor = await createEditor(strapi.url, admin.token);
    const staff = await createFieldStaff(strapi.url, admin.token);
    await createAndPublishForm(strapi.url, admin.token, {
      name: 'Bench PDF',
      slug: 'bench-pdf',
      fields: [{ key: 'notes', label: 'Notes', type: 'textarea' }],
      frontPhoto: { enabled: true, required: true, label: 'Front' },
      backPhoto: { enabled: true, required: true, label: 'Back' },
      signatures: [{ key: 'client', role: 'Client', consentText: 'I agree.', required: true }],
    });
    const [bigFront, bigBack, smallFront, smallBack] = [
      await photo(2048, 1536),
      await photo(1536, 2048),
      await photo(1280, 960),
      await photo(960, 1280),
    ];
    /** A submitted record as a device makes it: the draft, both photos, then the signature over that content, then submit. */
    const complete = async (front: Buffer, back: Buffer, i: number) => {
      const expect = <T extends { status: number; body: unknown }>(what: string, res: T, ...ok: number[]): T => {
        if (!ok.includes(res.status)) throw new Error(`record ${i}: ${what} answered ${res.status} ${JSON.stringify(res.body)}`);
        return res;
      };
      const rec = expect(
        'create',
        await http(`${strapi.url}/api/eas/records`, {
          method: 'POST',
          token: staff.jwt,
          json: {
            clientId: randomUUID(),
            form: 'bench-pdf',
            formVersion: 1,
            data: { notes: `Record ${i}` },
            capturedAt: new Date().toISOString(),
          },
        }),
        201
      );
      const id = rec.body.data.documentId as string;
      expect(
        'front photo',
        await putMultipart(
          `${strapi.url}/api/eas/records/${id}/photos/front`,
          staff.jwt,
          { buffer: front, filename: 'f.jpg' },
          { originalSha256: sha(front) }
        ),
        201
      );
      expect(
        'back photo',
        await putMultipart(
          `${strapi.url}/api/eas/records/${id}/photos/back`,
          staff.jwt,
          { buffer: back, filename: 'b.jpg' },
          { originalSha256: sha(back) }
        ),
        201
      );
      expect(
        'signature',
        await putSignature(strapi.url, staff.jwt, id, 'client', {
          png: await uniqueSignaturePng(),
          signerName: 'Ada',
          consentText: 'I agree.',
        }),
        201
      );
      const submitted = expect('submit', await submitDraft(strapi.url, staff.jwt, id), 200);
      if (submitted.body.data.status !== 'submitted') throw new Error(`record ${i}: still ${submitted.body.data.status} after submit`);
      return id;
    };
    const one = await complete(bigFront, bigBack, 0);
    const get = async () => {
      const res = await fetch(`${strapi.url}/eas/records/${one}/pdf`, { headers: { Authorization: `Bearer ${editor.token}` } });
      await res.arrayBuffer();
      return res.status;
    };
    await get();
    const overHttp = await load(ITERATIONS, 2, get);
    if (overHttp.failed.length)
      throw new Error(
        `GET /eas/records/:id/pdf: ${overHttp.failed.length} of ${ITERATIONS} answers not 2xx (${[...new Set(overHttp.failed)].join(', ')})`
      );
    console.log(
      `\nOver HTTP (GET /eas/records/:id/pdf, 2 clients): ${overHttp.perSecond.toFixed(1)} PDFs/s, p50 ${overHttp.p50.toFixed(0)} ms, p95 ${overHttp.p95.toFixed(0)} ms`
    );

    const ids: string[] = [];
    await load(BULK, 4, async (i) => {
      ids.push(await complete(smallFront, smallBack, i));
      return 200;
    });
    const rss: number[] = [rssMb(strapi.pid())];
    const started = performance.now();
    const job = await http(`${strapi.url}/eas/exports`, { method: 'POST', token: editor.token, json: { documentIds: ids } });
    if (job.status !== 202) throw new Error(`POST /eas/exports answered ${job.status} ${JSON.stringify(job.body)}`);
    let progress = { status: 'running', done: 0, failed: [] as unknown[] };
    while (progress.status === 'running') {
      await new Promise((r) => setTimeout(r, 500));
      rss.push(rssMb(strapi.pid()));
      progress = (await http(`${strapi.url}/eas/exports/${job.body.data.id}`, { token: editor.token })).body.data;
    }
    const status = progress.status;
    const seconds = (performance.now() - started) / 1000;
    const zip = await fetch(`${strapi.url}/eas/exports/${job.body.data.id}/file`, { headers: { Authorization: `Bearer ${editor.token}` } });
    const bytes = (await zip.arrayBuffer()).byteLength;
    if (status !== 'done' || progress.failed.length || progress.done !== BULK || zip.status !== 200) {
      throw new Error(
        `bulk export ended ${status} with ${progress.done} done and ${progress.failed.length} failed of ${BULK}; ZIP answered ${zip.status}`
      );
    }
    console.log(
      `Bulk export of ${BULK} records: ${status} in ${seconds.toFixed(1)} s (${(BULK / seconds).toFixed(1)} PDFs/s), ZIP ${(bytes / 1048576).toFixed(1)} MB; ` +
        `Strapi RSS start ${rss[0].toFixed(0)} MB, peak ${Math.max(...rss).toFixed(0)} MB, end ${rss[rss.length - 1].toFixed(0)} MB`
    );
    console.log(
      `\nGoals: ≥ 4 PDFs/s warm → ${ours.toFixed(1)}; ≥ 8× launch-per-PDF → ${(ours / perLaunch).toFixed(1)}×; first PDF ≤ 3 s → ${(cold / 1000).toFixed(2)} s; ` +
        `100-record bulk ≤ 30 s → ${seconds.toFixed(1)} s`
    );
  } finally {
    await strapi.stop();
  }
};

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
