import type { IncomingMessage } from 'http';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Core } from '@strapi/strapi';
import { createClient, type RedisClientType } from 'redis';
import { Server, type Socket } from 'socket.io';
import { EVENTS, type ExportProgressEvent, type RecordEvent } from '../../../shared/events';
import { ADMIN_ACTIONS } from '../constants';

export const SOCKET_PATH = '/eas/socket.io';
const DASHBOARD = 'dashboard';
const userRoom = (id: number) => `user:${id}`;
const adminRoom = (id: number) => `admin:${id}`;

type Identity = { kind: 'admin'; id: number } | { kind: 'field-staff'; id: number };

/**
 * The only place that touches socket.io. A socket.io server on Strapi's HTTP server (own path), authenticated at the
 * handshake: an admin access token with the EAS read permission joins the dashboard room; a users-permissions JWT
 * joins only its own user's room. Rooms are joined from the verified identity only; clients cannot emit anything the
 * server acts on. With REDIS_URL, events reach sockets on every instance; if Redis goes away, local delivery goes on.
 */
const realtimeService = ({ strapi }: { strapi: Core.Strapi }) => {
  let io: Server | null = null;
  let pub: RedisClientType | null = null;
  let sub: RedisClientType | null = null;
  let redisState: 'disabled' | 'connecting' | 'up' | 'down' = 'disabled';
  const listeners: [string, (payload: unknown) => Promise<void>][] = [];

  const allowedOrigins = () => {
    const list = new Set<string>();
    const publicUrl = (strapi.config.get('plugin::eas') as { publicUrl?: string }).publicUrl;
    if (publicUrl) list.add(new URL(publicUrl).origin);
    for (const o of (process.env.CORS_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean)) list.add(o);
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

  const verifyAdmin = async (token: string): Promise<Identity | null> => {
    const manager = strapi.sessionManager('admin');
    const result = manager.validateAccessToken(token);
    if (!result.isValid) return null;
    if (!(await manager.isSessionActive(result.payload.sessionId))) return null;
    const user = await strapi.db.query('admin::user').findOne({ where: { id: Number(result.payload.userId) }, populate: ['roles'] });
    if (!user?.isActive) return null;
    const ability = await strapi.service('admin::permission').engine.generateUserAbility(user);
    return ability.can(ADMIN_ACTIONS.read) ? { kind: 'admin', id: user.id } : null;
  };

  const verifyFieldStaff = async (token: string): Promise<Identity | null> => {
    try {
      const { id } = (await strapi.plugin('users-permissions').service('jwt').verify(token)) as { id: number };
      const user = await strapi.db.query('plugin::users-permissions.user').findOne({ where: { id }, select: ['id', 'blocked'] });
      return user && !user.blocked ? { kind: 'field-staff', id: user.id } : null;
    } catch {
      return null;
    }
  };

  const authenticate = async (socket: Socket, next: (err?: Error) => void) => {
    const token = (socket.handshake.auth as { token?: unknown })?.token;
    if (typeof token !== 'string' || !token) return next(new Error('unauthorised: send an access token in auth.token'));
    const identity = (await verifyAdmin(token).catch(() => null)) ?? (await verifyFieldStaff(token));
    if (!identity) return next(new Error('unauthorised: the token is invalid, expired, or lacks the EAS read permission'));
    socket.data.identity = identity;
    next();
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
        io.adapter(createAdapter(pub, sub, { key: 'eas-socket.io' }));
        attached = true;
      }
    };
    for (const [name, client] of [['publisher', pub], ['subscriber', sub]] as const) {
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
    const { reviewComment: _omit, ...forDashboard } = event;
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
        const identity = socket.data.identity as Identity;
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
      for (const [name, fn] of listeners) strapi.eventHub.on(name, fn);
      const redisUrl = process.env.REDIS_URL;
      if (redisUrl) await connectRedis(redisUrl);
    },

    status: () => ({ sockets: io?.engine.clientsCount ?? 0, redis: redisState }),

    async stop() {
      for (const [name, fn] of listeners.splice(0)) strapi.eventHub.off(name, fn);
      if (io) {
        // Not io.close(): that would also close Strapi's HTTP server, which Strapi shuts down itself.
        io.disconnectSockets(true);
        io.engine.close();
        io = null;
      }
      for (const client of [pub, sub]) {
        if (client?.isOpen) await client.quit().catch(() => client.disconnect().catch(() => undefined));
      }
      pub = sub = null;
      redisState = 'disabled';
    },
  };
};

export default realtimeService;
