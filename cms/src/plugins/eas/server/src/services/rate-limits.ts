import type { Core } from '@strapi/strapi';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { EasConfig } from '../config';
import type { AuthRoute } from '../utils/auth-routes';
import { getService } from '../utils/get-service';

export type AttemptVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * The one auth rate limit (rate-limiter-flexible): AUTH_RATE_LIMIT_MAX attempts per AUTH_RATE_LIMIT_WINDOW_MS per
 * client address on each auth route (utils/auth-routes.ts), nothing from the request body in the key. With REDIS_URL
 * the count is kept in Redis (one atomic Lua increment per attempt), so N instances together allow exactly the limit.
 * While Redis is unreachable each instance counts in its own memory (the limiter's insurance): sign-in keeps working
 * and stays limited, per instance, until Redis is back. Without REDIS_URL, memory only (one instance).
 */
const rateLimitsService = ({ strapi }: { strapi: Core.Strapi }) => {
  let limiter: RateLimiterAbstract | null = null;
  let limiterIsShared = false;
  const config = () => (strapi.config.get('plugin::eas') as EasConfig).limits.auth;

  const build = (): RateLimiterAbstract => {
    const { max, windowMs } = config();
    const store = getService(strapi, 'limits-store');
    const options = { points: max, duration: windowMs / 1000, keyPrefix: store.key('auth') };
    const memory = new RateLimiterMemory(options);
    const client = store.client();
    limiterIsShared = Boolean(client);
    if (!client) return memory;
    return new RateLimiterRedis({
      ...options,
      storeClient: client,
      useRedisPackage: true,
      rejectIfRedisNotReady: true,
      insuranceLimiter: memory,
    });
  };

  return {
    /** Counts one attempt of `address` on `route`; refuses it once the window's attempts are used up. */
    async consume(route: AuthRoute, address: string): Promise<AttemptVerdict> {
      limiter ??= build();
      try {
        await limiter.consume(`${route.method} ${route.path} ${address}`);
        return { allowed: true };
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) {
          return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
        }
        // Neither store answered (cannot happen with the memory insurance): let the attempt through, say so.
        strapi.log.error(`[eas] auth rate limit could not count an attempt: ${(rejection as Error).message}`);
        return { allowed: true };
      }
    },

    describe: () => ({ ...config(), shared: limiterIsShared }),
  };
};

export default rateLimitsService;
