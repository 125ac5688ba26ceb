/**
 * On-device downscaling of a 12 MP camera JPEG with the site's real downscale.ts (decode upright with
 * createImageBitmap, draw on an OffscreenCanvas, encode JPEG), in Chromium driven by Playwright. The module is
 * bundled with esbuild and served with a blank page from 127.0.0.1 (a secure context). Baseline in the same run:
 * the decode alone (createImageBitmap, forced by drawing one pixel), which no downscaler can beat. Goal: ~700 ms for 12 MP → 8 MP.
 *   node_modules/.bin/tsx bench/site-downscale.ts [--iterations=8]
 */
import http from 'node:http';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { build } from 'esbuild';
import sharp from 'sharp';
import { CHROMIUM_ARGS, resolveChromium } from '../cms/src/plugins/eas/server/src/utils/chromium';
import { arg, percentile, table } from './lib';

const ITERATIONS = arg('iterations', 8);
const WIDTH = 4000;
const HEIGHT = 3000;

const main = async () => {
  const bundle = await build({
    entryPoints: [path.resolve(import.meta.dirname, '../site/src/lib/downscale.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'EasDownscale',
    target: 'es2022',
    minify: true,
  });

  // Photo-like content (smooth texture with detail), EXIF orientation 6 as phones write it.
  const texture = await sharp({
    create: { width: 400, height: 300, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 60 } },
  })
    .png()
    .toBuffer();
  const jpeg = await sharp(texture)
    .resize(WIDTH, HEIGHT, { kernel: 'cubic' })
    .jpeg({ quality: 92 })
    .withMetadata({ orientation: 6 })
    .toBuffer();

  const server = http.createServer((req, res) => {
    if (req.url === '/photo.jpg') res.writeHead(200, { 'Content-Type': 'image/jpeg' }).end(jpeg);
    else if (req.url === '/downscale.js') res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(bundle.outputFiles[0].text);
    else
      res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>bench</title><script src="/downscale.js"></script>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };

  const { path: executablePath } = await resolveChromium();
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    // Plain JavaScript (a string): tsx would otherwise add helpers the page does not have.
    const results = (await page.evaluate(`(async (iterations) => {
    const { downscaleToJpeg } = window.EasDownscale;
    const blob = await (await fetch('/photo.jpg')).blob();
    const time = async (run) => {
      await run(); // warm-up
      const ms = [];
      let last;
      for (let i = 0; i < iterations; i++) {
        const t0 = performance.now();
        last = await run();
        ms.push(performance.now() - t0);
      }
      return { ms: ms.sort((a, b) => a - b), last };
    };
    const info = (r) => r.last.width + '×' + r.last.height + ', ' + (r.last.blob.size / 1e6).toFixed(2) + ' MB';
    // Chromium may decode lazily: drawing one pixel forces the full decode.
    const decode = await time(async () => {
      const bitmap = await createImageBitmap(blob, { imageOrientation: 'from-image' });
      new OffscreenCanvas(1, 1).getContext('2d').drawImage(bitmap, 0, 0, 1, 1);
      bitmap.close();
    });
    const eight = await time(() => downscaleToJpeg(blob, 8000000));
    const two = await time(() => downscaleToJpeg(blob, 2000000));
    return { inputBytes: blob.size, decode: decode.ms, eight: { ms: eight.ms, out: info(eight) }, two: { ms: two.ms, out: info(two) } };
  })(${ITERATIONS})`)) as {
      inputBytes: number;
      decode: number[];
      eight: { ms: number[]; out: string };
      two: { ms: number[]; out: string };
    };

    const floor = percentile(results.decode, 50);
    const row = (variant: string, ms: number[], out: string) => ({
      variant,
      output: out,
      'p50 ms': percentile(ms, 50),
      'p95 ms': percentile(ms, 95),
      'min ms': ms[0],
      '× decode': Number((percentile(ms, 50) / floor).toFixed(2)),
    });
    console.log(
      `Input: ${WIDTH}×${HEIGHT} JPEG (EXIF orientation 6), ${(results.inputBytes / 1e6).toFixed(1)} MB; ${ITERATIONS} runs each after a warm-up; Chromium ${browser.version()}\n`
    );
    console.log(
      table([
        row('decode only (baseline)', results.decode, `${HEIGHT}×${WIDTH} bitmap`),
        row('downscaleToJpeg → 8 MP', results.eight.ms, results.eight.out),
        row('downscaleToJpeg → 2 MP', results.two.ms, results.two.out),
      ])
    );
    const p50 = percentile(results.eight.ms, 50);
    console.log(`\nGoal ~700 ms for 12 MP → 8 MP: ${p50 <= 700 ? 'met' : 'not met'} (p50 ${p50.toFixed(0)} ms).`);
  } finally {
    await browser.close();
    server.close();
  }
};

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
