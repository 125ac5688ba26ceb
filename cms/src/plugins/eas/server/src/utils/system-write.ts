import { AsyncLocalStorage } from 'async_hooks';

/**
 * Records are written only by EAS's own services (which keep the history, the reference and the lifecycle rules).
 * Those services run their writes inside `systemWrite`; the document guard refuses any other write to a record.
 */
const storage = new AsyncLocalStorage<true>();

export const systemWrite = <T>(fn: () => Promise<T>): Promise<T> => storage.run(true, fn);

export const isSystemWrite = () => storage.getStore() === true;
