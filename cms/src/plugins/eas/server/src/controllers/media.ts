import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';
import { UID } from '../constants';
import { getService } from '../utils/get-service';
import { fileIdParam, mediaQuery, referenceParam, verifyQuery } from './validation/evidence';
import { parse } from './validation/parse';

/** Public routes that carry their own proof: signed media URLs and integrity verification. */
const mediaController = ({ strapi }: { strapi: Core.Strapi }) => ({
  /** GET /api/eas/media/:fileId?exp=&sig= — an evidence file, for as long as its signed URL is valid. */
  async serve(ctx: Context) {
    const media = getService(strapi, 'media-storage');
    const id = parse(fileIdParam, ctx.params.fileId, 'path');
    const { exp, sig } = parse(mediaQuery, ctx.query, 'query');
    if (!media.verify(id, exp, sig)) throw new errors.ForbiddenError('This media link is invalid or has expired');
    const file = await media.findFile(id);
    if (!file || !file.hash.startsWith('eas_private_')) throw new errors.NotFoundError('No such file');
    ctx.set('Cache-Control', `private, max-age=${Math.max(0, exp - Math.floor(Date.now() / 1000))}`);
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Content-Security-Policy', "default-src 'none'");
    ctx.set('Cross-Origin-Resource-Policy', 'same-origin');
    ctx.set('Content-Disposition', 'inline');
    ctx.type = file.mime;
    ctx.body = await media.read(file);
  },

  /** GET /api/eas/verify/:reference?hash= — does this hash match the record's integrity hash? No personal data. */
  async verify(ctx: Context) {
    const reference = parse(referenceParam, ctx.params.reference, 'path');
    const { hash } = parse(verifyQuery, ctx.query, 'query');
    const row: { state: string; submittedAt: string | null; integrityHash: string | null } | null = await strapi.db
      .query(UID.record)
      .findOne({ where: { reference }, select: ['state', 'submittedAt', 'integrityHash'] });
    if (!row) throw new errors.NotFoundError(`No record ${reference}`);
    const match = Boolean(row.integrityHash) && row.integrityHash === hash.toLowerCase();
    ctx.body = {
      data: {
        reference,
        match,
        ...(match ? { status: row.state, submittedAt: row.submittedAt ? new Date(row.submittedAt).toISOString() : null } : {}),
      },
    };
  },
});

export default mediaController;
