import type { Core } from '@strapi/strapi';
import { resolveChromium } from '../utils/chromium';
import { getService } from '../utils/get-service';

type Check = { status: 'up' | 'down' | 'not-configured'; latencyMs?: number; detail?: string };

export interface Health {
  status: 'ok' | 'degraded';
  timestamp: string;
  services: { database: Check; redis: Check; storage: Check; pdf: Check };
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
      timed(() => getService(strapi, 'media-storage').probe()),
      timed(() => resolveChromium()),
    ]);
    const services = {
      database,
      redis: (redis === 'disabled' ? { status: 'not-configured' } : { status: redis === 'up' ? 'up' : 'down' }) as Check,
      storage,
      pdf: pdf.status === 'up' ? pdf : { ...pdf, detail: 'no Chromium found for PDF export' },
    };
    const healthy = Object.values(services).every((s) => s.status !== 'down');
    return { status: healthy ? 'ok' : 'degraded', timestamp: new Date().toISOString(), services };
  },
});

export default healthService;
