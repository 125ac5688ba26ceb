/**
 * Benchmark (not a test): the evidence photo pipeline.
 *  1. In process, per input (12 MP JPEG with EXIF orientation 6; 2048 px JPEG): our processPhoto (orient, strip,
 *     2048 display + 320 thumbnail, hashes) against the bare sharp floor (decode → one resize → encode).
 *  2. Over HTTP on one real Strapi: PUT /api/eas/records/:id/photos/front against Strapi's own upload of the same
 *     file (POST /upload: its thumbnail + responsive formats), photos/s and p95, and the server's peak RSS.
 *  3. A pixel bomb (PNG declaring 20000×20000): time to refusal.
 *
 *   npm run bench:photos -- --iterations=12
 */
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import sharp from 'sharp';
import { pixelBombPng } from '../cms/src/plugins/eas/server/src/utils/__tests__/image-fixtures';
import { configureSharp, processPhoto } from '../cms/src/plugins/eas/server/src/utils/image-processing';
import { createAndPublishForm, createFieldStaff, registerAdmin, startStrapi } from '../cms/tests/harness';
import { arg, load, percentile, table } from './lib';

const ITERATIONS = arg('iterations', 12);

/** Photo-like content (noise compresses and decodes like a real scene, unlike a flat colour). */
const makeJpeg = (width: number, height: number, orientation?: number) => {
  let img = sharp({ create: { width, height, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).jpeg({
    quality: 88,
  });
  if (orientation) img = img.withMetadata({ orientation });
  return img.toBuffer();
};

const time = async (n: number, fn: () => Promise<unknown>) => {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const mean = ms.reduce((a, b) => a + b, 0) / ms.length;
  return { perSecond: 1000 / mean, p50: percentile(ms, 50), p95: percentile(ms, 95) };
};

const vmHwmMb = (pid: number | undefined) => {
  if (!pid) return NaN;
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
};

const main = async () => {
  configureSharp(1);
  const inputs = { '12 MP (EXIF 6)': await makeJpeg(4000, 3000, 6), '2048 px': await makeJpeg(2048, 1536) };
  console.log(
    `photo-pipeline: ${ITERATIONS} iterations per case; inputs ${Object.entries(inputs)
      .map(([k, b]) => `${k} ${(b.length / 1048576).toFixed(1)} MB`)
      .join(', ')}`
  );

  // 1. In process: ours vs the bare sharp floor.
  const rows: Record<string, string | number>[] = [];
  const verdicts: string[] = [];
  const problems: string[] = [];
  const floorOf: Record<string, number> = {};
  for (const [name, buf] of Object.entries(inputs)) {
    await processPhoto(buf, 'warmup.jpg');
    const floor = await time(ITERATIONS, () =>
      sharp(buf).resize(2048, 2048, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 85 }).toBuffer()
    );
    const ours = await time(ITERATIONS, () => processPhoto(buf, 'bench.jpg'));
    floorOf[name] = floor.p50;
    rows.push({ input: name, pipeline: 'EAS processPhoto', 'photos/s': ours.perSecond, 'p50 ms': ours.p50, 'p95 ms': ours.p95 });
    rows.push({ input: name, pipeline: 'sharp floor (1 resize)', 'photos/s': floor.perSecond, 'p50 ms': floor.p50, 'p95 ms': floor.p95 });
    verdicts.push(
      `${name}: EAS / floor = ${(ours.p50 / floor.p50).toFixed(2)}× (goal ≤ 1.3×)${name === '2048 px' ? `; ${ours.perSecond.toFixed(1)} photos/s (goal ≥ 15)` : ''}`
    );
  }
  console.log(`\nIn process (one photo at a time)\n${table(rows)}`);

  // 3. Pixel bomb.
  const bomb = pixelBombPng();
  const bombTimes: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    await processPhoto(bomb, 'bomb.png').catch(() => undefined);
    bombTimes.push(performance.now() - t0);
  }
  bombTimes.sort((a, b) => a - b);
  verdicts.push(
    `pixel bomb (20000×20000 PNG, ${bomb.length} bytes): refused in p95 ${percentile(bombTimes, 95).toFixed(1)} ms (goal ≤ 50 ms)`
  );

  // 2. Over HTTP on a real Strapi.
  const strapi = await startStrapi();
  try {
    const admin = await registerAdmin(strapi.url);
    const staff = await createFieldStaff(strapi.url, admin.token);
    await createAndPublishForm(strapi.url, admin.token, {
      name: 'Bench photos',
      slug: 'bench-photos',
      fields: [],
      frontPhoto: { enabled: true, required: true },
      backPhoto: { enabled: true, required: true },
      signatures: [],
    });
    const httpRows: Record<string, string | number>[] = [];
    for (const [name, buf] of Object.entries(inputs)) {
      // Fresh drafts, so every upload is a real one (a re-sent photo would be answered without processing).
      const ids: string[] = [];
      for (let i = 0; i < ITERATIONS + 2; i++) {
        const res = await fetch(`${strapi.url}/api/eas/records`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${staff.jwt}` },
          body: JSON.stringify({
            clientId: randomUUID(),
            form: 'bench-photos',
            formVersion: 1,
            data: {},
            capturedAt: new Date().toISOString(),
          }),
        });
        const body = await res.json();
        if (res.status !== 201) throw new Error(`creating a draft answered ${res.status} ${JSON.stringify(body)}`);
        ids.push(body.data.documentId);
      }
      const sha = createHash('sha256').update(buf).digest('hex');
      const ours = async (i: number) => {
        const form = new FormData();
        form.set('originalSha256', sha);
        form.set('file', new Blob([buf], { type: 'image/jpeg' }), 'photo.jpg');
        const res = await fetch(`${strapi.url}/api/eas/records/${ids[i]}/photos/front`, {
          method: 'PUT',
          headers: { Authorization: `Bearer ${staff.jwt}` },
          body: form,
        });
        await res.arrayBuffer();
        return res.status;
      };
      const strapiUpload = async () => {
        const form = new FormData();
        form.set('files', new Blob([buf], { type: 'image/jpeg' }), `photo-${randomUUID()}.jpg`);
        const res = await fetch(`${strapi.url}/upload`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${admin.token}` },
          body: form,
        });
        await res.arrayBuffer();
        return res.status;
      };
      await ours(ITERATIONS);
      await ours(ITERATIONS + 1);
      await strapiUpload();
      const a = await load(ITERATIONS, 2, (i) => ours(i));
      const b = await load(ITERATIONS, 2, () => strapiUpload());
      // A refused upload is quick: throughput of failures would flatter either side.
      for (const [what, r] of [
        ['PUT …/photos/front', a],
        ['POST /upload', b],
      ] as const) {
        if (r.failed.length)
          problems.push(`${name}: ${what}: ${r.failed.length} of ${ITERATIONS} answers not 2xx (${[...new Set(r.failed)].join(', ')})`);
      }
      httpRows.push({
        input: name,
        endpoint: 'PUT …/photos/front (EAS)',
        ok: a.ok,
        'photos/s': a.perSecond,
        'p50 ms': a.p50,
        'p95 ms': a.p95,
      });
      httpRows.push({
        input: name,
        endpoint: 'POST /upload (Strapi formats)',
        ok: b.ok,
        'photos/s': b.perSecond,
        'p50 ms': b.p50,
        'p95 ms': b.p95,
      });
      verdicts.push(`${name} over HTTP: EAS is ${(a.perSecond / b.perSecond).toFixed(2)}× Strapi's upload throughput (goal ≥ 2×)`);
    }
    console.log(`\nOver HTTP (2 concurrent clients, one Strapi on SQLite)\n${table(httpRows)}`);
    console.log(
      `\nStrapi peak RSS during the run: ${vmHwmMb(strapi.pid()).toFixed(0)} MB; this process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`
    );
  } finally {
    await strapi.stop();
  }
  console.log('');
  for (const v of verdicts) console.log(v);
  if (problems.length) {
    console.log(`\nphoto-pipeline: ${problems.length} problem(s)\n  - ${problems.join('\n  - ')}`);
    process.exitCode = 1;
  }
};

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
