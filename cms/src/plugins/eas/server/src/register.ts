import type { Core } from '@strapi/strapi';
import { registerDocumentMiddlewares } from './document-middlewares';
import { getService } from './utils/get-service';

const register = async ({ strapi }: { strapi: Core.Strapi }) => {
  registerDocumentMiddlewares(strapi);
  // Before Strapi's schema sync (bootstrap); released by the app's bootstrap after the first-boot setup (services/boot-lock.ts).
  await getService(strapi, 'boot-lock').acquire();
};

export default register;
