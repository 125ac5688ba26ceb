import { randomBytes, randomUUID } from 'crypto';
import os from 'os';
import type { Core } from '@strapi/strapi';
import { Webhook } from 'standardwebhooks';
import type { EasConfig } from '../config';
import { UID } from '../constants';
import { EVENTS, type IntegrityAlteredEvent, type RecordEvent } from '../../../shared/events';
import { integrityPayload, recordPayload, retryDelayMs, wants, type WebhookEvent, type WebhookRecord } from '../utils/webhook-payload';
import { sendWebhook } from '../utils/webhook-send';

export interface EndpointRow {
  id: number;
  key: string;
  url: string;
  description: string | null;
  events: WebhookEvent[];
  formSlug: string | null;
  secret: string;
  includeData: boolean;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface DeliveryRow {
  id: number;
  endpointId: number;
  eventId: string;
  eventType: string;
  payload: unknown;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
}

/** Deliveries one instance sends at the same time. */
const SENDERS = 4;

export const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

/** Domain events (shared/events.ts) → webhook event types. */
const RECORD_EVENTS: [string, WebhookEvent][] = [
  [EVENTS.recordCreated, 'record.created'],
  [EVENTS.recordSubmitted, 'record.submitted'],
  [EVENTS.recordReviewed, 'record.reviewed'],
  [EVENTS.recordChanged, 'record.changed'],
  [EVENTS.mediaProcessed, 'media.processed'],
];

/**
 * Webhooks (docs/webhooks.md): on a committed change, one delivery row per endpoint that wants it; a sender loop in
 * every instance with job workers claims due rows with a lease (conditional update, as the embedded job queue does),
 * signs them (Standard Webhooks) and POSTs them. A 2xx marks the row delivered — it is never sent again, restarts
 * included; anything else schedules a retry with exponential backoff until the attempts run out.
 */
const webhooksService = ({ strapi }: { strapi: Core.Strapi }) => {
  const config = (strapi.config.get('plugin::eas') as EasConfig).webhooks;
  const endpoints = () => strapi.db.query(UID.webhookEndpoint);
  const deliveries = () => strapi.db.query(UID.webhookDelivery);
  const owner = `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const leaseMs = () => config.timeoutMs + 30_000;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let stopped = true;
  let again = false;
  const listeners: [string, (p: unknown) => Promise<void>][] = [];
  /** Deliveries this instance wrote leased to itself, to send without claiming them. */
  const ready: { delivery: DeliveryRow; endpoint: EndpointRow }[] = [];
  /** Endpoints a delivery is being sent to by this instance now. */
  const busy = new Set<number>();
  /** Events are queued one after the other, in the order they were announced (their rows' ids keep that order). */
  let queueing: Promise<void> = Promise.resolve();
  const inOrder = (work: () => Promise<void>) => (queueing = queueing.then(work, work));

  /**
   * Queues an event for every endpoint that wants it: of this form (`formSlug`), of no form (null: only endpoints
   * without a form filter), or of every form ('any': each endpoint, whose payload `build` cuts to its form).
   */
  const targetsOf = async (type: WebhookEvent, formSlug: string | null | 'any') =>
    ((await endpoints().findMany({ where: { enabled: true } })) as EndpointRow[]).filter((e) =>
      wants(e, type, formSlug === 'any' ? e.formSlug : formSlug)
    );
  const enqueue = async (
    type: WebhookEvent,
    formSlug: string | null | 'any',
    build: (e: EndpointRow) => unknown,
    targets?: EndpointRow[]
  ) => {
    targets ??= await targetsOf(type, formSlug);
    let queued = 0;
    for (const e of targets) {
      // A null payload: nothing for this endpoint (e.g. an integrity finding about other forms only).
      const payload = build(e);
      if (payload === null) continue;
      queued++;
      // A sending instance takes its own new row at once (leased to it as it is written, its first attempt counted):
      // no claim query, no endpoint read. Should it die before sending, the lease runs out and any instance claims it.
      const mine = !stopped;
      const row = (await deliveries().create({
        data: {
          endpointId: e.id,
          eventId: `msg_${randomUUID()}`,
          eventType: type,
          payload,
          status: 'pending',
          attempts: mine ? 1 : 0,
          nextAttemptAt: new Date(),
          ...(mine ? { leaseOwner: owner, leaseUntil: new Date(Date.now() + leaseMs()) } : {}),
        },
      })) as DeliveryRow;
      if (mine) ready.push({ delivery: row, endpoint: e });
    }
    if (queued) kick();
  };

  const onRecordEvent = (type: WebhookEvent) => async (event: unknown) => {
    const { documentId, media, form } = event as Pick<RecordEvent, 'documentId' | 'media' | 'form'>;
    if (!documentId) return;
    // Nobody wants it: no read of the record (most events on most deployments).
    const targets = await targetsOf(type, form?.slug ?? null);
    if (!targets.length) return;
    const row = (await strapi.db
      .query(UID.record)
      .findOne({ where: { documentId }, populate: { formVersion: { select: ['slug', 'version'] } } })) as WebhookRecord | null;
    if (!row) return;
    const at = new Date();
    await enqueue(
      type,
      row.formVersion?.slug ?? row.formSlug,
      (e) => recordPayload(type, row, { includeData: e.includeData, at, media }),
      targets
    );
  };

  const claim = async (): Promise<DeliveryRow | null> => {
    const now = new Date();
    const free = { $or: [{ leaseUntil: null }, { leaseUntil: { $lt: now } }] };
    const candidates = (await deliveries().findMany({
      where: { status: 'pending', nextAttemptAt: { $lte: now }, ...free },
      orderBy: { id: 'asc' },
      limit: 10,
    })) as DeliveryRow[];
    for (const c of candidates) {
      // One delivery per endpoint at a time from this instance: an endpoint gets its events in the order they happened.
      if (busy.has(c.endpointId)) continue;
      const { count } = await deliveries().updateMany({
        where: { id: c.id, attempts: c.attempts, status: 'pending', ...free },
        data: { leaseOwner: owner, leaseUntil: new Date(Date.now() + leaseMs()), attempts: c.attempts + 1 },
      });
      if (count === 1) return { ...c, attempts: c.attempts + 1 };
    }
    return null;
  };

  const attempt = async (d: DeliveryRow, known?: EndpointRow) => {
    const endpoint = known ?? ((await endpoints().findOne({ where: { id: d.endpointId } })) as EndpointRow | null);
    if (!endpoint) {
      await deliveries().update({
        where: { id: d.id },
        data: { status: 'failed', lastError: 'endpoint deleted', leaseOwner: null, leaseUntil: null },
      });
      return;
    }
    const body = JSON.stringify(d.payload);
    const at = new Date();
    const signature = new Webhook(endpoint.secret).sign(d.eventId, at, body);
    const headers = {
      'webhook-id': d.eventId,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': signature,
    };
    const result = await sendWebhook(endpoint.url, body, headers, { timeoutMs: config.timeoutMs, allowInternal: config.allowInternal });
    const mine = { id: d.id, leaseOwner: owner };
    if (result.ok) {
      await deliveries().updateMany({
        where: mine,
        data: {
          status: 'delivered',
          deliveredAt: new Date(),
          lastStatusCode: result.statusCode,
          lastError: null,
          leaseOwner: null,
          leaseUntil: null,
        },
      });
      return;
    }
    const last = d.attempts >= config.maxAttempts;
    const nextAttemptAt = last ? null : new Date(Date.now() + retryDelayMs(d.attempts, config.retryBaseMs, config.retryMaxMs));
    await deliveries().updateMany({
      where: mine,
      data: {
        status: last ? 'failed' : 'pending',
        lastStatusCode: result.statusCode,
        lastError: result.error,
        nextAttemptAt,
        leaseOwner: null,
        leaseUntil: null,
      },
    });
    strapi.log.warn(
      `[eas] webhooks: ${d.eventType} ${d.eventId} to endpoint ${endpoint.key}: ${result.error} (attempt ${d.attempts}${last ? ', giving up' : ''})`
    );
  };

  /** This instance's own new deliveries first, then due rows claimed from the table. */
  const take = async (): Promise<{ delivery: DeliveryRow; endpoint?: EndpointRow } | null> => {
    // The first own row whose endpoint is not being sent to (rows of one endpoint stay in their order).
    const i = ready.findIndex((r) => !busy.has(r.delivery.endpointId));
    if (i !== -1) return ready.splice(i, 1)[0];
    const claimed = await claim();
    return claimed ? { delivery: claimed } : null;
  };
  const send = async (next: { delivery: DeliveryRow; endpoint?: EndpointRow }) => {
    busy.add(next.delivery.endpointId);
    try {
      await attempt(next.delivery, next.endpoint);
    } finally {
      busy.delete(next.delivery.endpointId);
    }
  };

  /** Sends every due delivery, SENDERS at a time, then waits for the next tick or kick. */
  const drain = async () => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          // A few deliveries in flight, to different endpoints (one endpoint gets its events in order; receivers that
          // answer slowly hold up only their own). Claims are conditional updates: no row is taken twice.
          await Promise.all(
            Array.from({ length: SENDERS }, async () => {
              for (let next = await take(); next && !stopped; next = await take()) await send(next);
            })
          );
        } while (again && !stopped);
      } catch (err) {
        strapi.log.warn(`[eas] webhooks: sender: ${(err as Error).message}`);
      } finally {
        running = null;
      }
    })();
    return running;
  };
  const kick = () => {
    if (!stopped) void drain();
  };

  return {
    enqueue,
    kick,
    drain,

    /** Sends this delivery again (a new attempt series with the same webhook-id, so receivers can deduplicate). */
    async redeliver(d: DeliveryRow) {
      await deliveries().update({
        where: { id: d.id },
        data: { status: 'pending', attempts: 0, nextAttemptAt: new Date(), leaseOwner: null, leaseUntil: null },
      });
      kick();
    },

    start() {
      const jobs = (strapi.config.get('plugin::eas') as EasConfig).jobs;
      for (const [name, type] of RECORD_EVENTS) {
        const fn = (p: unknown) =>
          inOrder(() =>
            onRecordEvent(type)(p).catch((err: Error) => void strapi.log.error(`[eas] webhooks: ${type} not queued: ${err.message}`))
          );
        strapi.eventHub.on(name, fn);
        listeners.push([name, fn]);
      }
      const done = async (p: unknown) => {
        const e = p as { id: string; status: string; total: number; ownerId: number };
        if (e.status !== 'done') return;
        const payload = {
          type: 'export.done',
          timestamp: new Date().toISOString(),
          data: { export: { id: e.id, total: e.total, ownerId: e.ownerId } },
        };
        await enqueue('export.done', null, () => payload).catch(
          (err: Error) => void strapi.log.error(`[eas] webhooks: export.done not queued: ${err.message}`)
        );
      };
      strapi.eventHub.on(EVENTS.exportProgress, done);
      listeners.push([EVENTS.exportProgress, done]);
      const altered = async (p: unknown) => {
        const at = new Date();
        await enqueue('integrity.altered', 'any', (e) => integrityPayload(p as IntegrityAlteredEvent, e, at)).catch(
          (err: Error) => void strapi.log.error(`[eas] webhooks: integrity.altered not queued: ${err.message}`)
        );
      };
      strapi.eventHub.on(EVENTS.integrityAltered, altered);
      listeners.push([EVENTS.integrityAltered, altered]);
      if (!jobs.workers) return;
      stopped = false;
      timer = setInterval(kick, 1000);
      timer.unref();
      kick();
    },

    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = null;
      for (const [name, fn] of listeners.splice(0)) strapi.eventHub.off(name, fn);
      // The attempt in flight finishes (bounded by the timeout): its answer is recorded, a 2xx is never sent twice.
      await running;
      // Own rows never sent go back to the table as unsent (their counted first attempt undone).
      const unsent = ready.splice(0).map((r) => r.delivery.id);
      if (unsent.length)
        await deliveries()
          .updateMany({ where: { id: { $in: unsent }, leaseOwner: owner, status: 'pending' }, data: { attempts: 0 } })
          .catch(() => undefined);
      // Leases this process holds are released, so another instance (or the next start) sends those rows at once.
      await deliveries()
        .updateMany({ where: { leaseOwner: owner, status: 'pending' }, data: { leaseOwner: null, leaseUntil: null } })
        .catch(() => undefined);
    },
  };
};

export default webhooksService;
