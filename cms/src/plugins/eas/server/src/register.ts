import type { Core } from '@strapi/strapi';
import { registerDocumentMiddlewares } from './document-middlewares';

const register = ({ strapi }: { strapi: Core.Strapi }) => {
  registerDocumentMiddlewares(strapi);
};

export default register;
