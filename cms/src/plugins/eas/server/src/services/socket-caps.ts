import type { Core } from '@strapi/strapi';
import type { EasConfig } from '../config';
import { tooManySocketsMessage } from '../errors';
import { getService } from '../utils/get-service';

export type CapVerdict = { ok: true } | { ok: false; per: 'user' | 'address'; max: number; message: string };

/** A socket's entries live this long in Redis unless its instance renews them: a crashed instance's expire. */
const LEASE_MS = 30_000;
const RENEW_MS = 10_000;

/**
 * Atomically, for one identity key and one address key: drop expired entries, refuse if either holds its cap, else
 * add the socket to both with its lease. Returns 0 (admitted), 1 (identity full) or 2 (address full).
 */
const RESERVE = `
for i = 1, 2 do redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', ARGV[2]) end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 1 end
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[5]) then return 2 end
for i = 1, 2 do
  redis.call('ZADD', KEYS[i], ARGV[3], ARGV[1])
  redis.call('PEXPIRE', KEYS[i], ARGV[6])
end
return 0`;

interface Held {
  member: string;
  keys: [string, string];
}

/**
 * Caps on open live sockets per identity (EAS_SOCKETS_PER_USER) and per client address (EAS_SOCKETS_PER_ADDRESS),
 * checked at the handshake. With Redis the counts are every instance's together: each socket is an entry, leased for
 * 30 s and renewed every 10 s by the instance holding it, removed on disconnect — so the sockets of an instance that
 * crashed stop counting within 30 s. Without Redis, or while it is unreachable, each instance counts its own sockets
 * (the cap then holds per instance).
 */
const socketCapsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const held = new Map<string, Held>();
  let renewer: NodeJS.Timeout | null = null;
  const caps = () => (strapi.config.get('plugin::eas') as EasConfig).limits.sockets;
  const store = () => getService(strapi, 'limits-store');

  const refusal = (per: 'user' | 'address'): CapVerdict => {
    const max = per === 'user' ? caps().perUser : caps().perAddress;
    return { ok: false, per, max, message: tooManySocketsMessage(max, per) };
  };

  const reserveLocally = (keys: [string, string]): CapVerdict => {
    const count = (key: string) => [...held.values()].filter((h) => h.keys.includes(key)).length;
    if (count(keys[0]) >= caps().perUser) return refusal('user');
    if (count(keys[1]) >= caps().perAddress) return refusal('address');
    return { ok: true };
  };

  const renew = async () => {
    const client = store().client();
    if (!client || !store().ready() || !held.size) return;
    const until = Date.now() + LEASE_MS;
    const multi = client.multi();
    for (const { member, keys } of held.values()) {
      for (const key of keys) multi.zAdd(key, { score: until, value: member }).pExpire(key, LEASE_MS);
    }
    await multi.exec().catch((err: Error) => strapi.log.warn(`[eas] socket caps: renewing leases failed (${err.message})`));
  };

  return {
    /** Counts a socket of `identity` from `address`, or refuses it when either is at its cap. */
    async reserve(socketId: string, identity: string, address: string): Promise<CapVerdict> {
      const keys: [string, string] = [store().key(`sockets:identity:${identity}`), store().key(`sockets:address:${address}`)];
      const member = `${store().instanceId}:${socketId}`;
      const client = store().client();
      let verdict: CapVerdict | null = null;
      if (client && store().ready()) {
        const now = Date.now();
        const { perUser, perAddress } = caps();
        try {
          const answer = await client.eval(RESERVE, {
            keys,
            arguments: [member, String(now), String(now + LEASE_MS), String(perUser), String(perAddress), String(LEASE_MS)],
          });
          verdict = answer === 0 ? { ok: true } : refusal(answer === 1 ? 'user' : 'address');
        } catch (err) {
          strapi.log.warn(`[eas] socket caps: Redis did not answer (${(err as Error).message}); counting this instance's sockets only`);
        }
      }
      verdict ??= reserveLocally(keys);
      if (verdict.ok) held.set(socketId, { member, keys });
      return verdict;
    },

    /** The socket closed (idempotent). */
    async release(socketId: string) {
      const entry = held.get(socketId);
      if (!entry) return;
      held.delete(socketId);
      const client = store().client();
      if (!client || !store().ready()) return;
      await Promise.all(entry.keys.map((key) => client.zRem(key, entry.member))).catch(() => undefined);
    },

    start() {
      renewer ??= setInterval(() => void renew(), RENEW_MS);
      renewer.unref();
    },

    async stop() {
      if (renewer) clearInterval(renewer);
      renewer = null;
      for (const id of [...held.keys()]) await this.release(id);
    },

    describe: () => ({ ...caps(), open: held.size }),
  };
};

export default socketCapsService;
