import { useFetchClient } from '@strapi/strapi/admin';
import * as React from 'react';

import { WEBHOOK_EVENTS, type WebhookEvent } from '../../../shared/contracts/webhooks';

export { WEBHOOK_EVENTS, type WebhookEvent };

/** An endpoint as GET /eas/webhooks lists it (controllers/webhooks.ts endpointView). */
export interface WebhookEndpoint {
  id: string;
  url: string;
  description: string | null;
  events: WebhookEvent[];
  /** A form slug: only that form's records; null for every form. */
  form: string | null;
  includeData: boolean;
  enabled: boolean;
  secret: string;
  createdAt: string;
  updatedAt: string;
}

/** What POST /eas/webhooks and PUT /eas/webhooks/:id take. */
export interface WebhookEndpointInput {
  url: string;
  events: WebhookEvent[];
  form: string | null;
  includeData: boolean;
  enabled: boolean;
  description: string | null;
}

/** One row of an endpoint's delivery log (controllers/webhooks.ts deliveryView). */
export interface WebhookDelivery {
  id: number;
  eventId: string;
  eventType: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  nextAttemptAt: string | null;
}

/** EAS → Webhooks' calls (docs/webhooks.md; all need plugin::eas.webhooks.manage). */
export const useWebhooksApi = () => {
  const { get, post, put, del } = useFetchClient();
  return React.useMemo(
    () => ({
      list: async () => (await get<{ data: WebhookEndpoint[] }>('/eas/webhooks')).data.data,
      create: async (body: WebhookEndpointInput) => {
        // A new endpoint without a form filter or description simply leaves them out.
        const { form, description, ...rest } = body;
        return (
          await post<{ data: WebhookEndpoint }>('/eas/webhooks', {
            ...rest,
            ...(form ? { form } : {}),
            ...(description ? { description } : {}),
          })
        ).data.data;
      },
      update: async (id: string, body: WebhookEndpointInput) =>
        (await put<{ data: WebhookEndpoint }>(`/eas/webhooks/${id}`, body)).data.data,
      remove: async (id: string) => {
        await del(`/eas/webhooks/${id}`);
      },
      deliveries: async (id: string) => (await get<{ data: WebhookDelivery[] }>(`/eas/webhooks/${id}/deliveries`)).data.data,
      redeliver: async (id: string, deliveryId: number) =>
        (await post<{ data: WebhookDelivery }>(`/eas/webhooks/${id}/deliveries/${deliveryId}/redeliver`)).data.data,
    }),
    [get, post, put, del]
  );
};
