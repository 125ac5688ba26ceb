import http from 'http';
import type { AddressInfo } from 'net';
import puppeteer from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, resolveChromium } from '../chromium';
import { PdfUnavailableError, createPdfPool, type PdfPool } from '../pdf-pool';

/** Real Chromium: the pool renders, blocks the network, survives a crash and a timeout. */
describe('PDF pool (real Chromium)', () => {
  let pool: PdfPool;
  let server: http.Server;
  let hits = 0;
  let origin = '';
  const blocked: string[] = [];

  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      hits++;
      res.end('x');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const chromium = await resolveChromium();
    pool = createPdfPool({
      launch: () => puppeteer.launch({ executablePath: chromium.path, headless: true, args: CHROMIUM_ARGS }),
      concurrency: 2,
      timeoutMs: 15_000,
      recycleAfter: 1000,
      onBlockedRequest: (url) => blocked.push(url),
    });
  }, 60_000);

  afterAll(async () => {
    await pool?.close();
    server?.close();
  });

  it('prints HTML to a PDF', async () => {
    const pdf = await pool.render('<html><body><h1>Hello</h1></body></html>');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('makes no request at all, even for markup that tries (raw HTML, not escaped)', async () => {
    const attacks = [
      `<img src="${origin}/img">`,
      `<iframe src="file:///etc/passwd"></iframe><iframe src="${origin}/frame"></iframe>`,
      `<link rel="stylesheet" href="${origin}/css">`,
      `<style>@font-face { font-family: x; src: url(${origin}/font) } body { font-family: x; background: url(${origin}/bg) }</style>`,
      `<meta http-equiv="refresh" content="0;url=${origin}/refresh">`,
      `<script src="${origin}/script"></script><script>fetch('${origin}/fetch')</script>`,
      `<object data="${origin}/object"></object><video src="${origin}/video"></video>`,
    ];
    // The meta refresh may take the page away (to a blocked error page) and fail the print: that is fine — what
    // matters is that nothing was fetched. (EAS escapes every value, so its own HTML never contains such markup.)
    await pool.render(`<html><head>${attacks.join('')}</head><body>${attacks.join('')} text</body></html>`).catch(() => null);
    await new Promise((r) => setTimeout(r, 300));
    expect(hits).toBe(0);
    // And the pool is still fine afterwards.
    expect((await pool.render('<p>next</p>')).subarray(0, 5).toString()).toBe('%PDF-');
    expect(blocked.some((u) => u.startsWith(origin))).toBe(true);
  });

  it('relaunches a crashed browser; the next PDF works', async () => {
    await pool.render('<p>before</p>');
    const pid = await pool.browserPid();
    const launches = pool.stats().launches;
    process.kill(pid!, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    const pdf = await pool.render('<p>after</p>').catch(async (err) => {
      // The job caught in the crash may fail cleanly (503); the next one must succeed.
      expect(err).toBeInstanceOf(PdfUnavailableError);
      return pool.render('<p>after</p>');
    });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pool.stats().launches).toBe(launches + 1);
    expect(await pool.browserPid()).not.toBe(pid);
  }, 60_000);

  it('fails a job that exceeds its time limit with a clear error instead of hanging', async () => {
    const chromium = await resolveChromium();
    const slow = createPdfPool({
      launch: () => puppeteer.launch({ executablePath: chromium.path, headless: true, args: CHROMIUM_ARGS }),
      concurrency: 1,
      timeoutMs: 1,
      recycleAfter: 10,
    });
    try {
      const err = await slow.render('<p>x</p>').then(
        () => null,
        (e: Error) => e
      );
      // The time limit's own error, not any unavailability (a renderer that could not start, say).
      expect(err).toBeInstanceOf(PdfUnavailableError);
      expect(err?.message).toBe('Rendering took longer than 0.001 s; the renderer was restarted, please retry');
    } finally {
      await slow.close();
    }
  }, 60_000);
});
