import type { Core } from '@strapi/strapi';

// The EAS application is its plugin (src/plugins/eas); the app only wires configuration and ordering.
export default {
  register() {},

  /**
   * Runs after every plugin's bootstrap. The EAS role setup must come after users-permissions has created its
   * default roles and permissions (it only does so on an empty permissions table), so it is started from here.
   */
  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    await strapi.plugin('eas').service('setup').afterPluginsBootstrap();
  },
};
