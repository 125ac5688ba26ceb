/**
 * The webhook events an endpoint can subscribe to (docs/webhooks.md), in the order the admin lists them: one list for
 * the server (validation, delivery) and the admin's Webhooks page.
 */
export const WEBHOOK_EVENTS = [
  'record.created',
  'record.submitted',
  'record.reviewed',
  'record.changed',
  'media.processed',
  'export.done',
  'integrity.altered',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
