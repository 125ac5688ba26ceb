import { AsyncResource } from 'async_hooks';
import type { Core } from '@strapi/strapi';
import { ADMIN_ACTIONS, UID } from '../constants';

/**
 * Is the identity a socket was opened with still good? Used by the realtime service at the handshake and, for all
 * of an instance's open sockets at once, on every re-check: a few queries per check whatever the number of sockets.
 */

/** Who a socket was opened for, kept in `socket.data.identity`. */
export interface SocketIdentity {
  kind: 'admin' | 'field-staff';
  /** admin::user id, or plugin::users-permissions.user id. */
  id: number;
  /**
   * The session (strapi_sessions) the access token belongs to, advanced along token refreshes by each check; null
   * for a users-permissions JWT of the legacy mode, which has no session (only blocking revokes it).
   */
  sessionId: string | null;
}

export { REVOCATION_REASONS, type RevocationReason } from '../../../shared/events';
import type { RevocationReason } from '../../../shared/events';

/** Sent to the client in `eas.revoked` and in a refused handshake's error. */
export const REVOCATION_MESSAGES: Record<RevocationReason, string> = {
  'user-deleted': 'the user no longer exists',
  'user-blocked': 'the user is blocked',
  'user-deactivated': 'the admin user is deactivated',
  'session-ended': 'the session has ended',
  'no-permission': 'the user lacks the permission to read EAS records (admin: plugin::eas.read; field staff: the Field staff role)',
};

export type Verdict = { ok: true; sessionId: string | null } | { ok: false; reason: RevocationReason };

/** The session manager's origin for each kind of socket (both live in admin::session). */
const ORIGIN = { admin: 'admin', 'field-staff': 'users-permissions' } as const;

export interface SessionRow {
  sessionId: string;
  userId: string;
  origin: string;
  status: string;
  childId: string | null;
  expiresAt: string | number | Date;
  absoluteExpiresAt: string | number | Date | null;
  /** When the row last changed: for a `rotated` one, when it was rotated. */
  updatedAt?: string | number | Date | null;
}

/** A socket's token is minted from one session; a chain longer than this (refreshes since) counts as ended. */
const MAX_REFRESHES = 50;

/**
 * Follows each session id along the token refreshes made since (a refresh marks the session `rotated` and points
 * at its child) to the newest session of the family. That one must exist (a sign-out or revocation deletes it),
 * be `active` and not be past its idle or absolute expiry; otherwise the family has ended (null).
 * A sign-out of users-permissions deletes only the newest session, so checking the token's own session is not
 * enough: it stays behind, `rotated`, after every refresh.
 */
export const resolveSessions = async (
  ids: string[],
  fetchRows: (ids: string[]) => Promise<SessionRow[]>,
  now = new Date(),
  /** Told each row met on the way, the rotated ones included (what revoking a whole family deletes). */
  visit: (row: SessionRow) => void = () => undefined
): Promise<Map<string, SessionRow | null>> => {
  const resolved = new Map<string, SessionRow | null>();
  /** session id to look up → the ids asked for that lead to it */
  let frontier = new Map([...new Set(ids)].map((id) => [id, [id]]));
  for (let hop = 0; frontier.size > 0 && hop <= MAX_REFRESHES; hop += 1) {
    const rows = new Map((await fetchRows([...frontier.keys()])).map((row) => [row.sessionId, row]));
    const next = new Map<string, string[]>();
    for (const [id, askedFor] of frontier) {
      const row = rows.get(id);
      if (row) visit(row);
      if (row?.status === 'rotated' && row.childId) {
        next.set(row.childId, [...(next.get(row.childId) ?? []), ...askedFor]);
        continue;
      }
      const live =
        row?.status === 'active' && new Date(row.expiresAt) > now && (!row.absoluteExpiresAt || new Date(row.absoluteExpiresAt) > now);
      for (const asked of askedFor) resolved.set(asked, live ? row : null);
    }
    frontier = next;
  }
  for (const askedFor of frontier.values()) for (const asked of askedFor) resolved.set(asked, null);
  return resolved;
};

/** What decides a verdict about one user, before the session is looked at. */
type UserState = { reason: RevocationReason | null; permitted: boolean };

const IN_LIST_MAX = 500; // keeps `IN (…)` lists well under SQLite's bound-parameter limit

const inChunks = async <K, T>(keys: K[], query: (chunk: K[]) => Promise<T[]>): Promise<T[]> => {
  const out: T[] = [];
  for (let i = 0; i < keys.length; i += IN_LIST_MAX) out.push(...(await query(keys.slice(i, i + IN_LIST_MAX))));
  return out;
};

/** The rows of these session ids (admin::session holds the sessions of both origins). */
export const sessionRowsOf = (strapi: Core.Strapi) => (ids: string[]) =>
  inChunks(ids, (chunk) =>
    strapi.db.query('admin::session').findMany({
      where: { sessionId: { $in: chunk } },
      select: ['sessionId', 'userId', 'origin', 'status', 'childId', 'expiresAt', 'absoluteExpiresAt', 'updatedAt'],
    })
  ) as Promise<SessionRow[]>;

export const createRevocationCheck = (strapi: Core.Strapi) => {
  const sessionRows = sessionRowsOf(strapi);

  /**
   * Admin users: active, and one of their roles has a plugin::eas.read permission row — what Strapi's ability makes
   * `can('plugin::eas.read')` of (a subject-less action: conditions do not narrow it). Users with their roles, then
   * the grants of those roles: four queries for all of them.
   */
  const adminStates = async (ids: number[]): Promise<Map<number, UserState>> => {
    type AdminUser = { id: number; isActive: boolean; roles?: { id: number }[] };
    const users = (await inChunks(ids, (chunk) =>
      strapi.db
        .query('admin::user')
        .findMany({ where: { id: { $in: chunk } }, select: ['id', 'isActive'], populate: { roles: { select: ['id'] } } })
    )) as AdminUser[];
    const roleIds = [...new Set(users.flatMap((u) => (u.roles ?? []).map((r) => r.id)))];
    const grants = (await inChunks(roleIds, (chunk) =>
      strapi.db.query('admin::permission').findMany({
        where: { action: ADMIN_ACTIONS.read, role: { id: { $in: chunk } } },
        select: ['id'],
        populate: { role: { select: ['id'] } },
      })
    )) as { role?: { id: number } | null }[];
    const granted = new Set(grants.map((p) => p.role?.id));
    return new Map(
      users.map((u) => [
        u.id,
        { reason: u.isActive === true ? null : 'user-deactivated', permitted: (u.roles ?? []).some((r) => granted.has(r.id)) },
      ])
    );
  };

  /** Field-staff users that are not blocked and whose role still may read their records: a query each for all. */
  const fieldStaffStates = async (ids: number[]): Promise<Map<number, UserState>> => {
    const users = (await inChunks(ids, (chunk) =>
      strapi.db
        .query(UID.user)
        .findMany({ where: { id: { $in: chunk } }, select: ['id', 'blocked'], populate: { role: { select: ['id'] } } })
    )) as { id: number; blocked: boolean | null; role?: { id: number } | null }[];
    const roleIds = [...new Set(users.flatMap((u) => (u.role ? [u.role.id] : [])))];
    const grants = (await inChunks(roleIds, (chunk) =>
      strapi.db.query('plugin::users-permissions.permission').findMany({
        where: { action: 'plugin::eas.record.find', role: { id: { $in: chunk } } },
        select: ['id'],
        populate: { role: { select: ['id'] } },
      })
    )) as { role?: { id: number } | null }[];
    const granted = new Set(grants.map((p) => p.role?.id));
    return new Map(
      users.map((u) => [u.id, { reason: u.blocked ? 'user-blocked' : null, permitted: Boolean(u.role && granted.has(u.role.id)) }])
    );
  };

  const idsOf = (identities: SocketIdentity[], kind: SocketIdentity['kind']) => [
    ...new Set(identities.filter((i) => i.kind === kind).map((i) => i.id)),
  ];
  const none = async () => new Map<number, UserState>();

  return {
    /** One verdict per identity, in order. Order of reasons: the user, then the session, then the permission. */
    async check(identities: SocketIdentity[]): Promise<Verdict[]> {
      const adminIds = idsOf(identities, 'admin');
      const staffIds = idsOf(identities, 'field-staff');
      const sessionIds = identities.map((i) => i.sessionId).filter((id): id is string => Boolean(id));
      const [admins, staff, sessions] = await Promise.all([
        adminIds.length ? adminStates(adminIds) : none(),
        staffIds.length ? fieldStaffStates(staffIds) : none(),
        sessionIds.length ? resolveSessions(sessionIds, sessionRows) : new Map<string, SessionRow | null>(),
      ]);
      return identities.map((identity): Verdict => {
        const user = (identity.kind === 'admin' ? admins : staff).get(identity.id);
        if (!user) return { ok: false, reason: 'user-deleted' };
        if (user.reason) return { ok: false, reason: user.reason };
        let sessionId: string | null = null;
        if (identity.sessionId || identity.kind === 'admin') {
          const head = identity.sessionId ? sessions.get(identity.sessionId) : null;
          if (!head || head.origin !== ORIGIN[identity.kind] || head.userId !== String(identity.id))
            return { ok: false, reason: 'session-ended' };
          sessionId = head.sessionId;
        }
        if (!user.permitted) return { ok: false, reason: 'no-permission' };
        return { ok: true, sessionId };
      });
    },

    /**
     * Calls `onChange` after writes that may revoke a socket: users (blocked, deactivated, roles, deleted), admin
     * roles and permissions, deleted sessions (sign-out, revocation, a family revoked after a refresh-token reuse). Session updates (token refreshes) are not
     * among them. Returns the function that stops watching.
     */
    watchWrites(onChange: () => void): () => void {
      const changed = () => onChange();
      const unsubscribers = [
        strapi.db.lifecycles.subscribe({
          models: ['admin::user', 'admin::role', 'admin::permission', UID.user],
          afterUpdate: changed,
          afterUpdateMany: changed,
          afterDelete: changed,
          afterDeleteMany: changed,
        }),
        strapi.db.lifecycles.subscribe({ models: ['admin::session'], afterDelete: changed, afterDeleteMany: changed }),
      ];
      return () => unsubscribers.splice(0).forEach((unsubscribe) => unsubscribe());
    },
  };
};

/** How soon after a write that may revoke a socket the check runs. */
const AFTER_WRITE_MS = 100;

/**
 * When to check: every `intervalMs`, and shortly after `soon()`. Checks never overlap; one asked for while another
 * runs, runs right after it (it may see newer writes). A failing check (database away) leaves the sockets as they
 * are, is logged once, and the next check tries again.
 */
export const createRecheckSchedule = <T>({
  run,
  intervalMs,
  log,
}: {
  run: () => Promise<T>;
  intervalMs: number;
  log: Core.Strapi['log'];
}) => {
  let running: Promise<T> | null = null;
  let queued: Promise<T> | null = null;
  let periodic: ReturnType<typeof setTimeout> | null = null;
  let afterWrite: ReturnType<typeof setTimeout> | null = null;
  let failing = false;
  let stopped = false;

  const now = (): Promise<T> => {
    if (!running) {
      running = run().finally(() => {
        running = null;
      });
      return running;
    }
    queued ??= running
      .catch(() => undefined)
      .then(() => {
        queued = null;
        return now();
      });
    return queued;
  };

  const logged = () =>
    now().then(
      () => {
        if (failing) log.info('[eas] realtime: re-checking open sockets again');
        failing = false;
      },
      (err: Error) => {
        if (!failing) log.warn(`[eas] realtime: could not re-check open sockets (${err.message}); retrying`);
        failing = true;
      }
    );

  const tick = () => {
    periodic = setTimeout(() => void logged().finally(() => !stopped && tick()), intervalMs);
  };
  tick();

  return {
    now,
    /**
     * Bound to the context the schedule was made in: a write's lifecycle hook calls it inside the writer's
     * transaction (Strapi keeps it in AsyncLocalStorage), and the check must not run in there — it reads committed
     * data on its own connection. A write not yet committed by then is seen by the periodic check.
     */
    soon: AsyncResource.bind(() => {
      if (stopped) return;
      afterWrite ??= setTimeout(() => {
        afterWrite = null;
        void logged();
      }, AFTER_WRITE_MS);
    }),
    stop() {
      stopped = true;
      for (const timer of [periodic, afterWrite]) if (timer) clearTimeout(timer);
    },
  };
};
