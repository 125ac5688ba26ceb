import type { IncomingMessage } from 'http';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Core } from '@strapi/strapi';
import { createClient, type RedisClientType } from 'redis';
import { Server, type Socket } from 'socket.io';
import { EVENTS, type ExportProgressEvent, type RecordEvent } from '../../../shared/events';
import type { EasConfig } from '../config';
import { clientAddress } from '../utils/client-address';
import { getService } from '../utils/get-service';
import {
  createRecheckSchedule,
  createRevocationCheck,
  REVOCATION_MESSAGES,
  type RevocationReason,
  type SocketIdentity,
} from './socket-revocation';

export { SOCKET_PATH } from '../../../shared/events';
import { SOCKET_PATH } from '../../../shared/events';
const DASHBOARD = 'dashboard';
const userRoom = (id: number) => `user:${id}`;
/** An admin's own room (export progress); also addressed by job workers without socket.io (services/jobs.ts). */
export const adminRoom = (id: number) => `admin:${id}`;
/** Redis channel prefix of the socket.io adapter, shared with the emitter of worker processes. */
export const adapterKey = (config: Pick<EasConfig, 'redis'>) => `${config.redis.prefix}-socket.io`;
/** Sent to a socket, with `{ reason, message }`, just before the server disconnects it for a revocation. */
export const REVOKED_EVENT = EVENTS.revoked;

type RecheckResult = { sockets: number; revoked: number };

type Refusal = Error & { data?: { reason: RevocationReason } };
const refusal = (reason?: RevocationReason): Refusal => {
  if (!reason) return new Error('unauthorised: the token is invalid or expired');
  return Object.assign(new Error(`unauthorised: ${REVOCATION_MESSAGES[reason]}`), { data: { reason } });
};

/**
 * The only place that touches socket.io. A socket.io server on Strapi's HTTP server (own path), authenticated at the
 * handshake: an admin access token with the EAS read permission joins the dashboard room; a users-permissions JWT
 * joins only its own user's room. Rooms are joined from the verified identity only; clients cannot emit anything the
 * server acts on. With REDIS_URL, events reach sockets on every instance; if Redis goes away, local delivery goes on.
 * The identity is re-checked for all of this instance's sockets every `realtime.recheckSeconds`, and soon after a
 * write that may revoke one: a socket whose user, session or permission went is told why and disconnected.
 */
const realtimeService = ({ strapi }: { strapi: Core.Strapi }) => {
  let io: Server | null = null;
  let pub: RedisClientType | null = null;
  let sub: RedisClientType | null = null;
  let redisState: 'disabled' | 'connecting' | 'up' | 'down' = 'disabled';
  const listeners: [string, (payload: unknown) => Promise<void>][] = [];
  const revocations = createRevocationCheck(strapi);
  let schedule: ReturnType<typeof createRecheckSchedule<RecheckResult>> | null = null;
  let unwatch: (() => void) | null = null;

  const allowedOrigins = () => {
    const list = new Set<string>();
    const { publicUrl, corsOrigins } = strapi.config.get('plugin::eas') as EasConfig;
    if (publicUrl) list.add(new URL(publicUrl).origin);
    for (const o of corsOrigins) if (o.trim()) list.add(o.trim());
    return list;
  };

  /** Browsers send Origin on WebSocket handshakes and CORS does not apply: same origin or a configured one only. */
  const originAllowed = (req: IncomingMessage) => {
    const origin = req.headers.origin;
    if (!origin) return true; // not a browser: authentication decides
    try {
      if (new URL(origin).host === req.headers.host) return true;
    } catch {
      return false;
    }
    return allowedOrigins().has(origin);
  };

  /** Who the token says it is: an admin access token, a users-permissions JWT (or both, if they share a secret). */
  const candidates = async (token: string): Promise<SocketIdentity[]> => {
    const found: SocketIdentity[] = [];
    const admin = strapi.sessionManager('admin').validateAccessToken(token);
    if (admin.isValid) found.push({ kind: 'admin', id: Number(admin.payload.userId), sessionId: String(admin.payload.sessionId) });
    const staff = (await strapi
      .plugin('users-permissions')
      .service('jwt')
      .verify(token)
      .catch(() => null)) as { id?: number; sessionId?: string } | null;
    if (staff?.id !== undefined) found.push({ kind: 'field-staff', id: Number(staff.id), sessionId: staff.sessionId ?? null });
    return found;
  };

  /** The same check as every re-check: user, session (following refreshes), EAS read permission for admins. */
  const authenticate = async (socket: Socket, next: (err?: Error) => void) => {
    const token = (socket.handshake.auth as { token?: unknown })?.token;
    if (typeof token !== 'string' || !token) return next(new Error('unauthorised: send an access token in auth.token'));
    const found = await candidates(token);
    if (!found.length) return next(refusal());
    const verdicts = await revocations.check(found);
    const accepted = verdicts.findIndex((v) => v.ok);
    if (accepted < 0) {
      const first = verdicts[0];
      return next(refusal(first.ok ? undefined : first.reason));
    }
    const identity = found[accepted];
    // At most EAS_SOCKETS_PER_USER open sockets per identity and EAS_SOCKETS_PER_ADDRESS per client address, all
    // instances together (services/socket-caps.ts). Counted once the identity is known, released when the socket or
    // its connection closes (whichever comes first; a handshake whose connection went meanwhile never "disconnects").
    const caps = getService(strapi, 'socket-caps');
    const address = clientAddress(socket.request, Boolean(strapi.server.app.proxy));
    const verdict = await caps.reserve(socket.id, `${identity.kind}:${identity.id}`, address);
    if (!verdict.ok)
      return next(
        Object.assign(new Error(verdict.message), { data: { code: 'too_many_connections', per: verdict.per, max: verdict.max } })
      );
    const release = () => void caps.release(socket.id);
    socket.once('disconnect', release);
    socket.conn.once('close', release);
    socket.data.identity = identity;
    next();
  };

  const revoke = (socket: Socket, reason: RevocationReason) => {
    socket.emit(REVOKED_EVENT, { reason, message: REVOCATION_MESSAGES[reason] });
    socket.disconnect(true);
  };

  /** One check of every socket open on this instance (other instances check their own). */
  const checkOpenSockets = async (): Promise<RecheckResult> => {
    const sockets = io ? [...io.of('/').sockets.values()] : [];
    if (!sockets.length) return { sockets: 0, revoked: 0 };
    const verdicts = await revocations.check(sockets.map((s) => s.data.identity as SocketIdentity));
    let revoked = 0;
    verdicts.forEach((verdict, i) => {
      const socket = sockets[i];
      if (!socket.connected) return;
      if (!verdict.ok) {
        revoke(socket, verdict.reason);
        revoked += 1;
      } else {
        // Follow token refreshes, so that the next check starts from the newest session of the family.
        (socket.data.identity as SocketIdentity).sessionId = verdict.sessionId;
      }
    });
    return { sockets: sockets.length, revoked };
  };

  const connectRedis = async (url: string) => {
    redisState = 'connecting';
    const options = {
      url,
      // While Redis is away, commands fail at once instead of piling up in memory.
      disableOfflineQueue: true,
      socket: { reconnectStrategy: (retries: number) => Math.min((retries + 1) * 500, 5000), connectTimeout: 3000 },
    };
    pub = createClient(options) as RedisClientType;
    sub = createClient(options) as RedisClientType;
    // A publish that fails while Redis is down must not become an unhandled rejection: local delivery goes on.
    const publish = pub.publish.bind(pub);
    pub.publish = ((...args: Parameters<typeof publish>) => publish(...args).catch(() => 0)) as typeof pub.publish;
    let attached = false;
    const attach = () => {
      if (!attached && io && pub?.isReady && sub?.isReady) {
        // This deployment's channel (EAS_REDIS_PREFIX): deployments sharing a Redis never see each other's events.
        io.adapter(createAdapter(pub, sub, { key: adapterKey(strapi.config.get('plugin::eas') as EasConfig) }));
        attached = true;
      }
    };
    for (const [name, client] of [
      ['publisher', pub],
      ['subscriber', sub],
    ] as const) {
      client.on('error', (err: Error) => {
        if (redisState !== 'down') strapi.log.warn(`[eas] realtime: Redis ${name} unavailable (${err.message}); delivering events locally`);
        redisState = 'down';
      });
      client.on('ready', () => {
        if (pub?.isReady && sub?.isReady) {
          if (redisState !== 'up') strapi.log.info('[eas] realtime: Redis connected; events reach every instance');
          redisState = 'up';
          attach();
        }
      });
    }
    // Do not hold the boot hostage to Redis: try for a few seconds, then go on; the clients keep reconnecting.
    const connecting = Promise.all([pub.connect(), sub.connect()]).catch(() => undefined);
    await Promise.race([connecting, new Promise((r) => setTimeout(r, 3000))]);
  };

  const toOwner = (e: RecordEvent) => ({
    documentId: e.documentId,
    reference: e.reference,
    status: e.status,
    reviewComment: e.reviewComment ?? null,
    at: e.at,
  });

  /** Dashboard events carry no review comment; the owner's room gets only its own record's state. */
  const broadcastRecord = (name: string) => async (payload: unknown) => {
    const event = payload as RecordEvent;
    if (!io) return;
    // No captured data on the socket: neither the comment nor the key answer (the dashboard reads that over HTTP).
    const { reviewComment: _omit, summary: _summary, ...forDashboard } = event;
    io.to(DASHBOARD).emit(name, forDashboard);
    if (event.owner) io.to(userRoom(event.owner.id)).emit(name, toOwner(event));
  };

  const broadcastExport = async (payload: unknown) => {
    const event = payload as ExportProgressEvent;
    io?.to(adminRoom(event.ownerId)).emit(EVENTS.exportProgress, event);
  };

  return {
    async start() {
      if (io || !strapi.server.httpServer) return;
      io = new Server(strapi.server.httpServer, {
        path: SOCKET_PATH,
        serveClient: false,
        maxHttpBufferSize: 4 * 1024,
        allowRequest: (req, callback) => callback(originAllowed(req) ? null : 'origin not allowed', originAllowed(req)),
        cors: { origin: (origin, cb) => cb(null, !origin || allowedOrigins().has(origin)) },
      });
      io.use((socket, next) => {
        authenticate(socket, next).catch(() => next(new Error('unauthorised')));
      });
      io.on('connection', (socket) => {
        const identity = socket.data.identity as SocketIdentity;
        if (identity.kind === 'admin') {
          socket.join(DASHBOARD);
          socket.join(adminRoom(identity.id));
        } else {
          socket.join(userRoom(identity.id));
        }
        socket.emit('eas.ready', { rooms: identity.kind === 'admin' ? ['dashboard'] : ['own records'] });
        // Nothing a client sends is acted upon.
        socket.onAny(() => undefined);
      });
      for (const name of [EVENTS.recordCreated, EVENTS.recordSubmitted, EVENTS.recordReviewed, EVENTS.mediaProcessed]) {
        listeners.push([name, broadcastRecord(name)]);
      }
      listeners.push([EVENTS.exportProgress, broadcastExport]);
      // Counts only: which records are altered is for the verify command and the record views.
      listeners.push([EVENTS.integrityAltered, async (payload) => void io?.to(DASHBOARD).emit(EVENTS.integrityAltered, payload)]);
      for (const [name, fn] of listeners) strapi.eventHub.on(name, fn);
      const { recheckSeconds } = (strapi.config.get('plugin::eas') as EasConfig).realtime;
      schedule = createRecheckSchedule({ run: checkOpenSockets, intervalMs: recheckSeconds * 1000, log: strapi.log });
      unwatch = revocations.watchWrites(schedule.soon);
      getService(strapi, 'socket-caps').start();
      const redisUrl = (strapi.config.get('plugin::eas') as EasConfig).redis.url;
      if (redisUrl) await connectRedis(redisUrl);
    },

    status: () => ({ sockets: io?.engine.clientsCount ?? 0, redis: redisState }),

    /** Re-checks this instance's open sockets now (also done periodically and after writes that may revoke one). */
    recheck: (): Promise<RecheckResult> => schedule?.now() ?? checkOpenSockets(),

    async stop() {
      for (const [name, fn] of listeners.splice(0)) strapi.eventHub.off(name, fn);
      unwatch?.();
      schedule?.stop();
      unwatch = schedule = null;
      if (io) {
        // Not io.close(): that would also close Strapi's HTTP server, which Strapi shuts down itself.
        // This instance's sockets only: through the Redis adapter, io.disconnectSockets() reaches every instance.
        io.local.disconnectSockets(true);
        io.engine.close();
        io = null;
      }
      await getService(strapi, 'socket-caps').stop();
      for (const client of [pub, sub]) {
        if (client?.isOpen) await client.quit().catch(() => client.disconnect().catch(() => undefined));
      }
      pub = sub = null;
      redisState = 'disabled';
    },
  };
};

export default realtimeService;
