import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';
import { getService } from '../utils/get-service';
import { fileIdParam, mediaQuery } from './validation/evidence';
import { parse } from './validation/parse';

/** GET /api/eas/media/:fileId?exp=&sig= — an evidence file, for as long as its signed URL is valid. No session needed. */
const mediaController = ({ strapi }: { strapi: Core.Strapi }) => ({
  async serve(ctx: Context) {
    const store = getService(strapi, 'evidence-store');
    const id = parse(fileIdParam, ctx.params.fileId, 'path');
    const { exp, sig } = parse(mediaQuery, ctx.query, 'query');
    if (!store.verifyUrl(id, exp, sig)) throw new errors.ForbiddenError('This media link is invalid or has expired');
    const file = await store.findFile(id);
    if (!file || file.redactedAt) throw new errors.NotFoundError('No such file');
    ctx.set('Cache-Control', `private, max-age=${Math.max(0, exp - Math.floor(Date.now() / 1000))}`);
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Content-Security-Policy', "default-src 'none'");
    ctx.set('Cross-Origin-Resource-Policy', 'same-origin');
    ctx.set('Content-Disposition', 'inline');
    ctx.type = file.mime;
    ctx.body = await store.read(file);
  },
});

export default mediaController;
