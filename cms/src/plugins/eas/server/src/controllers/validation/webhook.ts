/** Request schemas of the webhook admin routes (controllers/webhooks.ts). */
import { z } from 'zod';
import { isInternalAddress, literalIp } from '../../utils/webhook-address';
import { WEBHOOK_EVENTS } from '../../utils/webhook-payload';
import { formSlug } from './record';
import { plainText } from './common';

/** http(s) only; a literal internal IP is refused here already (names are checked again at every send, after DNS). */
const webhookUrl = (allowInternal: boolean) =>
  z
    .string()
    .max(2000)
    .superRefine((value, ctx) => {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        return ctx.addIssue({ code: 'custom', message: 'must be an absolute http:// or https:// URL' });
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:')
        return ctx.addIssue({ code: 'custom', message: 'must be an http:// or https:// URL' });
      if (url.username || url.password) return ctx.addIssue({ code: 'custom', message: 'must not contain a user name or password' });
      const ip = literalIp(url.hostname);
      if (!allowInternal && ip && isInternalAddress(ip)) {
        ctx.addIssue({
          code: 'custom',
          message: `points at an internal address (${ip}); set EAS_WEBHOOKS_ALLOW_INTERNAL=1 to allow internal targets`,
        });
      }
    });

const fields = (allowInternal: boolean) => ({
  url: webhookUrl(allowInternal),
  description: plainText(z.string().max(200)).nullable(),
  events: z.array(z.enum(WEBHOOK_EVENTS)).min(1, { error: 'choose at least one event' }).max(WEBHOOK_EVENTS.length),
  form: formSlug.nullable(),
  includeData: z.boolean(),
  enabled: z.boolean(),
});

export const createEndpoint = (allowInternal: boolean) => {
  const f = fields(allowInternal);
  return z
    .object({
      ...f,
      description: f.description.optional(),
      form: f.form.optional(),
      includeData: f.includeData.optional(),
      enabled: f.enabled.optional(),
    })
    .strict();
};

export const updateEndpoint = (allowInternal: boolean) => z.object(fields(allowInternal)).partial().strict();

export const endpointId = z.uuid({ error: 'is not a webhook endpoint id' });
export const deliveryId = z.coerce.number().int().positive({ error: 'is not a delivery id' });
