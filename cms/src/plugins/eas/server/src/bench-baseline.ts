import { factories } from '@strapi/strapi';
import auditService from './services/audit';

/**
 * Only when EAS_BENCH_BASELINE=1 (set by the benchmarks, never in production):
 * - a plain Strapi core `POST /api/eas/bench-baseline` (createCoreController on a bench-only `bench-sample` type with
 *   one text column; the Field staff role gets its permission while the flag is set), so bench/submit-records.ts can
 *   compare our submission endpoint with Strapi's own create of a JSON body of the same size, in the same process;
 * - with EAS_BENCH_NO_AUDIT=1 as well, an audit service whose `append` does nothing, so the same benchmark can
 *   measure what the audit chain adds to a submission (a second instance, same run).
 */
export const benchBaselineEnabled = () => process.env.EAS_BENCH_BASELINE === '1';

const UID = 'plugin::eas.bench-sample';

const benchSample = {
  schema: {
    kind: 'collectionType',
    collectionName: 'eas_bench_samples',
    info: { singularName: 'bench-sample', pluralName: 'bench-samples', displayName: 'Bench sample' },
    options: { draftAndPublish: false },
    pluginOptions: { 'content-manager': { visible: false }, 'content-type-builder': { visible: false } },
    attributes: { payload: { type: 'text' } },
  },
};

const withoutAudit = ({ strapi }: Parameters<typeof auditService>[0]) => ({
  ...auditService({ strapi }),
  append: async () => ({}) as Awaited<ReturnType<ReturnType<typeof auditService>['append']>>,
});

export const benchBaseline = () =>
  benchBaselineEnabled()
    ? {
        contentTypes: { 'bench-sample': benchSample },
        controllers: { 'bench-baseline': factories.createCoreController(UID as never) },
        services: {
          'bench-sample': factories.createCoreService(UID as never),
          ...(process.env.EAS_BENCH_NO_AUDIT === '1' ? { audit: withoutAudit } : {}),
        },
        routes: [{ method: 'POST', path: '/bench-baseline', handler: 'bench-baseline.create', config: { policies: [] } }],
      }
    : { contentTypes: {}, controllers: {}, services: {}, routes: [] };
