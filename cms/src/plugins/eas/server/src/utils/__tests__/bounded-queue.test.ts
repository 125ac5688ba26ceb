import { describe, expect, it } from 'vitest';
import { QueueFullError, createBoundedQueue } from '../bounded-queue';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe('bounded queue', () => {
  it('never runs more than `concurrency` jobs at once and runs the waiting ones in order', async () => {
    const q = createBoundedQueue({ concurrency: 2, maxWaiting: 10 });
    let active = 0;
    let peak = 0;
    const order: number[] = [];
    const gates = Array.from({ length: 5 }, deferred);
    const jobs = gates.map((g, i) =>
      q.run(async () => {
        active++;
        peak = Math.max(peak, active);
        order.push(i);
        await g.promise;
        active--;
      })
    );
    gates.forEach((g) => g.resolve());
    await Promise.all(jobs);
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });

  it('refuses at once when too many are waiting, and recovers', async () => {
    const q = createBoundedQueue({ concurrency: 1, maxWaiting: 1 });
    const gate = deferred();
    const first = q.run(() => gate.promise);
    const second = q.run(async () => 'second');
    await expect(q.run(async () => 'third')).rejects.toBeInstanceOf(QueueFullError);
    gate.resolve();
    await first;
    await expect(second).resolves.toBe('second');
    await expect(q.run(async () => 'again')).resolves.toBe('again');
  });

  it('releases its slot when a job fails', async () => {
    const q = createBoundedQueue({ concurrency: 1, maxWaiting: 0 });
    await expect(q.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(q.run(async () => 'ok')).resolves.toBe('ok');
  });
});
