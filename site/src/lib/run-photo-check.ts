/**
 * The page's side of the photo quality check: one Web Worker (photo-check.worker.ts, built and precached with the
 * site, so it works offline), started with the first photo and kept for the next ones. A check that cannot run (no
 * worker, an odd browser, no answer in time) gives null: the photo is then accepted as before and the server still
 * flags it — the phone's check helps the person, it does not gate the record.
 */
import type { CheckReply, CheckRequest, PhotoCheck } from './photo-check';

const TIMEOUT_MS = 15_000;

let worker: Worker | null = null;
let nextId = 0;
const waiting = new Map<number, (check: PhotoCheck | null) => void>();

const startWorker = (): Worker => {
  const w = new Worker(new URL('./photo-check.worker.ts', import.meta.url), { type: 'module' });
  w.onmessage = (event: MessageEvent<CheckReply>) => {
    const reply = event.data;
    if ('error' in reply) console.warn('The photo check failed:', reply.error);
    waiting.get(reply.id)?.('check' in reply ? reply.check : null);
  };
  w.onerror = (event) => {
    console.warn('The photo check worker failed:', event.message);
    for (const settle of [...waiting.values()]) settle(null);
    worker = null;
  };
  return w;
};

export const runPhotoCheck = (request: Omit<CheckRequest, 'id'>): Promise<PhotoCheck | null> => {
  if (typeof Worker === 'undefined' || typeof OffscreenCanvas === 'undefined') return Promise.resolve(null);
  try {
    worker ??= startWorker();
  } catch (err) {
    console.warn('The photo check worker could not start:', err);
    return Promise.resolve(null);
  }
  const id = ++nextId;
  const w = worker;
  return new Promise<PhotoCheck | null>((resolve) => {
    const timer = setTimeout(() => settle(null), TIMEOUT_MS);
    const settle = (check: PhotoCheck | null) => {
      clearTimeout(timer);
      waiting.delete(id);
      resolve(check);
    };
    waiting.set(id, settle);
    const transfer = request.source instanceof Blob ? [] : [request.source];
    w.postMessage({ ...request, id } satisfies CheckRequest, transfer);
  });
};
