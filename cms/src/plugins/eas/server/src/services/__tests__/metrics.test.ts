import { describe, expect, it } from 'vitest';
import { EVENTS } from '../../../../shared/events';
import metricsService, { uploadResult } from '../metrics';

/** Just enough of a Strapi for the metrics service: its config, the services its gauges read, an event hub. */
const fakeStrapi = (over: { queue?: { running: number; waiting: number }; sockets?: number; lastReport?: () => Promise<unknown> } = {}) => {
  const listeners = new Map<string, ((payload: unknown) => unknown)[]>();
  const services: Record<string, unknown> = {
    evidence: { queueStats: () => over.queue ?? { running: 1, waiting: 3 } },
    realtime: { status: () => ({ sockets: over.sockets ?? 7, redis: 'off' }) },
    integrity: { lastReport: over.lastReport ?? (async () => null) },
  };
  const warnings: string[] = [];
  const strapi = {
    config: { get: () => ({ images: { queueMax: 32 }, custody: { sweepMinutes: 1440 } }) },
    plugin: () => ({ service: (name: string) => services[name] }),
    eventHub: {
      on: (name: string, fn: (p: unknown) => unknown) => listeners.set(name, [...(listeners.get(name) ?? []), fn]),
      off: (name: string, fn: (p: unknown) => unknown) =>
        listeners.set(
          name,
          (listeners.get(name) ?? []).filter((f) => f !== fn)
        ),
      emit: async (name: string, payload: unknown) => {
        for (const fn of listeners.get(name) ?? []) await fn(payload);
      },
    },
    log: { warn: (m: string) => warnings.push(m) },
    // The job table: 6 export jobs waiting, 2 running.
    db: { query: () => ({ count: async ({ where }: { where: { status: string } }) => ({ queued: 6, running: 2 })[where.status] ?? 0 }) },
  };
  return { strapi: strapi as never, emit: strapi.eventHub.emit, warnings };
};

/** The value of one sample line of the exposition text (undefined when absent). */
const sample = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('metrics service', () => {
  it('keeps a registry per Strapi instance: two in one process count separately', async () => {
    const [a, b] = [metricsService(fakeStrapi()), metricsService(fakeStrapi())];
    a.observeRequest({ method: 'GET', route: '/api/eas/forms', status: 200 }, 0.01);
    a.observeRequest({ method: 'GET', route: '/api/eas/forms', status: 200 }, 0.01);
    b.observeRequest({ method: 'GET', route: '/api/eas/forms', status: 200 }, 0.01);
    const series = 'eas_http_requests_total{method="GET",route="/api/eas/forms",status="200"}';
    expect(sample(await a.text(), series)).toBe(2);
    expect(sample(await b.text(), series)).toBe(1);
  });

  it('counts a submission per eas.record.submitted event, and stops counting after stop()', async () => {
    const fake = fakeStrapi();
    const metrics = metricsService(fake);
    metrics.start();
    await fake.emit(EVENTS.recordSubmitted, {});
    await fake.emit(EVENTS.recordCreated, {});
    expect(sample(await metrics.text(), 'eas_record_submissions_total')).toBe(1);
    metrics.stop();
    await fake.emit(EVENTS.recordSubmitted, {});
    expect(sample(await metrics.text(), 'eas_record_submissions_total')).toBe(1);
  });

  it('reads the queues and sockets on scrape, and job queues registered by other services', async () => {
    const metrics = metricsService(fakeStrapi({ queue: { running: 2, waiting: 5 }, sockets: 11 }));
    let text = await metrics.text();
    expect(sample(text, 'eas_image_queue_jobs{state="waiting"}')).toBe(5);
    expect(sample(text, 'eas_image_queue_jobs{state="running"}')).toBe(2);
    expect(sample(text, 'eas_image_queue_capacity')).toBe(32);
    expect(sample(text, 'eas_sockets_open')).toBe(11);
    expect(sample(text, 'eas_job_queue_jobs{queue="pdf-export",state="waiting"}')).toBe(6);
    expect(sample(text, 'eas_job_queue_jobs{queue="pdf-export",state="active"}')).toBe(2);
    metrics.jobQueue('pdf-export', async () => ({ waiting: 4, active: 1, delayed: 0, failed: 3 }));
    metrics.jobQueue('webhooks', () => ({ waiting: 9, active: 0 }));
    text = await metrics.text();
    expect(sample(text, 'eas_job_queue_jobs{queue="pdf-export",state="waiting"}')).toBe(4);
    expect(sample(text, 'eas_job_queue_jobs{queue="pdf-export",state="failed"}')).toBe(3);
    expect(sample(text, 'eas_job_queue_jobs{queue="webhooks",state="waiting"}')).toBe(9);
  });

  it('reports the last integrity sweep, unknown (NaN, not 0) before the first one, and a failing reader costs only its own gauge', async () => {
    expect(sample(await metricsService(fakeStrapi()).text(), 'eas_integrity_altered_records')).toBeNaN();
    const report = {
      alteredCount: 2,
      records: 40,
      startedAt: '2026-12-01T10:00:00.000Z',
      finishedAt: '2026-12-01T10:00:30.000Z',
      chain: { breaks: [{}], checkpointProblems: [] },
    };
    let text = await metricsService(fakeStrapi({ lastReport: async () => report })).text();
    expect(sample(text, 'eas_integrity_altered_records')).toBe(2);
    expect(sample(text, 'eas_integrity_chain_problems')).toBe(1);
    expect(sample(text, 'eas_integrity_records_checked')).toBe(40);
    expect(sample(text, 'eas_integrity_last_sweep_timestamp_seconds')).toBe(Date.parse(report.finishedAt) / 1000);
    expect(sample(text, 'eas_integrity_last_sweep_duration_seconds')).toBe(30);

    const broken = fakeStrapi({ lastReport: async () => Promise.reject(new Error('database gone')) });
    text = await metricsService(broken).text();
    expect(sample(text, 'eas_integrity_altered_records')).toBeNaN();
    expect(sample(text, 'eas_sockets_open')).toBe(7);
    expect(broken.warnings.join('\n')).toContain('database gone');
  });

  it('times PDF renders and counts failed ones apart', async () => {
    const metrics = metricsService(fakeStrapi());
    await expect(metrics.timePdfRender('bulk', async () => 'pdf')).resolves.toBe('pdf');
    await expect(metrics.timePdfRender('bulk', async () => Promise.reject(new Error('chromium died')))).rejects.toThrow('chromium died');
    const text = await metrics.text();
    expect(sample(text, 'eas_pdf_renders_total{via="bulk",result="ok"}')).toBe(1);
    expect(sample(text, 'eas_pdf_renders_total{via="bulk",result="failed"}')).toBe(1);
    expect(sample(text, 'eas_pdf_render_duration_seconds_count{via="bulk"}')).toBe(2);
  });

  it('tells stored uploads from repeated, refused, busy and failed ones by their status', () => {
    expect([201, 200, 400, 409, 413, 503, 500].map(uploadResult)).toEqual([
      'stored',
      'repeated',
      'refused',
      'refused',
      'refused',
      'busy',
      'failed',
    ]);
  });
});
