import type { Core } from '@strapi/strapi';
import jwt from 'jsonwebtoken';
import type { Context } from 'koa';
import type { EasConfig } from '../config';
import { UID } from '../constants';
import { refreshTokenReused, sessionEnded } from '../errors';
import { getService } from '../utils/get-service';
import { transaction } from '../utils/transaction';
import { resolveSessions, sessionRowsOf, type SessionRow } from './socket-revocation';

/** The session manager's origin of field-staff sessions (rows of admin::session). */
const ORIGIN = 'users-permissions';
const DEFAULT_COOKIE = 'strapi_up_refresh';

interface RefreshPayload {
  userId: string;
  sessionId: string;
  type: string;
}

interface UpConfig {
  jwtSecret?: string;
  jwt?: { algorithm?: jwt.Algorithm };
  sessions?: { cookie?: { name?: string } };
}

/**
 * Field-staff sessions beyond what users-permissions checks: a refresh token presented again after it was rotated
 * (a copy, used by someone else) ends its whole family, and EAS's routes refuse access tokens whose session has ended
 * (users-permissions itself only checks that the token's user exists and is not blocked).
 * A session's family is the chain of rows each refresh leaves (`rotated`, pointing at its child) up to the one in use;
 * a sign-out deletes that newest row only, so a session counts as live when the newest row of its chain is.
 */
const sessionGuardService = ({ strapi }: { strapi: Core.Strapi }) => {
  const { reuseGraceSeconds } = (strapi.config.get('plugin::eas') as EasConfig).sessions;
  const up = () => strapi.config.get('plugin::users-permissions') as UpConfig;
  const rows = sessionRowsOf(strapi);

  /** The rows of the session's chain from it to its newest descendant. */
  const chainOf = async (sessionId: string): Promise<SessionRow[]> => {
    const chain: SessionRow[] = [];
    await resolveSessions([sessionId], rows, new Date(), (row) => chain.push(row));
    return chain;
  };

  /** Deletes the session and every one its refreshes led to (the deletes also make open sockets re-check at once). */
  const revokeChain = async (chain: SessionRow[]) => {
    const ids = chain.map((row) => row.sessionId);
    if (ids.length) await strapi.db.query('admin::session').deleteMany({ where: { sessionId: { $in: ids }, origin: ORIGIN } });
  };

  /** The payload of a refresh token signed with users-permissions' secret, or null (Strapi then answers as it does). */
  const verifiedRefresh = (token: string): RefreshPayload | null => {
    const { jwtSecret, jwt: options } = up();
    if (!jwtSecret) return null;
    try {
      const payload = jwt.verify(token, jwtSecret, { algorithms: [options?.algorithm ?? 'HS256'] }) as Partial<RefreshPayload>;
      return payload.type === 'refresh' && typeof payload.sessionId === 'string' && typeof payload.userId === 'string'
        ? (payload as RefreshPayload)
        : null;
    } catch {
      return null;
    }
  };

  const isBlocked = async (userId: string) => {
    const user: { blocked: boolean | null } | null = await strapi.db
      .query(UID.user)
      .findOne({ where: { id: Number(userId) }, select: ['blocked'] });
    return !user || Boolean(user.blocked);
  };

  return {
    /**
     * Runs before users-permissions' own refresh (cms/src/extensions/users-permissions). Throws 401 when the token
     * presented was rotated more than the grace ago — after revoking its family, logging and auditing it — or when
     * its user is blocked (Strapi's rotation does not look at the user). Anything else is left to Strapi.
     */
    async refuseReusedRefresh(ctx: Context): Promise<void> {
      const cookie = ctx.cookies.get(up().sessions?.cookie?.name || DEFAULT_COOKIE);
      const body = ctx.request.body as { refreshToken?: unknown } | undefined;
      const token = cookie || (typeof body?.refreshToken === 'string' ? body.refreshToken : undefined);
      const payload = token ? verifiedRefresh(token) : null;
      if (!payload) return;
      const [row] = await rows([payload.sessionId]);
      if (!row || row.origin !== ORIGIN || row.userId !== payload.userId) return;

      if (await isBlocked(row.userId)) {
        await revokeChain(await chainOf(row.sessionId));
        throw sessionEnded();
      }
      if (row.status !== 'rotated') return;
      const rotatedAt = new Date(row.updatedAt ?? 0).getTime();
      const sinceRotation = (Date.now() - rotatedAt) / 1000;
      if (sinceRotation < reuseGraceSeconds) return; // two tabs refreshing at once: Strapi answers the late one

      const chain = await chainOf(row.sessionId);
      await transaction(strapi, async () => {
        await revokeChain(chain);
        // Not a record's event: the chain holds it beside the records' (an entry without a record).
        await getService(strapi, 'audit').append({
          action: 'session.reuse-revoked',
          actor: { kind: 'system', name: 'EAS' },
          details: { userId: Number(row.userId), sessionsRevoked: chain.length, secondsSinceRotation: Math.round(sinceRotation) },
        });
      });
      strapi.log.warn(
        `[eas] a refresh token of user ${row.userId} was used again ${Math.round(sinceRotation)} s after it was renewed (a copy?): its ${chain.length} sessions were revoked`
      );
      throw refreshTokenReused();
    },

    /** True while the session's newest descendant is an active, unexpired field-staff session of this user. */
    async isLive(sessionId: string, userId: number): Promise<boolean> {
      const head = (await resolveSessions([sessionId], rows)).get(sessionId);
      return Boolean(head && head.origin === ORIGIN && head.userId === String(userId));
    },
  };
};

export default sessionGuardService;
