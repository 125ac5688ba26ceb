import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';

type Controller = Record<string, (ctx: Context) => unknown>;
type ControllerFactory = (deps: { strapi: Core.Strapi }) => Controller;

interface RefreshGuard {
  refuseReusedRefresh(ctx: Context): Promise<void>;
}

/**
 * users-permissions' `auth.refresh`, preceded by EAS's refresh-token reuse check (plugin eas, services/session-guard).
 * Here, in the app's extension of users-permissions, because this is the hook Strapi provides for changing another
 * plugin's controller: it is applied when that plugin loads, before any `register`, and leaves every other action —
 * and `refresh` itself, once the check let the request through — exactly Strapi's.
 */
export default (plugin: { controllers: Record<string, ControllerFactory | Controller> }) => {
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
  return plugin;
};
