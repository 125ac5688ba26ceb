/**
 * One Chromium per process for PDF rendering: launched lazily, pages reused (each is reset by loading the next
 * document), at most `concurrency` jobs at once, a hard timeout per job, the browser recycled every `recycleAfter`
 * jobs and relaunched when it crashes or hangs — the job in flight then fails with PdfUnavailableError (HTTP 503),
 * it never hangs. Pages run with JavaScript disabled, offline, and abort every request that is not a data: URL.
 */
import type { Browser, Page, PDFOptions } from 'puppeteer-core';
import { createBoundedQueue } from './bounded-queue';

export class PdfUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PdfUnavailableError';
  }
}

export interface PdfPoolOptions {
  launch: () => Promise<Browser>;
  concurrency: number;
  timeoutMs: number;
  recycleAfter: number;
  /** Called for every blocked request (tests count them; production logs them). */
  onBlockedRequest?: (url: string) => void;
}

interface Generation {
  browser: Promise<Browser>;
  idle: Page[];
  active: number;
  jobs: number;
  retired: boolean;
}

const PDF_DEFAULTS: PDFOptions = {
  format: 'A4',
  printBackground: true,
  preferCSSPageSize: true,
};

export const createPdfPool = (options: PdfPoolOptions) => {
  const queue = createBoundedQueue({ concurrency: options.concurrency, maxWaiting: 10_000 });
  let current: Generation | null = null;
  let closed = false;
  let launches = 0;

  const retire = (gen: Generation) => {
    gen.retired = true;
    if (current === gen) current = null;
    if (gen.active === 0) gen.browser.then((b) => b.close()).catch(() => undefined);
  };

  const generation = (): Generation => {
    if (closed) throw new PdfUnavailableError('The PDF renderer is shutting down');
    if (!current) {
      launches++;
      const gen: Generation = { browser: options.launch(), idle: [], active: 0, jobs: 0, retired: false };
      gen.browser.then(
        (b) => b.on('disconnected', () => retire(gen)),
        () => retire(gen)
      );
      current = gen;
    }
    return current;
  };

  const preparePage = async (browser: Browser): Promise<Page> => {
    const page = await browser.newPage();
    await page.setJavaScriptEnabled(false);
    await page.setOfflineMode(true);
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      const url = request.url();
      if (url.startsWith('data:')) {
        request.continue().catch(() => undefined);
      } else {
        options.onBlockedRequest?.(url);
        request.abort('blockedbyclient').catch(() => undefined);
      }
    });
    return page;
  };

  const withTimeout = <T>(work: Promise<T>, onTimeout: () => void): Promise<T> => {
    let timer: NodeJS.Timeout;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        onTimeout();
        reject(
          new PdfUnavailableError(`Rendering took longer than ${options.timeoutMs / 1000} s; the renderer was restarted, please retry`)
        );
      }, options.timeoutMs);
    });
    return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
  };

  const renderOnce = async (html: string, pdf: PDFOptions): Promise<Buffer> => {
    const gen = generation();
    gen.active++;
    gen.jobs++;
    let page: Page | undefined;
    let healthy = false;
    try {
      const browser = await gen.browser.catch((err: Error) => {
        throw new PdfUnavailableError(`The PDF renderer could not start: ${err.message}`);
      });
      const work = (async () => {
        page = gen.idle.pop() ?? (await preparePage(browser));
        await page.setContent(html, { waitUntil: 'load', timeout: options.timeoutMs });
        return Buffer.from(await page.pdf({ ...PDF_DEFAULTS, ...pdf, timeout: options.timeoutMs }));
      })();
      const result = await withTimeout(work, () => {
        // A hung renderer: kill it so the next job gets a fresh one.
        retire(gen);
        browser.process()?.kill('SIGKILL');
      });
      healthy = true;
      return result;
    } catch (err) {
      if (err instanceof PdfUnavailableError) throw err;
      if (gen.retired || !(await gen.browser.then((b) => b.connected).catch(() => false))) {
        retire(gen);
        throw new PdfUnavailableError('The PDF renderer stopped during this export and has been restarted; please retry');
      }
      throw err;
    } finally {
      gen.active--;
      if (page) {
        if (healthy && !gen.retired) gen.idle.push(page);
        else page.close().catch(() => undefined);
      }
      if (gen.jobs >= options.recycleAfter && current === gen) retire(gen);
      else if (gen.retired && gen.active === 0) gen.browser.then((b) => b.close()).catch(() => undefined);
    }
  };

  return {
    render: (html: string, pdf: PDFOptions = {}) => queue.run(() => renderOnce(html, pdf)),
    /** The live browser's process id, if any (for tests and health checks). */
    async browserPid(): Promise<number | undefined> {
      return current ? (await current.browser.catch(() => undefined))?.process()?.pid : undefined;
    },
    stats: () => ({ launches, ...queue.stats() }),
    async close() {
      closed = true;
      const gen = current;
      current = null;
      if (gen) await (await gen.browser.catch(() => undefined))?.close().catch(() => undefined);
    },
  };
};

export type PdfPool = ReturnType<typeof createPdfPool>;
