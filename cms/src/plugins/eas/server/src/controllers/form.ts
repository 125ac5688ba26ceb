import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { errors } from '@strapi/utils';
import { getService } from '../utils/get-service';
import { parse } from './validation/parse';
import { validateSlug, versionParam } from './validation/form';

/** Content API for field staff: the forms they can capture. */
const formController = ({ strapi }: { strapi: Core.Strapi }) => ({
  async find(ctx: Context) {
    ctx.body = { data: await getService(strapi, 'form').listPublished() };
  },

  async findOne(ctx: Context) {
    const slug = validateSlug(ctx.params.slug);
    const form = await getService(strapi, 'form').findPublished(slug);
    if (!form) throw new errors.NotFoundError(`No published form "${slug}"`);
    ctx.body = { data: form };
  },

  async findVersion(ctx: Context) {
    const slug = validateSlug(ctx.params.slug);
    const version = parse(versionParam, ctx.params.version, 'path');
    ctx.body = { data: await getService(strapi, 'form').findVersion(slug, version) };
  },
});

export default formController;
