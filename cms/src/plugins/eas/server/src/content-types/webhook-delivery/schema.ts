/**
 * One event for one webhook endpoint, and the log of sending it (services/webhooks.ts). The table is also the queue:
 * a sender claims a pending row with a lease, so two instances never send it at once and a crashed one's row is taken
 * up again; a row once "delivered" (2xx) is never sent again unless an administrator asks for a redelivery.
 */
export default {
  kind: 'collectionType',
  collectionName: 'eas_webhook_deliveries',
  info: {
    singularName: 'webhook-delivery',
    pluralName: 'webhook-deliveries',
    displayName: 'Webhook delivery',
    description: 'One signed event sent (or being sent) to a webhook endpoint. Internal to EAS.',
  },
  options: { draftAndPublish: false },
  indexes: [
    { name: 'eas_webhook_deliveries_event_uq', columns: ['event_id'], type: 'unique' },
    { name: 'eas_webhook_deliveries_due_idx', columns: ['status', 'next_attempt_at'] },
    { name: 'eas_webhook_deliveries_endpoint_idx', columns: ['endpoint_id'] },
  ],
  pluginOptions: {
    'content-manager': { visible: false },
    'content-type-builder': { visible: false },
  },
  attributes: {
    endpointId: { type: 'integer', required: true },
    /** The webhook-id header ("msg_<uuid>"): the receiver's idempotency key; unique. */
    eventId: { type: 'string', required: true, maxLength: 60 },
    eventType: { type: 'string', required: true, maxLength: 40 },
    payload: { type: 'json', required: true, private: true },
    status: { type: 'enumeration', enum: ['pending', 'delivered', 'failed'], required: true, default: 'pending' },
    attempts: { type: 'integer', required: true, default: 0 },
    lastStatusCode: { type: 'integer' },
    lastError: { type: 'text' },
    deliveredAt: { type: 'datetime' },
    nextAttemptAt: { type: 'datetime' },
    leaseOwner: { type: 'string', maxLength: 120, private: true },
    leaseUntil: { type: 'datetime', private: true },
  },
};
