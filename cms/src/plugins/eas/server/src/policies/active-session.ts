import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { sessionEnded } from '../errors';
import { getService } from '../utils/get-service';

/**
 * On every field-staff route: an access token whose session has ended (signed out, its family revoked after a
 * refresh-token reuse) is refused with 401 `session_ended`, although its signature and expiry are still good.
 * users-permissions checks only that the token's user exists and is not blocked (a blocked user's token is refused
 * by it before this policy, with its own 401). Tokens without a session (an API token, legacy JWTs) pass on to the
 * route's own checks.
 */
const activeSession = async (ctx: Context, _config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  const sessionId = (ctx.state.session as { id?: unknown } | undefined)?.id;
  const user = ctx.state.user as { id?: unknown } | undefined;
  if (ctx.state.auth?.strategy?.name !== 'users-permissions' || typeof sessionId !== 'string' || typeof user?.id !== 'number') return true;
  if (!(await getService(strapi, 'session-guard').isLive(sessionId, user.id))) throw sessionEnded();
  return true;
};

export default activeSession;
