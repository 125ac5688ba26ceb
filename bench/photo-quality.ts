/**
 * The phone-side photo quality check on a 12 MP camera JPEG, with the shared measures (shared/photo-quality.ts)
 * bundled by esbuild and run in Chromium (Playwright) at a 4× CPU slowdown (the throttled phone profile): decode
 * straight to a 512 px copy (createImageBitmap resize), greyscale, Laplacian variance, histogram, dHash, issues.
 * Baseline in the same run and page: the full decode alone, which any check of the photo has to pay anyway.
 * Goal: ≤ 150 ms on 12 MP throttled. Also prints the pure measures on the 512 px copy in Node (same code).
 *   node_modules/.bin/tsx bench/photo-quality.ts [--iterations=8] [--throttle=4]
 */
import http from 'node:http';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { build } from 'esbuild';
import sharp from 'sharp';
import { CHROMIUM_ARGS, resolveChromium } from '../cms/src/plugins/eas/server/src/utils/chromium';
import { QUALITY_EDGE, dHash, measure } from '../cms/src/plugins/eas/shared/photo-quality';
import { arg, percentile, table } from './lib';

const ITERATIONS = arg('iterations', 8);
const THROTTLE = arg('throttle', 4);
const WIDTH = 4000;
const HEIGHT = 3000;

const main = async () => {
  const bundle = await build({
    entryPoints: [path.resolve(import.meta.dirname, '../cms/src/plugins/eas/shared/photo-quality.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'EasQuality',
    target: 'es2022',
    minify: true,
  });
  const texture = await sharp({
    create: { width: 400, height: 300, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 60 } },
  })
    .png()
    .toBuffer();
  const jpeg = await sharp(texture).resize(WIDTH, HEIGHT, { kernel: 'cubic' }).jpeg({ quality: 92 }).toBuffer();

  // Node, same code: the measures alone on the 512 px greyscale copy.
  const { data, info } = await sharp(jpeg)
    .resize(QUALITY_EDGE, QUALITY_EDGE, { fit: 'inside' })
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const grey = { width: info.width, height: info.height, data: new Uint8Array(data) };
  const nodeMs: number[] = [];
  for (let i = 0; i <= ITERATIONS; i++) {
    const t0 = performance.now();
    measure(grey);
    dHash(grey);
    if (i) nodeMs.push(performance.now() - t0);
  }
  nodeMs.sort((a, b) => a - b);

  const server = http.createServer((req, res) => {
    if (req.url === '/photo.jpg') res.writeHead(200, { 'Content-Type': 'image/jpeg' }).end(jpeg);
    else if (req.url === '/quality.js') res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(bundle.outputFiles[0]!.text);
    else res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>bench</title><script src="/quality.js"></script>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const { path: executablePath } = await resolveChromium();
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
    const results = (await page.evaluate(`(async (iterations) => {
      const Q = window.EasQuality;
      const blob = await (await fetch('/photo.jpg')).blob();
      const time = async (run) => {
        await run();
        const ms = [];
        let last;
        for (let i = 0; i < iterations; i++) { const t0 = performance.now(); last = await run(); ms.push(performance.now() - t0); }
        return { ms: ms.sort((a, b) => a - b), last };
      };
      const decode = await time(async () => {
        const bitmap = await createImageBitmap(blob, { imageOrientation: 'from-image' });
        new OffscreenCanvas(1, 1).getContext('2d').drawImage(bitmap, 0, 0, 1, 1);
        bitmap.close();
      });
      const check = await time(async () => {
        const bitmap = await createImageBitmap(blob, { imageOrientation: 'from-image', resizeWidth: Q.QUALITY_EDGE, resizeQuality: 'low' });
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const ctx = canvas.getContext('2d', { willReadFrequently: true });
        ctx.drawImage(bitmap, 0, 0);
        const rgba = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
        const grey = Q.toGrey(rgba, bitmap.width, bitmap.height);
        bitmap.close();
        const m = Q.measure(grey);
        return { issues: Q.qualityIssues(m, { width: ${WIDTH}, height: ${HEIGHT} }), hash: Q.dHash(grey) };
      });
      return { decode: decode.ms, check: check.ms, last: check.last };
    })(${ITERATIONS})`)) as { decode: number[]; check: number[]; last: { issues: string[]; hash: string } };

    const floor = percentile(results.decode, 50);
    const row = (variant: string, ms: number[]) => ({
      variant,
      'p50 ms': Number(percentile(ms, 50).toFixed(1)),
      'p95 ms': Number(percentile(ms, 95).toFixed(1)),
      '× decode': Number((percentile(ms, 50) / floor).toFixed(2)),
    });
    console.log(
      `Input: ${WIDTH}×${HEIGHT} JPEG, ${(jpeg.length / 1e6).toFixed(1)} MB; ${ITERATIONS} runs after a warm-up; Chromium ${browser.version()}, CPU throttled ${THROTTLE}×\n`
    );
    console.log(
      table([row('full decode (baseline)', results.decode), row('quality check (decode to 512 px + measures + dHash)', results.check)])
    );
    console.log(
      `\nNode, measures + dHash alone on the ${grey.width}×${grey.height} copy: p50 ${percentile(nodeMs, 50).toFixed(2)} ms (unthrottled).`
    );
    console.log(`Check result on this photo: issues ${JSON.stringify(results.last.issues)}, dHash ${results.last.hash}.`);
    const p50 = percentile(results.check, 50);
    console.log(`Goal ≤ 150 ms for 12 MP on the throttled profile: ${p50 <= 150 ? 'met' : 'not met'} (p50 ${p50.toFixed(0)} ms).`);
  } finally {
    await browser.close();
    server.close();
  }
};

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
