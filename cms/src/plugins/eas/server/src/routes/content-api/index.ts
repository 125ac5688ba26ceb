/**
 * Routes for field staff, under /api/eas. Each needs the matching users-permissions action, which the plugin grants
 * to the Field staff role (constants.FIELD_STAFF_ACTIONS). Documented in the README.
 */
/** A field-staff route: signed in, with a session that has not ended (policies/active-session.ts). */
const route = (method: string, path: string, handler: string) => ({
  method,
  path,
  handler,
  config: { policies: ['plugin::eas.active-session'] },
});
/** Routes that carry their own proof (a signed URL, an integrity hash) and need no session. */
const open = (method: string, path: string, handler: string) => ({ method, path, handler, config: { auth: false as const, policies: [] } });

export default {
  type: 'content-api',
  routes: [
    route('GET', '/forms', 'form.find'),
    route('GET', '/forms/:slug', 'form.findOne'),
    route('GET', '/forms/:slug/versions/:version', 'form.findVersion'),
    route('GET', '/records', 'record.find'),
    route('POST', '/records', 'record.create'),
    route('GET', '/records/:documentId', 'record.findOne'),
    route('PUT', '/records/:documentId', 'record.update'),
    route('POST', '/records/:documentId/submit', 'record.submit'),
    route('GET', '/records/:documentId/pdf', 'pdf.receipt'),
    route('PUT', '/records/:documentId/photos/:side', 'evidence.putPhoto'),
    route('PUT', '/records/:documentId/signatures/:slot', 'evidence.putSignature'),
    // The feed for analysis tools: a Strapi API token, never a person's sign-in (controllers/feed.ts, docs/feed.md).
    { method: 'GET', path: '/feed/:form', handler: 'feed.find', config: { policies: [] } },
    open('GET', '/media/:fileId', 'media.serve'),
    open('GET', '/verify/:reference', 'verify.json'),
    open('POST', '/verify/pdf', 'verify.pdfJson'),
  ],
};
