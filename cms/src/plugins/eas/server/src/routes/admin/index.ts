import { ADMIN_ACTIONS } from '../../constants';

/** Admin panel routes, under /eas. Guarded by the plugin's RBAC actions. */
const guarded = (method: string, path: string, handler: string, ...actions: string[]) => ({
  method,
  path,
  handler,
  config: { policies: ['admin::isAuthenticatedAdmin', { name: 'admin::hasPermissions', config: { actions } }] },
});

export default {
  type: 'admin',
  routes: [
    guarded('GET', '/dashboard', 'dashboard.get', ADMIN_ACTIONS.read),
    // The EAS form builder. Each route needs the Content Manager's permission on forms (read, create, update,
    // publish), checked with its subject by the controller (controllers/form-permission.ts).
    ...(
      [
        ['GET', '/forms', 'form-builder.list'],
        ['POST', '/forms', 'form-builder.create'],
        ['GET', '/forms/:documentId', 'form-builder.read'],
        ['PUT', '/forms/:documentId', 'form-builder.save'],
        ['POST', '/forms/:documentId/publish', 'form-builder.publish'],
      ] as const
    ).map(([method, path, handler]) => ({ method, path, handler, config: { policies: ['admin::isAuthenticatedAdmin'] } })),
    // EAS → People: the permissions are Strapi's own on users (field staff) and admin users (editors), checked by
    // the controller with their subject (controllers/people.ts).
    ...(
      [
        ['GET', '/people/field-staff', 'people.listFieldStaff'],
        ['POST', '/people/field-staff', 'people.addFieldStaff'],
        ['PUT', '/people/field-staff/:id/blocked', 'people.setBlocked'],
        ['POST', '/people/editors', 'people.inviteEditor'],
      ] as const
    ).map(([method, path, handler]) => ({ method, path, handler, config: { policies: ['admin::isAuthenticatedAdmin'] } })),
    // Whoever may create forms in the Content Manager may import one (the controller checks the form type itself).
    {
      method: 'POST',
      path: '/forms/import',
      handler: 'xlsform.importForm',
      // The permission is the Content Manager's create on the form type, checked (with its subject) by the controller.
      config: { policies: ['admin::isAuthenticatedAdmin'] },
    },
    {
      method: 'GET',
      path: '/forms/:documentId/xlsform',
      handler: 'xlsform.exportForm',
      // The Content Manager's read permission on the form type, checked by the controller.
      config: { policies: ['admin::isAuthenticatedAdmin'] },
    },
    guarded('GET', '/records', 'review.queue', ADMIN_ACTIONS.read),
    guarded('GET', '/records/:documentId', 'review.details', ADMIN_ACTIONS.read),
    guarded('POST', '/records/:documentId/review', 'review.review', ADMIN_ACTIONS.review),
    guarded('POST', '/records/:documentId/redact', 'redaction.redact', ADMIN_ACTIONS.redact),
    guarded('GET', '/records/:documentId/pdf', 'pdf.download', ADMIN_ACTIONS.export),
    guarded('POST', '/exports', 'pdf.startBulk', ADMIN_ACTIONS.export),
    guarded('GET', '/exports/:id', 'pdf.progress', ADMIN_ACTIONS.export),
    guarded('GET', '/exports/:id/file', 'pdf.file', ADMIN_ACTIONS.export),
    guarded('GET', '/webhooks', 'webhooks.list', ADMIN_ACTIONS.webhooks),
    guarded('POST', '/webhooks', 'webhooks.create', ADMIN_ACTIONS.webhooks),
    guarded('PUT', '/webhooks/:id', 'webhooks.update', ADMIN_ACTIONS.webhooks),
    guarded('DELETE', '/webhooks/:id', 'webhooks.remove', ADMIN_ACTIONS.webhooks),
    guarded('GET', '/webhooks/:id/deliveries', 'webhooks.deliveries', ADMIN_ACTIONS.webhooks),
    guarded('POST', '/webhooks/:id/deliveries/:deliveryId/redeliver', 'webhooks.redeliver', ADMIN_ACTIONS.webhooks),
    // Data exports take records out of EAS: the export permission and the permission to read records, both.
    guarded('GET', '/data-exports', 'data-export.list', ADMIN_ACTIONS.export, ADMIN_ACTIONS.read),
    guarded('POST', '/data-exports', 'data-export.start', ADMIN_ACTIONS.export, ADMIN_ACTIONS.read),
    // Before /:id, which would take "field-staff" for an export id.
    guarded('GET', '/data-exports/field-staff', 'data-export.fieldStaff', ADMIN_ACTIONS.export, ADMIN_ACTIONS.read),
    guarded('GET', '/data-exports/:id', 'data-export.progress', ADMIN_ACTIONS.export, ADMIN_ACTIONS.read),
    guarded('GET', '/data-exports/:id/file', 'data-export.file', ADMIN_ACTIONS.export, ADMIN_ACTIONS.read),
  ],
};
