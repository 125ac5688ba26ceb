import type { Core } from '@strapi/strapi';
import { resolveChromium } from '../utils/chromium';
import type { IntegritySummary } from '../../../shared/contracts/dashboard';
import { getService } from '../utils/get-service';

type Check = { status: 'up' | 'down' | 'not-configured'; latencyMs?: number; detail?: string };

export interface Health {
  status: 'ok' | 'degraded';
  timestamp: string;
  services: { database: Check; redis: Check; storage: Check; pdf: Check };
  /** The last integrity sweep: "ok", or "altered" with counts (an alert for operators, not a reason to take the
   *  instance out of the load balancer, so it does not change the status code). */
  integrity: IntegritySummary | { status: 'unknown' };
}

const timed = async (work: () => Promise<unknown>, timeoutMs = 5000): Promise<Check> => {
  const started = Date.now();
  try {
    await Promise.race([work(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs))]);
    return { status: 'up', latencyMs: Date.now() - started };
  } catch {
    // No error text: health answers are public and must not leak hosts, paths or stack traces.
    return { status: 'down', latencyMs: Date.now() - started };
  }
};

/** GET /health: is every service EAS depends on usable right now? 200 when all are, 503 when one is not. */
const healthService = ({ strapi }: { strapi: Core.Strapi }) => ({
  async check(): Promise<Health> {
    const redis = getService(strapi, 'realtime').status().redis;
    const [database, storage, pdf] = await Promise.all([
      timed(() => strapi.db.connection.raw('SELECT 1')),
      timed(() => getService(strapi, 'evidence-store').probe()),
      timed(() => resolveChromium()),
    ]);
    const services = {
      database,
      redis: (redis === 'disabled' ? { status: 'not-configured' } : { status: redis === 'up' ? 'up' : 'down' }) as Check,
      storage,
      pdf: pdf.status === 'up' ? pdf : { ...pdf, detail: 'no Chromium found for PDF export' },
    };
    const healthy = Object.values(services).every((s) => s.status !== 'down');
    const integrity =
      database.status === 'up'
        ? await getService(strapi, 'integrity')
            .summary()
            .catch(() => ({ status: 'unknown' as const }))
        : { status: 'unknown' as const };
    return { status: healthy ? 'ok' : 'degraded', timestamp: new Date().toISOString(), services, integrity };
  },
});

export default healthService;
