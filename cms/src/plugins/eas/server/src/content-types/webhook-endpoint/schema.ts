/** A webhook endpoint (services/webhooks.ts, docs/webhooks.md): where EAS posts signed events. Internal to EAS. */
export default {
  kind: 'collectionType',
  collectionName: 'eas_webhook_endpoints',
  info: {
    singularName: 'webhook-endpoint',
    pluralName: 'webhook-endpoints',
    displayName: 'Webhook endpoint',
    description: 'A URL EAS sends signed events to (Standard Webhooks). Managed in the EAS admin, not the Content Manager.',
  },
  options: { draftAndPublish: false },
  pluginOptions: {
    'content-manager': { visible: false },
    'content-type-builder': { visible: false },
  },
  attributes: {
    /** Public id (UUID) used by the admin API. */
    key: { type: 'string', required: true, unique: true, maxLength: 36 },
    url: { type: 'text', required: true },
    description: { type: 'string', maxLength: 200 },
    /** Event types wanted, e.g. ["record.created", "record.reviewed"]. */
    events: { type: 'json', required: true },
    /** Only records of this form (slug); null = every form. */
    formSlug: { type: 'string', maxLength: 100 },
    /** Standard Webhooks secret "whsec_<base64>": shown to administrators, never to anyone else. */
    secret: { type: 'string', required: true, maxLength: 100, private: true },
    /** Whether the payload carries the record's captured data. */
    includeData: { type: 'boolean', required: true, default: false },
    enabled: { type: 'boolean', required: true, default: true },
    /** The administrator who added it. */
    addedById: { type: 'integer' },
  },
};
