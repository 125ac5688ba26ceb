import type { Core } from '@strapi/strapi';
import type { EventName } from '../../../shared/events';

/**
 * The one way EAS announces that something happened — call it only after the write committed. Subscribers (the
 * realtime service today, notifications later) are wired in bootstrap and removed in destroy.
 */
export const emitEvent = (strapi: Core.Strapi, name: EventName, payload: unknown) => {
  // Not awaited: a subscriber (socket broadcast, email) never delays or fails the request that caused the event.
  Promise.resolve(strapi.eventHub.emit(name, payload as Record<string, unknown>)).catch((err: Error) =>
    strapi.log.error(`[eas] a subscriber of ${name} failed: ${err.message}`)
  );
};
