import type { Core } from '@strapi/strapi';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { EVENTS } from '../../../shared/events';
import type { EasConfig } from '../config';
import { JOB_KINDS, UID } from '../constants';
import { getService } from '../utils/get-service';

/** Seconds; from a fast JSON answer to a slow upload or PDF. */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const PDF_BUCKETS = [0.25, 0.5, 1, 2, 3, 5, 8, 13, 20, 30, 60];

/** What a job queue reports on every scrape (the jobs service registers one source per queue). */
export interface JobQueueDepth {
  waiting: number;
  active: number;
  delayed?: number;
  failed?: number;
}
export type JobQueueSource = () => JobQueueDepth | Promise<JobQueueDepth>;

/** A sample of a gauge read on scrape: a number, or one value per label set. */
export type GaugeReading = number | { labels: Record<string, string>; value: number }[];

export type UploadKind = 'photo' | 'signature';
export type UploadResult = 'stored' | 'repeated' | 'refused' | 'busy' | 'failed';

/** What the answer to an upload means, for eas_uploads_total{result}. */
export const uploadResult = (status: number): UploadResult =>
  status === 201 ? 'stored' : status === 200 ? 'repeated' : status === 503 ? 'busy' : status >= 500 ? 'failed' : 'refused';

/**
 * Prometheus metrics of this Strapi instance (prom-client), served at GET /metrics (bootstrap.ts).
 *
 * One registry per Strapi instance — not prom-client's global one — so several instances in one process (tests)
 * never share or re-register metrics. Counters and histograms are fed by the request middleware
 * (middlewares/observe-requests.ts), by EAS's domain events (subscribed in start()) and by one call in the PDF
 * renderer; gauges are read when Prometheus scrapes (queue depths, sockets, the last integrity sweep).
 *
 * Other services add their own numbers with `gauge()` (any gauge read on scrape) or `jobQueue()` (the depth of one
 * background job queue, reported as eas_job_queue_jobs{queue,state}).
 */
const metricsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const config = strapi.config.get('plugin::eas') as EasConfig;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const httpRequests = new Counter({
    name: 'eas_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers,
  });
  const httpDuration = new Histogram({
    name: 'eas_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: HTTP_BUCKETS,
    registers,
  });
  const submissions = new Counter({
    name: 'eas_record_submissions_total',
    help: 'Records submitted (created complete, or a draft submitted)',
    registers,
  });
  const submissionDuration = new Histogram({
    name: 'eas_record_submission_duration_seconds',
    help: 'Time to answer a request that submitted a record',
    buckets: HTTP_BUCKETS,
    registers,
  });
  const uploads = new Counter({
    name: 'eas_uploads_total',
    help: 'Photo and signature uploads, by kind and result (stored, repeated, refused, busy = image queue full, failed)',
    labelNames: ['kind', 'result'] as const,
    registers,
  });
  const uploadDuration = new Histogram({
    name: 'eas_upload_duration_seconds',
    help: 'Time to answer a stored upload (waiting in the image queue, processing, storing), by kind',
    labelNames: ['kind'] as const,
    buckets: HTTP_BUCKETS,
    registers,
  });
  const pdfRenders = new Counter({
    name: 'eas_pdf_renders_total',
    help: 'PDFs rendered, by what asked for them (admin, receipt, bulk) and result (ok, failed)',
    labelNames: ['via', 'result'] as const,
    registers,
  });
  const pdfDuration = new Histogram({
    name: 'eas_pdf_render_duration_seconds',
    help: 'Time to render one PDF in Chromium (including the wait for a free page), by via',
    labelNames: ['via'] as const,
    buckets: PDF_BUCKETS,
    registers,
  });
  const integrityFailures = new Counter({
    name: 'eas_integrity_run_failures_total',
    help: 'Periodic integrity checkpoints or sweeps of this instance that failed (they are retried)',
    registers,
  });

  /**
   * A gauge read on every scrape. A reader that fails is logged and its gauge reads NaN (unknown: no alert compares
   * true on it, and a dashboard shows a gap), never a made-up 0; a labelled gauge has no samples then.
   */
  const gauge = ({
    name,
    help,
    labelNames = [],
    collect,
  }: {
    name: string;
    help: string;
    labelNames?: string[];
    collect: () => GaugeReading | Promise<GaugeReading>;
  }) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers,
      async collect() {
        this.reset();
        try {
          const reading = await collect();
          if (typeof reading === 'number') this.set(reading);
          else for (const { labels, value } of reading) this.set(labels, value);
        } catch (err) {
          if (!labelNames.length) this.set(NaN);
          strapi.log.warn(`[eas] metric ${name} could not be read: ${(err as Error).message}`);
        }
      },
    });

  const jobQueues = new Map<string, JobQueueSource>();
  gauge({
    name: 'eas_job_queue_jobs',
    help: 'Background jobs by queue and state (waiting, active, delayed, failed)',
    labelNames: ['queue', 'state'],
    async collect() {
      const readings = await Promise.all(
        [...jobQueues].map(async ([queue, source]) =>
          Object.entries(await source()).map(([state, value]) => ({ labels: { queue, state }, value: Number(value) }))
        )
      );
      return readings.flat();
    },
  });

  gauge({
    name: 'eas_image_queue_jobs',
    help: "Uploads in this instance's image processing queue, by state (running, waiting)",
    labelNames: ['state'],
    collect: () => {
      const { running, waiting } = getService(strapi, 'evidence').queueStats();
      return [
        { labels: { state: 'running' }, value: running },
        { labels: { state: 'waiting' }, value: waiting },
      ];
    },
  });
  gauge({
    name: 'eas_image_queue_capacity',
    help: 'Uploads allowed to wait for image processing before new ones are refused with 503 (IMAGE_QUEUE_MAX)',
    collect: () => config.images.queueMax,
  });
  gauge({
    name: 'eas_sockets_open',
    help: 'Open socket.io connections on this instance',
    collect: () => getService(strapi, 'realtime').status().sockets,
  });

  // The last integrity sweep, from the plugin store (shared by every instance): read once per scrape; NaN before the
  // first sweep.
  let lastSweep: ReturnType<typeof readLastSweep> | null = null;
  const readLastSweep = async () => {
    const report = await getService(strapi, 'integrity').lastReport();
    if (!report) return null;
    return {
      altered: report.alteredCount,
      chainProblems: report.chain.breaks.length + report.chain.checkpointProblems.length,
      records: report.records,
      finishedAt: Date.parse(report.finishedAt) / 1000,
      seconds: (Date.parse(report.finishedAt) - Date.parse(report.startedAt)) / 1000,
    };
  };
  const sweepGauge = (name: string, help: string, pick: (s: NonNullable<Awaited<ReturnType<typeof readLastSweep>>>) => number) =>
    gauge({
      name,
      help,
      async collect() {
        const sweep = await (lastSweep ??= readLastSweep().finally(() => setTimeout(() => (lastSweep = null), 1000).unref()));
        return sweep ? pick(sweep) : NaN;
      },
    });
  sweepGauge('eas_integrity_altered_records', 'Records the last integrity sweep found altered', (s) => s.altered);
  sweepGauge(
    'eas_integrity_chain_problems',
    'Audit-chain breaks and checkpoint problems the last integrity sweep found',
    (s) => s.chainProblems
  );
  sweepGauge('eas_integrity_records_checked', 'Records the last integrity sweep checked', (s) => s.records);
  sweepGauge('eas_integrity_last_sweep_timestamp_seconds', 'When the last integrity sweep finished (Unix time)', (s) => s.finishedAt);
  sweepGauge('eas_integrity_last_sweep_duration_seconds', 'How long the last integrity sweep took', (s) => s.seconds);
  gauge({
    name: 'eas_integrity_sweep_interval_seconds',
    help: 'How often every record is re-checked (EAS_INTEGRITY_SWEEP_MINUTES; 0 = only on demand)',
    collect: () => config.custody.sweepMinutes * 60,
  });

  // Every kind of background job, as the job table (shared by all instances, both queue modes) says: waiting to be
  // taken, being run. The same figure on every instance; alert on max(), not sum().
  for (const kind of JOB_KINDS) {
    const count = (status: string): Promise<number> => strapi.db.query(UID.job).count({ where: { kind, status } });
    jobQueues.set(kind, async () => ({ waiting: await count('queued'), active: await count('running') }));
  }

  const onSubmitted = async () => void submissions.inc();

  return {
    registry,
    contentType: registry.contentType,
    /** The exposition text Prometheus scrapes. */
    text: () => registry.metrics(),

    /** Subscribes to EAS's domain events (bootstrap). */
    start() {
      strapi.eventHub.on(EVENTS.recordSubmitted, onSubmitted);
    },
    stop() {
      strapi.eventHub.off(EVENTS.recordSubmitted, onSubmitted);
    },

    /** One answered HTTP request (middlewares/observe-requests.ts), with the labels already bounded. */
    observeRequest(labels: { method: string; route: string; status: number }, seconds: number) {
      const l = { method: labels.method, route: labels.route, status: String(labels.status) };
      httpRequests.inc(l);
      httpDuration.observe(l, seconds);
    },
    /** An answered upload request. */
    observeUpload(kind: UploadKind, status: number, seconds: number) {
      const result = uploadResult(status);
      uploads.inc({ kind, result });
      if (result === 'stored') uploadDuration.observe({ kind }, seconds);
    },
    /** An answered request that may have submitted a record (the count itself comes from the event). */
    observeSubmissionRequest(seconds: number) {
      submissionDuration.observe(seconds);
    },

    /** Times one PDF render: counted ok or failed, with its duration. */
    async timePdfRender<T>(via: string, render: () => Promise<T>): Promise<T> {
      const end = pdfDuration.startTimer({ via });
      try {
        const pdf = await render();
        pdfRenders.inc({ via, result: 'ok' });
        return pdf;
      } catch (err) {
        pdfRenders.inc({ via, result: 'failed' });
        throw err;
      } finally {
        end();
      }
    },

    integrityRunFailed: () => integrityFailures.inc(),

    /**
     * Reports the depth of one background job queue as eas_job_queue_jobs{queue,state}. Registering a queue name
     * again replaces its source.
     */
    jobQueue(queue: string, source: JobQueueSource) {
      jobQueues.set(queue, source);
    },
    /** Any other gauge read on scrape (name it eas_…). */
    gauge,
  };
};

export default metricsService;
