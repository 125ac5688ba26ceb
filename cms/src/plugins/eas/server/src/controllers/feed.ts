import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';
import { z } from 'zod';
import { RECORD_STATES } from '../constants';
import { decodeCursor } from '../utils/feed-cursor';
import { getService } from '../utils/get-service';
import { EXPORT_PROFILES } from '../utils/table-rows';
import { parse } from './validation/parse';
import { formSlug } from './validation/record';

const query = z
  .object({
    version: z.coerce.number().int().min(1).max(2_147_483_647).optional(),
    status: z.enum(RECORD_STATES).optional(),
    since: z.iso.datetime({ offset: true, error: 'is not an ISO 8601 date-time' }).optional(),
    cursor: z
      .string()
      .optional()
      .transform((c, ctx) => {
        if (c === undefined) return undefined;
        const position = decodeCursor(c);
        if (!position) ctx.addIssue({ code: 'custom', message: 'is not a cursor this feed gave out (use meta.cursor of a page)' });
        return position ?? undefined;
      }),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    profile: z.enum(EXPORT_PROFILES).default('all'),
  })
  .strict();

/**
 * GET /api/eas/feed/:form — the read-only feed for analysis tools (docs/feed.md). Only with a Strapi API token
 * (read-only, or custom with "eas › feed › find"): a person's sign-in never reads it, even if an administrator
 * gave a users-permissions role the action by mistake.
 */
const feedController = ({ strapi }: { strapi: Core.Strapi }) => ({
  async find(ctx: Context) {
    if (ctx.state.auth?.strategy?.name !== 'content-api-token') {
      throw new errors.ForbiddenError('The feed is read with an API token (Settings → API Tokens), not with a user sign-in');
    }
    const form = parse(formSlug, ctx.params.form, 'path');
    const q = parse(query, ctx.query, 'query');
    const { cursor, since, ...rest } = q;
    ctx.set('Cache-Control', 'private, no-store');
    ctx.body = await getService(strapi, 'feed').page({ form, ...rest, since: since ? new Date(since) : undefined, after: cursor });
  },
});

export default feedController;
