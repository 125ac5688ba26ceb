import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { getService } from '../utils/get-service';
import { fieldStaffOf as caller } from './field-staff';
import { parse } from './validation/parse';
import { createRecordBody, documentIdParam, listRecordsQuery, updateRecordBody } from './validation/record';

const idOf = (ctx: Context) => parse(documentIdParam, ctx.params.documentId, 'path');

/** Content API for field staff: their own records. Thin: validate → service → body. */
const recordController = ({ strapi }: { strapi: Core.Strapi }) => {
  const records = () => getService(strapi, 'record');

  return {
    async create(ctx: Context) {
      const body = parse(createRecordBody, ctx.request.body);
      const { record, created } = await records().create(caller(ctx), body);
      ctx.status = created ? 201 : 200;
      ctx.body = { data: record };
    },

    async find(ctx: Context) {
      const query = parse(listRecordsQuery, ctx.query, 'query');
      ctx.body = await records().listOwn(caller(ctx), query);
    },

    async findOne(ctx: Context) {
      ctx.body = { data: await records().findOwn(caller(ctx), idOf(ctx)) };
    },

    async update(ctx: Context) {
      const body = parse(updateRecordBody, ctx.request.body);
      ctx.body = { data: await records().update(caller(ctx), idOf(ctx), body) };
    },

    async submit(ctx: Context) {
      ctx.body = { data: await records().submit(caller(ctx), idOf(ctx)) };
    },
  };
};

export default recordController;
