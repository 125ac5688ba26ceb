import { randomUUID } from 'crypto';
import type { Core } from '@strapi/strapi';
import { createClient, type RedisClientType } from 'redis';
import type { EasConfig } from '../config';

/**
 * The Redis connection the shared limits count on (auth rate limit, socket caps), when REDIS_URL is set. Commands fail
 * at once while Redis is away (no offline queue): each limit then falls back to this process's own counts (see
 * rate-limits.ts, socket-caps.ts) and goes back to Redis when it returns.
 */
const limitsStoreService = ({ strapi }: { strapi: Core.Strapi }) => {
  let client: RedisClientType | null = null;
  let state: 'disabled' | 'connecting' | 'up' | 'down' = 'disabled';
  /** Names this process's entries in shared counters, so another instance never releases them. */
  const instanceId = randomUUID();
  const config = () => (strapi.config.get('plugin::eas') as EasConfig).redis;

  return {
    instanceId,
    /** Keys of this deployment on the shared Redis: `<EAS_REDIS_PREFIX>:<name>`. */
    key: (name: string) => `${config().prefix}:${name}`,

    async start() {
      const { url } = config();
      if (!url || client) return;
      state = 'connecting';
      const c = createClient({
        url,
        disableOfflineQueue: true,
        socket: { reconnectStrategy: (retries: number) => Math.min((retries + 1) * 500, 5000), connectTimeout: 3000 },
      }) as RedisClientType;
      c.on('error', (err: Error) => {
        if (state !== 'down')
          strapi.log.warn(`[eas] limits: Redis unavailable (${err.message}); counting in this instance only until it is back`);
        state = 'down';
      });
      c.on('ready', () => {
        if (state !== 'up') strapi.log.info('[eas] limits: Redis connected; counting across instances');
        state = 'up';
      });
      client = c;
      // Do not hold the boot hostage to Redis: try for a few seconds, then go on; the client keeps reconnecting.
      await Promise.race([c.connect().catch(() => undefined), new Promise((r) => setTimeout(r, 3000))]);
    },

    /** The client when Redis is configured (ready or not), else null. */
    client: () => client,
    ready: () => Boolean(client?.isReady),
    status: () => state,

    async stop() {
      const c = client;
      client = null;
      state = 'disabled';
      if (c?.isOpen) await c.quit().catch(() => c.disconnect().catch(() => undefined));
    },
  };
};

export default limitsStoreService;
