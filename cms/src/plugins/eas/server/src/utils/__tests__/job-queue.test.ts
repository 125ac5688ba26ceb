import { describe, expect, it } from 'vitest';
import { embeddedQueue, type LeaseStore } from '../job-queue';

/** The job table as the embedded queue sees it, in memory, with the same conditional claim as services/jobs.ts. */
const table = (keys: string[]) => {
  const rows = keys.map((key) => ({
    key,
    status: 'queued' as 'queued' | 'running' | 'done' | 'failed',
    attempts: 0,
    leaseOwner: null as string | null,
    leaseUntil: null as Date | null,
  }));
  const store: LeaseStore = {
    async claim(_kind, owner, until) {
      const now = Date.now();
      const row = rows.find((r) => (r.status === 'queued' || r.status === 'running') && (!r.leaseUntil || r.leaseUntil.getTime() < now));
      if (!row) return null;
      Object.assign(row, { status: 'running', leaseOwner: owner, leaseUntil: until, attempts: row.attempts + 1 });
      return { key: row.key, attempt: row.attempts };
    },
    async renew(key, owner, until) {
      const row = rows.find((r) => r.key === key && r.leaseOwner === owner);
      if (row) row.leaseUntil = until;
    },
    async release(key, owner, retryAt) {
      const row = rows.find((r) => r.key === key && r.leaseOwner === owner);
      if (row) Object.assign(row, { leaseOwner: null, leaseUntil: retryAt ?? null });
    },
  };
  return { rows, store };
};

const log = { warn: () => undefined, error: () => undefined };
const until = async (check: () => boolean, ms = 3000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('embedded job queue', () => {
  it('two processes on one table never run the same job', async () => {
    const { rows, store } = table(['j1', 'j2', 'j3', 'j4']);
    const runs: string[] = [];
    const queues = ['p1', 'p2'].map((owner) => embeddedQueue({ store, owner, leaseMs: 5000, attempts: 3, pollMs: 20, log }));
    for (const q of queues) {
      q.work(
        'k',
        async (key) => {
          runs.push(key);
          await new Promise((r) => setTimeout(r, 20));
          rows.find((r) => r.key === key)!.status = 'done';
        },
        async () => undefined
      );
    }
    await until(() => rows.every((r) => r.status === 'done'));
    await Promise.all(queues.map((q) => q.close()));
    expect(runs.sort()).toEqual(['j1', 'j2', 'j3', 'j4']);
  });

  it('a job whose process died (its lease ran out) is taken up again by another process', async () => {
    const { rows, store } = table(['j1']);
    // The dead process: claimed it, then stopped renewing.
    await store.claim('k', 'dead', new Date(Date.now() + 100));
    const attempts: number[] = [];
    const q = embeddedQueue({ store, owner: 'alive', leaseMs: 5000, attempts: 3, pollMs: 20, log });
    q.work(
      'k',
      async (_key, attempt) => {
        attempts.push(attempt);
        rows[0].status = 'done';
      },
      async () => undefined
    );
    await until(() => rows[0].status === 'done');
    await q.close();
    expect(attempts).toEqual([2]);
  });

  it('a job that keeps failing is retried, then given up with its error', async () => {
    const { rows, store } = table(['j1']);
    const given: string[] = [];
    const q = embeddedQueue({ store, owner: 'p', leaseMs: 5000, attempts: 2, pollMs: 20, log });
    // Retries wait 2 s × 2^(try-1): let the first retry be due at once.
    const release = store.release.bind(store);
    store.release = (key, owner) => release(key, owner);
    q.work(
      'k',
      async () => {
        throw new Error('storage down');
      },
      async (key, error) => {
        given.push(`${key}: ${error}`);
        rows[0].status = 'failed';
      }
    );
    await until(() => rows[0].status === 'failed');
    await q.close();
    expect(rows[0].attempts).toBe(2);
    expect(given).toEqual(['j1: storage down']);
  });

  it('on shutdown the running job is told to stop and its lease is given back at once', async () => {
    const { rows, store } = table(['j1']);
    const q = embeddedQueue({ store, owner: 'p', leaseMs: 60_000, attempts: 3, pollMs: 20, log });
    let started = false;
    q.work(
      'k',
      (_key, _attempt, signal) => {
        started = true;
        return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('interrupted'))));
      },
      async () => undefined
    );
    await until(() => started);
    await q.close();
    expect(rows[0]).toMatchObject({ status: 'running', leaseOwner: null, leaseUntil: null, attempts: 1 });
  });
});
