/**
 * Runs at most `concurrency` jobs at once and lets at most `maxWaiting` wait; past that, `run` refuses at once
 * (the caller answers 503 and the device retries later) instead of letting a burst of uploads pile up in memory.
 */
export class QueueFullError extends Error {
  constructor() {
    super('The server is busy processing other uploads; retry in a moment');
    this.name = 'QueueFullError';
  }
}

export const createBoundedQueue = ({ concurrency, maxWaiting }: { concurrency: number; maxWaiting: number }) => {
  let running = 0;
  const waiting: (() => void)[] = [];

  const release = () => {
    running--;
    const next = waiting.shift();
    if (next) {
      running++;
      next();
    }
  };

  return {
    async run<T>(job: () => Promise<T>): Promise<T> {
      if (running >= concurrency) {
        if (waiting.length >= maxWaiting) throw new QueueFullError();
        await new Promise<void>((resolve) => waiting.push(resolve));
      } else {
        running++;
      }
      try {
        return await job();
      } finally {
        release();
      }
    },
    stats: () => ({ running, waiting: waiting.length }),
  };
};
