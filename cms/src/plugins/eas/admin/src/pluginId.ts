export const PLUGIN_ID = 'eas';

/** RBAC actions registered by the server (server/src/constants.ts ADMIN_ACTIONS). */
export const PERMISSIONS = {
  read: [{ action: 'plugin::eas.read', subject: null }],
  review: [{ action: 'plugin::eas.review', subject: null }],
  export: [{ action: 'plugin::eas.export', subject: null }],
  /** Webhook endpoints and their delivery log (useRBAC names it canManage). */
  webhooks: [{ action: 'plugin::eas.webhooks.manage', subject: null }],
};

export const getTranslation = (id: string) => `${PLUGIN_ID}.${id}`;
