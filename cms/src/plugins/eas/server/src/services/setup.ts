import type { Core } from '@strapi/strapi';
import { benchBaselineEnabled } from '../bench-baseline';
import {
  ADMIN_ACTIONS,
  EAS_UIDS,
  EDITOR_ROLE,
  EVIDENCE_UIDS,
  FIELD_STAFF_ACTIONS,
  FIELD_STAFF_AUTH_ACTIONS,
  FIELD_STAFF_ROLE,
  PLUGIN_ID,
  UID,
} from '../constants';
import { getService } from '../utils/get-service';

interface AdminPermission {
  id: number;
  action: string;
  subject: string | null;
}

const READ = 'plugin::content-manager.explorer.read';
/** Content-Manager actions a role holding an EAS permission may have on EAS types: reading records, designing forms. */
const allowedWithEasPermission = (p: AdminPermission) =>
  (p.action === READ && (p.subject === UID.record || p.subject === UID.form)) ||
  (p.subject === UID.form && p.action.startsWith('plugin::content-manager.explorer.'));

/** One-time and every-boot setup: RBAC actions, the Field staff role and its least-privilege permissions. */
const setupService = ({ strapi }: { strapi: Core.Strapi }) => {
  const store = strapi.store({ type: 'plugin', name: PLUGIN_ID });

  const api = {
    async registerAdminActions() {
      const actions = [
        { uid: 'read', displayName: 'Read records and dashboard' },
        { uid: 'review', displayName: 'Approve or reject records' },
        { uid: 'export', displayName: 'Export records as PDF' },
        { uid: 'redact', displayName: 'Redact personal data (data-protection requests)' },
        { uid: 'webhooks.manage', displayName: 'Manage webhooks (endpoints, delivery log, redeliver)' },
      ].map((a) => ({ section: 'plugins', pluginName: PLUGIN_ID, ...a }));
      const permission = strapi.service('admin::permission');
      await permission.actionProvider.registerMany(actions);
      // Nobody changes evidence through the Content Manager, Super Admin included: only reading records is evaluated.
      permission.engine.hooks['before-format::validate.permission'].register(({ permission: p }: { permission: AdminPermission }) => {
        if (p.subject && (EVIDENCE_UIDS as readonly string[]).includes(p.subject) && p.action !== READ) return false;
        return undefined;
      });
      return Object.values(ADMIN_ACTIONS);
    },

    /**
     * Strapi gives its built-in Editor and Author roles (and any role an administrator creates) Content-Manager
     * access to every content type, EAS's included. An admin role without any EAS permission keeps none on EAS
     * types; a role with one keeps only reading records and working on forms. Runs at every boot and whenever admin
     * permissions change; each removal is written to the audit chain. Super Admin is left alone (its other rights are
     * filtered by the permission engine hook above).
     */
    async restrictAdminRoles(): Promise<number> {
      const roles: { id: number; name: string; code: string; permissions: AdminPermission[] }[] = await strapi.db
        .query('admin::role')
        .findMany({ populate: { permissions: { select: ['id', 'action', 'subject'] } } });
      let removed = 0;
      for (const role of roles) {
        if (role.code === 'strapi-super-admin') continue;
        const hasEas = role.permissions.some((p) => p.action.startsWith(`plugin::${PLUGIN_ID}.`));
        const drop = role.permissions.filter(
          (p) => p.subject && (EAS_UIDS as readonly string[]).includes(p.subject) && !(hasEas && allowedWithEasPermission(p))
        );
        if (!drop.length) continue;
        await strapi.service('admin::permission').deleteByIds(drop.map((p) => p.id));
        removed += drop.length;
        await getService(strapi, 'audit').append({
          action: 'roles.restricted',
          actor: { kind: 'system', name: 'EAS' },
          details: { role: role.name, removed: drop.map((p) => `${p.action} ${p.subject}`) },
        });
        strapi.log.info(
          `[eas] removed ${drop.length} permission(s) on EAS content from the admin role "${role.name}" (it has no EAS permission, or they would change evidence)`
        );
      }
      return removed;
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
      const actions: string[] = [
        ...[...FIELD_STAFF_ACTIONS, ...(benchBaselineEnabled() ? ['bench-baseline.create'] : [])].map((a) => `plugin::${PLUGIN_ID}.${a}`),
        ...FIELD_STAFF_AUTH_ACTIONS,
      ];
      for (const uid of actions) {
        const existing = await permissions.findOne({ where: { action: uid, role: role.id } });
        if (!existing) await permissions.create({ data: { action: uid, role: role.id } });
      }
      return role.id as number;
    },

    /**
     * An "EAS editor" admin role: read/review/export records, read-only Content-Manager views of records and forms.
     * Runs until the first boot is marked done: a boot that stopped half-way (role created, permissions not yet) is
     * completed by the next one — assignPermissions sets exactly this list, adding only what is missing. Boots do not
     * run it side by side: on PostgreSQL they hold the boot lock (services/boot-lock.ts).
     */
    async ensureEditorRole() {
      const roles = strapi.service('admin::role');
      const role = (await roles.findOne({ name: EDITOR_ROLE.name })) ?? (await roles.create({ ...EDITOR_ROLE }));
      const readable = (uid: string) => ({
        action: 'plugin::content-manager.explorer.read',
        subject: uid,
        properties: { fields: Object.keys(strapi.contentType(uid as never).attributes) },
        conditions: [],
      });
      await roles.assignPermissions(role.id, [
        ...[ADMIN_ACTIONS.read, ADMIN_ACTIONS.review, ADMIN_ACTIONS.export].map((action) => ({
          action,
          subject: null,
          properties: {},
          conditions: [],
        })),
        readable(UID.record),
        readable(UID.form),
      ]);
    },

    /**
     * First boot only: the editor role, and accounts created by administrators rather than by self-registration.
     * Later changes made by an administrator in Settings are kept. Marked done last, so an interrupted first boot is
     * redone (each step is idempotent).
     */
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
      await api.restrictAdminRoles();
      // Permissions an administrator grants later are restricted as soon as they are saved.
      let pending: NodeJS.Timeout | undefined;
      const later = () => {
        clearTimeout(pending);
        pending = setTimeout(
          () =>
            void api.restrictAdminRoles().catch((err: Error) => strapi.log.error(`[eas] restricting admin roles failed: ${err.message}`)),
          50
        );
      };
      strapi.db.lifecycles.subscribe({
        models: ['admin::permission'],
        afterCreate: later,
        afterCreateMany: later,
        afterUpdate: later,
        afterUpdateMany: later,
      });
    },
  };
  return api;
};

export default setupService;
