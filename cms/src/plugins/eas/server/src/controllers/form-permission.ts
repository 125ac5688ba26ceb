import type { Context } from 'koa';
import { forbidden } from '../errors';
import { UID } from '../constants';

/** The Content Manager's own actions on the form type: the EAS builder and the XLSForm routes honour the same roles. */
export const FORM_ACTIONS = {
  read: 'plugin::content-manager.explorer.read',
  create: 'plugin::content-manager.explorer.create',
  update: 'plugin::content-manager.explorer.update',
  publish: 'plugin::content-manager.explorer.publish',
} as const;

/**
 * 403 unless the signed-in administrator may do `action` on forms. Checked here, with the form type as subject,
 * because Strapi's admin::hasPermissions policy cannot be given a subject for Content Manager actions.
 */
export const requireFormPermission = (ctx: Context, action: keyof typeof FORM_ACTIONS, what: string) => {
  const ability = (ctx.state as { userAbility?: { can(action: string, subject: string): boolean } }).userAbility;
  if (!ability?.can(FORM_ACTIONS[action], UID.form)) throw forbidden(`${what} needs the permission to ${action} forms`);
};
