import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import type { AdminUser } from '../services/review';
import { getService } from '../utils/get-service';
import { parse } from './validation/parse';
import { redactBody } from './validation/redaction';
import { documentIdParam } from './validation/record';

/** Admin: POST /eas/records/:documentId/redact — an audited data-protection redaction (permission plugin::eas.redact). */
const redactionController = ({ strapi }: { strapi: Core.Strapi }) => ({
  async redact(ctx: Context) {
    const documentId = parse(documentIdParam, ctx.params.documentId, 'path');
    const body = parse(redactBody, ctx.request.body);
    ctx.body = { data: await getService(strapi, 'redaction').redact(ctx.state.user as AdminUser, documentId, body) };
  },
});

export default redactionController;
