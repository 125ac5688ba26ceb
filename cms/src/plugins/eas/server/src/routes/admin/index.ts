import { ADMIN_ACTIONS } from '../../constants';

/** Admin panel routes, under /eas. Guarded by the plugin's RBAC actions. */
export default {
  type: 'admin',
  routes: [
    {
      method: 'GET',
      path: '/overview',
      handler: 'overview.get',
      config: {
        policies: ['admin::isAuthenticatedAdmin', { name: 'admin::hasPermissions', config: { actions: [ADMIN_ACTIONS.read] } }],
      },
    },
  ],
};
