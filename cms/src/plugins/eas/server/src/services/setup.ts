import type { Core } from '@strapi/strapi';
import { benchBaselineEnabled } from '../bench-baseline';
import { ADMIN_ACTIONS, EDITOR_ROLE, FIELD_STAFF_ACTIONS, FIELD_STAFF_ROLE, PLUGIN_ID, UID } from '../constants';

/** One-time and every-boot setup: RBAC actions, the Field staff role and its least-privilege permissions. */
const setupService = ({ strapi }: { strapi: Core.Strapi }) => {
  const store = strapi.store({ type: 'plugin', name: PLUGIN_ID });

  const api = {
    async registerAdminActions() {
      const actions = [
        { uid: 'read', displayName: 'Read records and dashboard' },
        { uid: 'review', displayName: 'Approve or reject records' },
        { uid: 'export', displayName: 'Export records as PDF' },
      ].map((a) => ({ section: 'plugins', pluginName: PLUGIN_ID, ...a }));
      await strapi.service('admin::permission').actionProvider.registerMany(actions);
      return Object.values(ADMIN_ACTIONS);
    },

    /** The Field staff role exists and holds exactly the EAS content-API actions field staff need. */
    async ensureFieldStaffRole(): Promise<number> {
      const roles = strapi.db.query(UID.role);
      let role = await roles.findOne({ where: { type: FIELD_STAFF_ROLE.type } });
      if (!role) {
        role = await roles.create({
          data: {
            type: FIELD_STAFF_ROLE.type,
            name: FIELD_STAFF_ROLE.name,
            description: 'Field staff capture records on the EAS site. Created by the EAS plugin.',
          },
        });
      }
      const permissions = strapi.db.query('plugin::users-permissions.permission');
      const actions: string[] = [...FIELD_STAFF_ACTIONS, ...(benchBaselineEnabled() ? ['bench-baseline.create'] : [])];
      for (const action of actions) {
        const uid = `plugin::${PLUGIN_ID}.${action}`;
        const existing = await permissions.findOne({ where: { action: uid, role: role.id } });
        if (!existing) await permissions.create({ data: { action: uid, role: role.id } });
      }
      return role.id as number;
    },

    /**
     * First boot only: accounts are created by administrators, not by self-registration.
     * Later changes made by an administrator in Settings are kept.
     */
    /** An "EAS editor" admin role: read/review/export records, read-only Content-Manager views of records and forms. */
    async ensureEditorRole() {
      const roles = strapi.service('admin::role');
      if (await roles.exists({ name: EDITOR_ROLE.name })) return;
      const role = await roles.create({ ...EDITOR_ROLE });
      const readable = (uid: string) => ({
        action: 'plugin::content-manager.explorer.read',
        subject: uid,
        properties: { fields: Object.keys(strapi.contentType(uid as never).attributes) },
        conditions: [],
      });
      await roles.assignPermissions(role.id, [
        ...Object.values(ADMIN_ACTIONS).map((action) => ({ action, subject: null, properties: {}, conditions: [] })),
        readable(UID.record),
        readable(UID.form),
      ]);
    },

    async applyFirstBootDefaults() {
      if (await store.get({ key: 'initialised' })) return;
      await api.ensureEditorRole();
      const upStore = strapi.store({ type: 'plugin', name: 'users-permissions' });
      const advanced = ((await upStore.get({ key: 'advanced' })) ?? {}) as Record<string, unknown>;
      await upStore.set({ key: 'advanced', value: { ...advanced, allow_register: false } });
      await store.set({ key: 'initialised', value: { at: new Date().toISOString() } });
    },

    /**
     * Role and first-boot defaults. Must run after users-permissions' bootstrap (it creates its default roles and
     * permissions only while its tables are empty), so the app's bootstrap calls it, not this plugin's.
     */
    async afterPluginsBootstrap() {
      await api.ensureFieldStaffRole();
      await api.applyFirstBootDefaults();
      await strapi.plugin(PLUGIN_ID).service('admin-layout').apply();
    },

  };
  return api;
};

export default setupService;
