/**
 * Routes for field staff, under /api/eas. Each needs the matching users-permissions action, which the plugin grants
 * to the Field staff role (constants.FIELD_STAFF_ACTIONS). Documented in the README.
 */
const route = (method: string, path: string, handler: string) => ({ method, path, handler, config: { policies: [] } });

export default {
  type: 'content-api',
  routes: [
    route('GET', '/forms', 'form.find'),
    route('GET', '/forms/:slug', 'form.findOne'),
    route('GET', '/records', 'record.find'),
    route('POST', '/records', 'record.create'),
    route('GET', '/records/:documentId', 'record.findOne'),
    route('PUT', '/records/:documentId', 'record.update'),
    route('POST', '/records/:documentId/submit', 'record.submit'),
  ],
};
