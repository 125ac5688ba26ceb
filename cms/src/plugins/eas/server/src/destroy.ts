import type { Core } from '@strapi/strapi';
import { getService } from './utils/get-service';

/** Releases long-lived resources: the PDF browser (and, later, the socket.io server). */
const destroy = async ({ strapi }: { strapi: Core.Strapi }) => {
  await getService(strapi, 'pdf-export').destroy();
};

export default destroy;
