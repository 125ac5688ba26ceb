/**
 * The two ways background jobs reach a worker (services/jobs.ts picks one). Both carry only a job's key: its state
 * lives in the database (the eas_jobs table). No Strapi inside.
 *
 * - BullMQ on Redis (REDIS_URL set): a queue per kind; any process with workers takes the next job; a killed
 *   worker's job is found by BullMQ's stalled-job check once its lock expires and is run again (with the parts
 *   already stored it resumes, see services/bulk-export.ts).
 * - Embedded (no Redis): the job table is the queue. A worker claims a job with a lease (a conditional update, so
 *   two processes on one PostgreSQL never take the same one), renews it while running, and a job whose lease ran
 *   out — its process died — is claimed again.
 */
import { Queue, WaitingError, Worker, type ConnectionOptions } from 'bullmq';
import IORedis from 'ioredis';

export type RunJob = (key: string, attempt: number, signal: AbortSignal) => Promise<void>;

export interface JobQueue {
  readonly kind: 'redis' | 'embedded';
  /** Hands a job (whose row exists) to the workers. Adding a key twice is one job. */
  add(kind: string, key: string): Promise<void>;
  /**
   * Runs this kind's jobs in this process, one at a time. `run` throws to have the job tried again later;
   * `giveUp` is called when no try is left (the row is then marked failed).
   */
  work(kind: string, run: RunJob, giveUp: (key: string, error: string) => Promise<void>): void;
  close(): Promise<void>;
}

interface Log {
  warn(msg: string): void;
  error(msg: string): void;
}

// ---------------------------------------------------------------------------------------------------------------

export interface BullmqOptions {
  url: string;
  prefix: string;
  lockMs: number;
  attempts: number;
  log: Log;
}

export const bullmqQueue = (options: BullmqOptions): JobQueue => {
  const connections: IORedis[] = [];
  // Workers block on Redis and must not give up on a command while it reconnects (BullMQ requires this setting);
  // the producer fails a command after two reconnection attempts, so that POST /eas/exports answers 503, not hangs.
  const connection = (role: 'worker' | 'producer' = 'worker'): ConnectionOptions => {
    const c = new IORedis(options.url, { maxRetriesPerRequest: role === 'worker' ? null : 2, connectTimeout: 3000 });
    // Once per outage, not once per reconnection attempt.
    let last = '';
    c.on('error', (err: Error) => {
      if (err.message !== last) options.log.warn(`[eas] jobs: Redis ${role}: ${err.message}`);
      last = err.message;
    });
    c.on('ready', () => (last = ''));
    connections.push(c);
    return c as unknown as ConnectionOptions;
  };
  const producer = connection('producer');
  const queues = new Map<string, Queue>();
  const workers: Worker[] = [];
  const aborts = new Set<AbortController>();
  const queue = (kind: string) => {
    let q = queues.get(kind);
    if (!q) {
      q = new Queue(kind, { connection: producer, prefix: options.prefix });
      q.on('error', (err: Error) => options.log.warn(`[eas] jobs: queue ${kind}: ${err.message}`));
      queues.set(kind, q);
    }
    return q;
  };
  return {
    kind: 'redis',
    async add(kind, key) {
      // BullMQ waits for the connection before sending anything: bounded here, so a request answers 503, not hangs.
      // If the add goes through later anyway, the job's row is already marked failed and the worker skips it.
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('Redis did not answer within 5 s')), 5000);
      });
      const adding = queue(kind).add(
        kind,
        { key },
        {
          jobId: key,
          attempts: options.attempts,
          backoff: { type: 'exponential', delay: 2000 },
          removeOnComplete: { age: 3600 },
          removeOnFail: { age: 24 * 3600 },
        }
      );
      adding.catch(() => undefined);
      try {
        await Promise.race([adding, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    work(kind, run, giveUp) {
      const worker = new Worker(
        kind,
        async (job, token) => {
          const abort = new AbortController();
          aborts.add(abort);
          try {
            await run((job.data as { key: string }).key, job.attemptsMade + 1, abort.signal);
          } catch (err) {
            // This process is shutting down: the job goes back to the queue without using up a try.
            if (abort.signal.aborted) {
              await job.moveToWait(token);
              throw new WaitingError();
            }
            throw err;
          } finally {
            aborts.delete(abort);
          }
        },
        {
          connection: connection(),
          prefix: options.prefix,
          concurrency: 1,
          lockDuration: options.lockMs,
          stalledInterval: options.lockMs,
          // A job whose worker died twice is given up (a job that kills its process would otherwise loop).
          maxStalledCount: Math.max(1, options.attempts - 1),
        }
      );
      worker.on('error', (err: Error) => options.log.warn(`[eas] jobs: worker ${kind}: ${err.message}`));
      worker.on('failed', (job, err) => {
        if (!job) return;
        job
          .getState()
          .then((state) => (state === 'failed' ? giveUp((job.data as { key: string }).key, err.message) : undefined))
          .catch((e: Error) => options.log.error(`[eas] jobs: could not record the failure of ${job.id}: ${e.message}`));
      });
      workers.push(worker);
    },
    async close() {
      // Do not wait for running jobs: they stop at their next step and are resumed elsewhere (their lock expires).
      for (const a of aborts) a.abort();
      const deadline = Date.now() + 5000;
      while (aborts.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await Promise.all(workers.splice(0).map((w) => w.close(true).catch(() => undefined)));
      await Promise.all([...queues.values()].map((q) => q.close().catch(() => undefined)));
      queues.clear();
      for (const c of connections.splice(0)) c.disconnect();
    },
  };
};

// ---------------------------------------------------------------------------------------------------------------

/** What the embedded queue needs from the job table (services/jobs.ts implements it on Strapi's database). */
export interface LeaseStore {
  /** Takes the oldest job of `kind` that is queued, or running with no live lease; returns its key and try number. */
  claim(kind: string, owner: string, until: Date): Promise<{ key: string; attempt: number } | null>;
  renew(key: string, owner: string, until: Date): Promise<void>;
  /** Gives the job back (to be claimed again, at once or after `retryAt`). */
  release(key: string, owner: string, retryAt?: Date): Promise<void>;
}

export interface EmbeddedOptions {
  store: LeaseStore;
  owner: string;
  leaseMs: number;
  attempts: number;
  /** How often to look for work another process queued, or a job whose lease ran out. */
  pollMs: number;
  log: Log;
}

export const embeddedQueue = (options: EmbeddedOptions): JobQueue => {
  const kinds = new Map<string, { run: RunJob; giveUp: (key: string, error: string) => Promise<void>; busy: boolean }>();
  const aborts = new Set<AbortController>();
  let closed = false;
  const timer = setInterval(() => kinds.forEach((_, kind) => void tick(kind)), options.pollMs);
  timer.unref();

  const tick = async (kind: string) => {
    const entry = kinds.get(kind);
    if (!entry || entry.busy || closed) return;
    entry.busy = true;
    try {
      for (;;) {
        if (closed) return;
        const lease = () => new Date(Date.now() + options.leaseMs);
        const claimed = await options.store.claim(kind, options.owner, lease());
        if (!claimed) return;
        if (claimed.attempt > options.attempts) {
          await entry.giveUp(claimed.key, `gave up after ${options.attempts} tries`);
          continue;
        }
        const abort = new AbortController();
        aborts.add(abort);
        const renew = setInterval(
          () => {
            options.store
              .renew(claimed.key, options.owner, lease())
              .catch((err: Error) => options.log.warn(`[eas] jobs: could not renew ${claimed.key}: ${err.message}`));
          },
          Math.max(200, options.leaseMs / 3)
        );
        try {
          await entry.run(claimed.key, claimed.attempt, abort.signal);
        } catch (err) {
          if (abort.signal.aborted || closed) {
            await options.store.release(claimed.key, options.owner).catch(() => undefined);
          } else if (claimed.attempt >= options.attempts) {
            await entry.giveUp(claimed.key, (err as Error).message);
          } else {
            options.log.warn(
              `[eas] jobs: ${kind} ${claimed.key} failed (try ${claimed.attempt} of ${options.attempts}), retrying: ${(err as Error).message}`
            );
            await options.store.release(claimed.key, options.owner, new Date(Date.now() + 2000 * 2 ** (claimed.attempt - 1)));
          }
        } finally {
          clearInterval(renew);
          aborts.delete(abort);
        }
      }
    } catch (err) {
      options.log.error(`[eas] jobs: the ${kind} queue could not take a job: ${(err as Error).message}`);
    } finally {
      entry.busy = false;
    }
  };

  return {
    kind: 'embedded',
    async add(kind) {
      setImmediate(() => void tick(kind));
    },
    work(kind, run, giveUp) {
      kinds.set(kind, { run, giveUp, busy: false });
      setImmediate(() => void tick(kind));
    },
    async close() {
      closed = true;
      clearInterval(timer);
      for (const a of aborts) a.abort();
      // Let the running job notice and give its lease back, so a restart takes it up at once.
      const deadline = Date.now() + 5000;
      while ([...kinds.values()].some((k) => k.busy) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    },
  };
};
