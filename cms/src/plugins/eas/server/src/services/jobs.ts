import { randomBytes, randomUUID } from 'crypto';
import os from 'os';
import { Emitter } from '@socket.io/redis-emitter';
import type { Core } from '@strapi/strapi';
import IORedis from 'ioredis';
import type { EasConfig } from '../config';
import { JOB_KINDS, UID, type JobKind } from '../constants';
import { jobQueueUnavailable } from '../errors';
import { EVENTS, type EventName, type ExportProgressEvent } from '../../../shared/events';
import { emitEvent } from '../utils/emit-event';
import { getService } from '../utils/get-service';
import { createJobFiles, type JobFiles } from '../utils/job-files';
import { bullmqQueue, embeddedQueue, type JobQueue, type LeaseStore } from '../utils/job-queue';
import { adapterKey, adminRoom } from './realtime';

export interface JobFailure {
  index: number;
  reference: string;
  error: string;
}

export interface JobRow {
  id: number;
  key: string;
  kind: JobKind;
  ownerId: number;
  status: 'queued' | 'running' | 'done' | 'failed';
  total: number;
  done: number;
  failed: JobFailure[] | null;
  error: string | null;
  payload: unknown;
  resultKey: string | null;
  resultBytes: number | string | null;
  attempts: number;
  startedAt: string | null;
  finishedAt: string | null;
  expiresAt: string | null;
  createdAt: string;
}

export interface JobContext {
  job: JobRow;
  attempt: number;
  /** Aborted when this process shuts down: stop at the next step and throw; the job is resumed elsewhere. */
  signal: AbortSignal;
  files: JobFiles;
  /** Records progress (every instance's polls see it) and tells the owner. */
  progress(patch: { done: number; failed: JobFailure[] }): Promise<void>;
}

interface JobDefinition {
  /** The event that carries this kind's progress to its owner's sockets. */
  event: EventName;
  run(ctx: JobContext): Promise<{ resultKey: string; resultBytes: number; cleanup?: () => Promise<void> }>;
}

const UNFINISHED = ['queued', 'running'];

/**
 * Background jobs: THE place EAS's background work goes (bulk PDF exports today). A job is a row of eas_jobs
 * (owner, kind, status, progress, result location) that every instance reads; a queue per kind hands it to a worker
 * — BullMQ on Redis when REDIS_URL is set, the table itself otherwise (utils/job-queue.ts). Workers run in every
 * Strapi instance unless EAS_JOB_WORKERS=0, and in `npm run worker` processes. Results live in the private job
 * storage (utils/job-files.ts) and are removed with their row after the retention time. See docs/jobs.md.
 */
const jobsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const config = strapi.config.get('plugin::eas') as EasConfig;
  const settings = config.jobs;
  const rows = () => strapi.db.query(UID.job);
  const files = createJobFiles(config.evidence, settings.s3Prefix);
  const owner = `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const definitions: Record<JobKind, JobDefinition> = {
    'pdf-export': { event: EVENTS.exportProgress, run: (ctx) => getService(strapi, 'bulk-export').run(ctx) },
    'data-export': { event: EVENTS.exportProgress, run: (ctx) => getService(strapi, 'data-export').run(ctx) },
  };
  let queue: JobQueue | null = null;
  let sweepTimer: NodeJS.Timeout | null = null;
  let relay: { redis: IORedis; stop: () => void } | null = null;

  const leases: LeaseStore = {
    async claim(kind, leaseOwner, until) {
      const now = new Date();
      const free = { $or: [{ leaseUntil: null }, { leaseUntil: { $lt: now } }] };
      const candidates: Pick<JobRow, 'id' | 'key' | 'attempts' | 'startedAt'>[] = await rows().findMany({
        where: { kind, status: { $in: UNFINISHED }, ...free },
        select: ['id', 'key', 'attempts', 'startedAt'],
        orderBy: { id: 'asc' },
        limit: 5,
      });
      for (const c of candidates) {
        // Conditional on the try count it read: of two processes claiming at once, one updates a row, the other none.
        const { count } = await rows().updateMany({
          where: { id: c.id, attempts: c.attempts, status: { $in: UNFINISHED }, ...free },
          data: { leaseOwner, leaseUntil: until, attempts: c.attempts + 1, status: 'running', startedAt: c.startedAt ?? now },
        });
        if (count === 1) return { key: c.key, attempt: c.attempts + 1 };
      }
      return null;
    },
    async renew(key, leaseOwner, until) {
      await rows().updateMany({ where: { key, leaseOwner }, data: { leaseUntil: until } });
    },
    async release(key, leaseOwner, retryAt) {
      await rows().updateMany({ where: { key, leaseOwner }, data: { leaseOwner: null, leaseUntil: retryAt ?? null } });
    },
  };

  const publicStatus = (row: Pick<JobRow, 'status'>): ExportProgressEvent['status'] => (row.status === 'queued' ? 'running' : row.status);

  const announce = (row: JobRow) => {
    const event: ExportProgressEvent = { id: row.key, ownerId: row.ownerId, status: publicStatus(row), done: row.done, total: row.total };
    emitEvent(strapi, definitions[row.kind].event, event);
  };

  const finish = async (row: JobRow, data: Partial<JobRow>) => {
    const finishedAt = new Date();
    const expiresAt = new Date(finishedAt.getTime() + settings.retentionHours * 3600_000);
    const updated = (await rows().update({
      where: { id: row.id },
      data: { ...data, finishedAt, expiresAt, leaseOwner: null, leaseUntil: null },
    })) as JobRow;
    announce(updated);
    return updated;
  };

  const runner = (kind: JobKind) => async (key: string, attempt: number, signal: AbortSignal) => {
    const job = (await rows().findOne({ where: { key } })) as JobRow | null;
    // Gone (expired) or settled already (a second delivery of the same job): nothing to do.
    if (!job || !UNFINISHED.includes(job.status)) return;
    const started = (await rows().update({
      where: { id: job.id },
      data: { status: 'running', attempts: attempt, startedAt: job.startedAt ?? new Date() },
    })) as JobRow;
    // Which process runs which job, for the operator reading the logs of several instances.
    // (A job started before — its process died or stopped — is resumed from the items not yet done.)
    strapi.log.info(
      `[eas] jobs: ${attempt > 1 || job.startedAt ? 'resuming' : 'running'} ${kind} ${key} (try ${attempt}, ${job.done} of ${job.total} done)`
    );
    let writes = Promise.resolve();
    const ctx: JobContext = {
      job: started,
      attempt,
      signal,
      files,
      progress: (patch) => {
        // One write at a time, in order: the row never goes back to an older count.
        writes = writes.then(async () => {
          const row = (await rows().update({ where: { id: job.id }, data: { done: patch.done, failed: patch.failed } })) as JobRow;
          announce(row);
        });
        return writes;
      },
    };
    const t0 = Date.now();
    const result = await definitions[kind].run(ctx);
    await writes;
    await finish(started, { status: 'done', resultKey: result.resultKey, resultBytes: result.resultBytes });
    const waited = t0 - new Date(job.createdAt).getTime();
    strapi.log.info(
      `[eas] jobs: ${kind} ${key} done in ${Date.now() - t0} ms (${job.total} items, try ${attempt}; queued ${waited} ms before)`
    );
    await result
      .cleanup?.()
      .catch((err: Error) => strapi.log.warn(`[eas] jobs: cleanup of ${key} failed (the retention sweep removes it): ${err.message}`));
  };

  const giveUp = async (key: string, error: string) => {
    const job = (await rows().findOne({ where: { key } })) as JobRow | null;
    if (!job || !UNFINISHED.includes(job.status)) return;
    strapi.log.error(`[eas] jobs: ${job.kind} ${key} failed: ${error}`);
    await finish(job, { status: 'failed', error });
  };

  /** Results past their retention time: files and row go (an expired job is a 404, as an unknown one). */
  const sweep = async (): Promise<number> => {
    const expired: Pick<JobRow, 'id' | 'key'>[] = await rows().findMany({
      where: { expiresAt: { $lt: new Date() } },
      select: ['id', 'key'],
      limit: 200,
    });
    for (const job of expired) {
      await files.removeJob(job.key);
      await rows().delete({ where: { id: job.id } });
    }
    return expired.length;
  };

  /** A worker process has no socket.io server: progress goes to the admins' rooms through Redis (socket.io emitter). */
  const startRelay = (url: string) => {
    const redis = new IORedis(url, { maxRetriesPerRequest: 1 });
    redis.on('error', (err: Error) => strapi.log.warn(`[eas] jobs: progress relay: Redis: ${err.message}`));
    const emitter = new Emitter(redis, { key: adapterKey(config) });
    const forward = async (payload: unknown) => {
      const event = payload as ExportProgressEvent;
      emitter.to(adminRoom(event.ownerId)).emit(EVENTS.exportProgress, event);
    };
    strapi.eventHub.on(EVENTS.exportProgress, forward);
    return { redis, stop: () => strapi.eventHub.off(EVENTS.exportProgress, forward) };
  };

  return {
    files,

    /** Which queue, and whether this process works on it (for health and logs). */
    mode: () => ({ queue: queue?.kind ?? null, workers: settings.workers, role: settings.role }),

    /** Creates the job's row and queues it. 503 when it cannot be queued (the row is then marked failed). */
    async create(kind: JobKind, input: { ownerId: number; total: number; payload: unknown }): Promise<JobRow> {
      if (!queue) throw jobQueueUnavailable('the job system is not started');
      const row = (await rows().create({
        data: {
          key: randomUUID(),
          kind,
          ownerId: input.ownerId,
          status: 'queued',
          total: input.total,
          done: 0,
          failed: [],
          payload: input.payload,
          attempts: 0,
        },
      })) as JobRow;
      try {
        await queue.add(kind, row.key);
      } catch (err) {
        await finish(row, { status: 'failed', error: `could not be queued: ${(err as Error).message}` });
        throw jobQueueUnavailable((err as Error).message);
      }
      return row;
    },

    /** A job of this owner that has not expired; null otherwise (others' jobs do not exist for them). */
    /** An owner's jobs of one kind that have not expired, newest first. */
    async list(kind: JobKind, ownerId: number, limit = 20): Promise<JobRow[]> {
      const now = new Date();
      return (await rows().findMany({
        where: { kind, ownerId, $or: [{ expiresAt: null }, { expiresAt: { $gt: now } }] },
        orderBy: { id: 'desc' },
        limit,
      })) as JobRow[];
    },

    async find(kind: JobKind, key: string, ownerId: number): Promise<JobRow | null> {
      const row = (await rows().findOne({ where: { key, kind, ownerId } })) as JobRow | null;
      if (!row || (row.expiresAt && new Date(row.expiresAt).getTime() <= Date.now())) return null;
      return row;
    },

    publicStatus,
    sweep,

    async start() {
      if (queue) return;
      const lockMs = settings.lockSeconds * 1000;
      const log = strapi.log;
      if (config.redis.url) {
        queue = bullmqQueue({ url: config.redis.url, prefix: `${config.redis.prefix}-jobs`, lockMs, attempts: settings.attempts, log });
      } else {
        // SQLite has one server process by nature: a lease left by this instance's previous run is void.
        if (settings.workers && strapi.db.dialect.client === 'sqlite') {
          await rows().updateMany({ where: { status: { $in: UNFINISHED } }, data: { leaseOwner: null, leaseUntil: null } });
        }
        queue = embeddedQueue({ store: leases, owner, leaseMs: lockMs, attempts: settings.attempts, pollMs: 1000, log });
      }
      if (settings.workers) {
        for (const kind of JOB_KINDS) queue.work(kind, runner(kind), giveUp);
      } else if (settings.role === 'app' && !config.redis.url && strapi.db.dialect.client === 'sqlite') {
        log.warn('[eas] jobs: EAS_JOB_WORKERS=0 without REDIS_URL on SQLite: nothing will run background jobs (exports stay queued)');
      }
      if (config.redis.url) {
        // Jobs whose row says unfinished are (re)queued: adding an existing key is a no-op, one Redis lost is not.
        const open: Pick<JobRow, 'key' | 'kind'>[] = await rows().findMany({
          where: { status: { $in: UNFINISHED } },
          select: ['key', 'kind'],
        });
        for (const job of open)
          await queue.add(job.kind, job.key).catch((err: Error) => log.warn(`[eas] jobs: could not requeue ${job.key}: ${err.message}`));
        if (settings.role === 'worker') relay = startRelay(config.redis.url);
      }
      const every = Math.min(10 * 60_000, Math.max(1000, (settings.retentionHours * 3600_000) / 4));
      sweepTimer = setInterval(() => sweep().catch((err: Error) => log.warn(`[eas] jobs: retention sweep failed: ${err.message}`)), every);
      sweepTimer.unref();
      await sweep().catch((err: Error) => log.warn(`[eas] jobs: retention sweep failed: ${err.message}`));
      log.info(
        `[eas] jobs: ${queue.kind === 'redis' ? 'BullMQ on Redis' : 'embedded queue (database)'}; workers ${settings.workers ? 'on' : 'off'} in this ${settings.role} process`
      );
    },

    async stop() {
      if (sweepTimer) clearInterval(sweepTimer);
      sweepTimer = null;
      await queue?.close();
      queue = null;
      relay?.stop();
      relay?.redis.disconnect();
      relay = null;
    },
  };
};

export default jobsService;
