import type { Core } from '@strapi/strapi';
import { getService } from './utils/get-service';

const bootstrap = async ({ strapi }: { strapi: Core.Strapi }) => {
  const setup = getService(strapi, 'setup');
  await setup.registerAdminActions();
  // The Field staff role is set up by setup.afterPluginsBootstrap(), called from the app's bootstrap.
};

export default bootstrap;
