import type { Core } from '@strapi/strapi';
import { getService } from './utils/get-service';

/** Releases long-lived resources: job workers, the socket.io server (and its Redis clients) and the PDF browser. */
const destroy = async ({ strapi }: { strapi: Core.Strapi }) => {
  getService(strapi, 'notifications').stop();
  getService(strapi, 'orphan-sweeper').stop();
  getService(strapi, 'integrity').stop();
  // Jobs first: a running export stops at its next record (and is resumed elsewhere) before the browser goes.
  await getService(strapi, 'jobs').stop();
  await getService(strapi, 'webhooks').stop();
  getService(strapi, 'metrics').stop();
  await getService(strapi, 'realtime').stop();
  await getService(strapi, 'limits-store').stop();
  await getService(strapi, 'pdf-export').destroy();
  await getService(strapi, 'boot-lock').release();
};

export default destroy;
