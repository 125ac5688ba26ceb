import { factories } from '@strapi/strapi';
import { UID } from './constants';

/**
 * Only when EAS_BENCH_BASELINE=1 (set by bench/submit-records.ts, never in production): a plain Strapi core
 * `POST /api/eas/bench-baseline` (createCoreController on the record-event type, authenticated like ours: the Field
 * staff role gets its permission while the flag is set) so the benchmark can
 * compare our submission endpoint with Strapi's own create of a JSON body of the same size, in the same process.
 */
export const benchBaselineEnabled = () => process.env.EAS_BENCH_BASELINE === '1';

export const benchBaseline = () =>
  benchBaselineEnabled()
    ? {
        controllers: { 'bench-baseline': factories.createCoreController(UID.recordEvent as never) },
        services: { 'record-event': factories.createCoreService(UID.recordEvent as never) },
        routes: [{ method: 'POST', path: '/bench-baseline', handler: 'bench-baseline.create', config: { policies: [] } }],
      }
    : { controllers: {}, services: {}, routes: [] };
