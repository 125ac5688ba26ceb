import { randomUUID } from 'crypto';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';
import type { EasConfig } from '../config';
import { UID } from '../constants';
import { getService } from '../utils/get-service';
import { newSecret, type DeliveryRow, type EndpointRow } from '../services/webhooks';
import { parse } from './validation/parse';
import { createEndpoint, deliveryId, endpointId, updateEndpoint } from './validation/webhook';

const iso = (v: string | Date | null) => (v ? new Date(v).toISOString() : null);

/** What administrators see of an endpoint: everything, its secret included (they configure the receiver with it). */
const endpointView = (e: EndpointRow) => ({
  id: e.key,
  url: e.url,
  description: e.description ?? null,
  events: e.events,
  form: e.formSlug ?? null,
  includeData: e.includeData,
  enabled: e.enabled,
  secret: e.secret,
  createdAt: iso(e.createdAt),
  updatedAt: iso(e.updatedAt),
});

const deliveryView = (d: DeliveryRow) => ({
  id: d.id,
  eventId: d.eventId,
  eventType: d.eventType,
  status: d.status,
  attempts: d.attempts,
  lastStatusCode: d.lastStatusCode ?? null,
  lastError: d.lastError ?? null,
  createdAt: iso(d.createdAt),
  deliveredAt: iso(d.deliveredAt),
  nextAttemptAt: iso(d.nextAttemptAt),
});

/** Admin API of webhooks (/eas/webhooks…), guarded by plugin::eas.webhooks.manage. */
const webhooksController = ({ strapi }: { strapi: Core.Strapi }) => {
  const endpoints = () => strapi.db.query(UID.webhookEndpoint);
  const deliveries = () => strapi.db.query(UID.webhookDelivery);
  const allowInternal = () => (strapi.config.get('plugin::eas') as EasConfig).webhooks.allowInternal;

  const findEndpoint = async (ctx: Context): Promise<EndpointRow> => {
    const key = parse(endpointId, ctx.params.id, 'path');
    const row = (await endpoints().findOne({ where: { key } })) as EndpointRow | null;
    if (!row) throw new errors.NotFoundError('No such webhook endpoint');
    return row;
  };

  return {
    async list(ctx: Context) {
      const rows = (await endpoints().findMany({ orderBy: { id: 'asc' } })) as EndpointRow[];
      ctx.body = { data: rows.map(endpointView) };
    },

    async create(ctx: Context) {
      const body = parse(createEndpoint(allowInternal()), ctx.request.body);
      const row = (await endpoints().create({
        data: {
          key: randomUUID(),
          url: body.url,
          description: body.description ?? null,
          events: body.events,
          formSlug: body.form ?? null,
          includeData: body.includeData ?? false,
          enabled: body.enabled ?? true,
          secret: newSecret(),
          addedById: (ctx.state.user as { id: number }).id,
        },
      })) as EndpointRow;
      ctx.status = 201;
      ctx.body = { data: endpointView(row) };
    },

    async update(ctx: Context) {
      const row = await findEndpoint(ctx);
      const body = parse(updateEndpoint(allowInternal()), ctx.request.body);
      const { form, ...rest } = body;
      const updated = (await endpoints().update({
        where: { id: row.id },
        data: { ...rest, ...(form !== undefined ? { formSlug: form } : {}) },
      })) as EndpointRow;
      ctx.body = { data: endpointView(updated) };
    },

    async remove(ctx: Context) {
      const row = await findEndpoint(ctx);
      await deliveries().deleteMany({ where: { endpointId: row.id } });
      await endpoints().delete({ where: { id: row.id } });
      ctx.status = 204;
    },

    async deliveries(ctx: Context) {
      const row = await findEndpoint(ctx);
      const rows = (await deliveries().findMany({ where: { endpointId: row.id }, orderBy: { id: 'desc' }, limit: 200 })) as DeliveryRow[];
      ctx.body = { data: rows.map(deliveryView) };
    },

    async redeliver(ctx: Context) {
      const row = await findEndpoint(ctx);
      const id = parse(deliveryId, ctx.params.deliveryId, 'path');
      const delivery = (await deliveries().findOne({ where: { id, endpointId: row.id } })) as DeliveryRow | null;
      if (!delivery) throw new errors.NotFoundError('No such delivery');
      await getService(strapi, 'webhooks').redeliver(delivery);
      ctx.status = 202;
      ctx.body = { data: { ...deliveryView(delivery), status: 'pending', attempts: 0 } };
    },
  };
};

export default webhooksController;
