import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { forbidden } from '../errors';
import { z } from 'zod';
import { UID } from '../constants';
import { adminActor, type AdminUser } from '../services/review';
import { getService } from '../utils/get-service';
import { parse } from './validation/parse';

const can = (ctx: Context, action: string, subject?: string) =>
  Boolean((ctx.state as { userAbility?: { can(a: string, s?: string): boolean } }).userAbility?.can(action, subject));

/** Managing field staff is managing users-permissions users in the Content Manager; inviting editors, admin users. */
const requireUsers = (ctx: Context, action: 'read' | 'create' | 'update') => {
  if (!can(ctx, `plugin::content-manager.explorer.${action}`, UID.user))
    throw forbidden(`This needs the permission to ${action} users (Content Manager → User)`);
};

const email = z.string().trim().max(254).email({ error: 'is not an email address' });
const fieldStaffBody = z.strictObject({
  username: z
    .string()
    .trim()
    .min(3, { error: 'must be at least 3 characters' })
    .max(100)
    .regex(/^[A-Za-z0-9._-]+$/, { error: 'may use letters, digits, ".", "_" and "-"' }),
  email,
  password: z.string().min(8, { error: 'must be at least 8 characters' }).max(72, { error: 'must be at most 72 characters' }).optional(),
});
const blockBody = z.strictObject({ blocked: z.boolean({ error: 'must be true or false' }) });
const editorBody = z.strictObject({
  firstname: z.string().trim().min(1, { error: 'is required' }).max(100),
  lastname: z.string().trim().max(100).optional(),
  email,
});
const idParam = z.coerce.number({ error: 'is not an account id' }).int().min(1);

/** EAS → People (admin, /eas/people). */
const peopleController = ({ strapi }: { strapi: Core.Strapi }) => {
  const people = () => getService(strapi, 'people');
  const actor = (ctx: Context) => adminActor(ctx.state.user as AdminUser);
  return {
    async listFieldStaff(ctx: Context) {
      requireUsers(ctx, 'read');
      ctx.body = { data: await people().listFieldStaff() };
    },
    async addFieldStaff(ctx: Context) {
      requireUsers(ctx, 'create');
      const body = parse(fieldStaffBody, ctx.request.body);
      ctx.status = 201;
      ctx.body = { data: await people().addFieldStaff(body, actor(ctx)) };
    },
    async setBlocked(ctx: Context) {
      requireUsers(ctx, 'update');
      const id = parse(idParam, ctx.params.id, 'path');
      const { blocked } = parse(blockBody, ctx.request.body);
      ctx.body = { data: await people().setBlocked(id, blocked, actor(ctx)) };
    },
    async inviteEditor(ctx: Context) {
      if (!can(ctx, 'admin::users.create')) throw forbidden('Inviting an editor needs the permission to create admin users');
      const body = parse(editorBody, ctx.request.body);
      ctx.status = 201;
      ctx.body = { data: await people().inviteEditor(body, actor(ctx)) };
    },
  };
};

export default peopleController;
