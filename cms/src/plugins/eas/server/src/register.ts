import type { Core } from '@strapi/strapi';
import { UID } from './constants';
import { getService } from './utils/get-service';

const register = ({ strapi }: { strapi: Core.Strapi }) => {
  // Publishing a form freezes its definition as a new version (after the publish succeeded).
  strapi.documents.use(async (ctx, next) => {
    const result = await next();
    if (ctx.uid === UID.form && ctx.action === 'publish') {
      const documentId = (ctx.params as { documentId?: string }).documentId;
      if (documentId) await getService(strapi, 'form').freezeVersion(documentId);
    }
    return result;
  });
};

export default register;
