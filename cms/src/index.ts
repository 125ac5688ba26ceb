import type { Core } from '@strapi/strapi';

// The EAS application is its plugin (src/plugins/eas); the app only wires configuration and ordering.
export default {
  register() {},

  /**
   * Runs after every plugin's bootstrap. The EAS role setup must come after users-permissions has created its
   * default roles and permissions (it only does so on an empty permissions table), so it is started from here.
   * On PostgreSQL the plugin's register() took the boot lock before the schema sync; it is released here, once the
   * database is fully set up, so that instances booting together do it one at a time (a failed boot exits the
   * process, which ends the lock's connection and the lock with it).
   */
  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    try {
      await strapi.plugin('eas').service('setup').afterPluginsBootstrap();
    } finally {
      await strapi.plugin('eas').service('boot-lock').release();
    }
  },
};
