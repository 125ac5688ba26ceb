/** Routes for field staff, under /api/eas. Each needs the matching users-permissions action (Field staff role). */
export default {
  type: 'content-api',
  routes: [
    { method: 'GET', path: '/forms', handler: 'form.find', config: { policies: [] } },
    { method: 'GET', path: '/forms/:slug', handler: 'form.findOne', config: { policies: [] } },
  ],
};
