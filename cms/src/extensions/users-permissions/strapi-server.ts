import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';

type Controller = Record<string, (ctx: Context) => unknown>;
type ControllerFactory = (deps: { strapi: Core.Strapi }) => Controller;
type Service = Record<string, (params: Record<string, unknown>) => unknown>;
type ServiceFactory = (deps: { strapi: Core.Strapi }) => Service;

interface RefreshGuard {
  refuseReusedRefresh(ctx: Context): Promise<void>;
}

/**
 * users-permissions' `auth.refresh`, preceded by EAS's refresh-token reuse check (plugin eas, services/session-guard).
 * Here, in the app's extension of users-permissions, because this is the hook Strapi provides for changing another
 * plugin's controller: it is applied when that plugin loads, before any `register`, and leaves every other action —
 * and `refresh` itself, once the check let the request through — exactly Strapi's.
 */
export default (plugin: {
  controllers: Record<string, ControllerFactory | Controller>;
  services: Record<string, ServiceFactory | Service>;
}) => {
  const original = plugin.controllers.auth;
  plugin.controllers.auth = ({ strapi }: { strapi: Core.Strapi }) => {
    const auth = typeof original === 'function' ? (original as ControllerFactory)({ strapi }) : original;
    return {
      ...auth,
      async refresh(ctx: Context) {
        await (strapi.plugin('eas').service('session-guard') as RefreshGuard).refuseReusedRefresh(ctx);
        return auth.refresh(ctx);
      },
    };
  };
  // users-permissions' `user.remove` ends the user's sessions, then deletes; EAS refuses deleting the author of
  // records (database-guards). Checked first, so that a refused deletion leaves the worker signed in.
  const users = plugin.services.user;
  plugin.services.user = ({ strapi }: { strapi: Core.Strapi }) => {
    const service = typeof users === 'function' ? (users as ServiceFactory)({ strapi }) : users;
    return {
      ...service,
      async remove(params: Record<string, unknown>) {
        await (strapi.plugin('eas').service('database-guards') as { refuseIfOwner(where: unknown): Promise<void> }).refuseIfOwner(params);
        return service.remove(params);
      },
    };
  };
  return plugin;
};
