import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { ADMIN_ACTIONS } from '../constants';
import type { AdminUser } from '../services/review';
import { getService } from '../utils/get-service';
import { parse } from './validation/parse';
import { documentIdParam, recordQueueQuery, reviewBody } from './validation/record';

/** Admin routes for editors: readable record details and the approve/reject decision. */
const reviewController = ({ strapi }: { strapi: Core.Strapi }) => ({
  async details(ctx: Context) {
    const documentId = parse(documentIdParam, ctx.params.documentId, 'path');
    const can = {
      review: Boolean(ctx.state.userAbility?.can(ADMIN_ACTIONS.review)),
      redact: Boolean(ctx.state.userAbility?.can(ADMIN_ACTIONS.redact)),
    };
    ctx.body = { data: await getService(strapi, 'review').details(ctx.state.user as AdminUser, documentId, can) };
  },

  /** GET /eas/records: the review queue, or (photoFlag=blurred) records with that photo quality flag. */
  async queue(ctx: Context) {
    const query = parse(recordQueueQuery, ctx.query, 'query');
    ctx.body = await getService(strapi, 'review').queue(query);
  },

  async review(ctx: Context) {
    const documentId = parse(documentIdParam, ctx.params.documentId, 'path');
    const body = parse(reviewBody, ctx.request.body);
    ctx.body = { data: await getService(strapi, 'review').review(ctx.state.user as AdminUser, documentId, body) };
  },
});

export default reviewController;
