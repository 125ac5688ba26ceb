import type { Core } from '@strapi/strapi';

// Long-lived resources (PDF browser pool, socket.io server) are released here as they are added.
const destroy = async (_: { strapi: Core.Strapi }) => {};

export default destroy;
