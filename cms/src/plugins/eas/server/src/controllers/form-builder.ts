import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';
import { getService } from '../utils/get-service';
import { requireFormPermission } from './form-permission';
import { formDefinitionBody } from './validation/form';
import { parse } from './validation/parse';

const documentIdOf = (ctx: Context) => {
  const documentId = String(ctx.params.documentId ?? '');
  if (!/^[a-z0-9]{10,40}$/.test(documentId)) throw new errors.ValidationError('documentId: is not a form id');
  return documentId;
};

/**
 * The EAS form builder (admin, /eas/forms): whole definitions in and out; the form's own rules are checked on save
 * (document-middlewares.ts) and refused with a 400 naming each field.
 */
const formBuilderController = ({ strapi }: { strapi: Core.Strapi }) => {
  const builder = () => getService(strapi, 'form-builder');
  return {
    async list(ctx: Context) {
      requireFormPermission(ctx, 'read', 'Listing forms');
      ctx.body = { data: await builder().list() };
    },

    async read(ctx: Context) {
      requireFormPermission(ctx, 'read', 'Opening a form');
      ctx.body = { data: await builder().read(documentIdOf(ctx)) };
    },

    async create(ctx: Context) {
      requireFormPermission(ctx, 'create', 'Creating a form');
      const { definition } = parse(formDefinitionBody, ctx.request.body);
      ctx.status = 201;
      ctx.body = { data: await builder().create(definition) };
    },

    async save(ctx: Context) {
      requireFormPermission(ctx, 'update', 'Saving a form');
      const documentId = documentIdOf(ctx);
      const { definition } = parse(formDefinitionBody, ctx.request.body);
      ctx.body = { data: await builder().save(documentId, definition) };
    },

    async publish(ctx: Context) {
      requireFormPermission(ctx, 'publish', 'Publishing a form');
      ctx.body = { data: await builder().publish(documentIdOf(ctx)) };
    },
  };
};

export default formBuilderController;
