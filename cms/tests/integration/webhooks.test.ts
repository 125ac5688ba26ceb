/**
 * Webhooks (services/webhooks.ts, docs/webhooks.md) against a local receiver that verifies every delivery with the
 * `standardwebhooks` library, as a receiver would: signed events after records are created, submitted and reviewed,
 * retries after a 500 and a timeout, no second delivery once acknowledged (instance restarts included), redeliver,
 * SSRF refusals, permissions, form filter and includeData.
 */
import { createHash, randomUUID } from 'node:crypto';
import http_ from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fx from '../../src/plugins/eas/server/src/utils/__tests__/image-fixtures';
import { openDb } from '../db-access';
import {
  createAdminWithPermissions,
  createAndPublishForm,
  createEditor,
  createFieldStaff,
  dbKinds,
  http,
  putMultipart,
  registerAdmin,
  startStrapi,
  submitRecord,
  type StrapiInstance,
} from '../harness';

const form = (slug: string) => ({
  name: slug,
  slug,
  fields: [{ key: 'note', label: 'Note', type: 'text' }],
  frontPhoto: { enabled: false },
  backPhoto: { enabled: false },
  signatures: [],
});

interface Hit {
  path: string;
  id: string;
  verified: boolean;
  body: any;
  answered: number;
}

/** A receiver: each path answers with what `behave` says (status, or 'hang' to time out). */
const receiver = async () => {
  const hits: Hit[] = [];
  const secrets = new Map<string, string>();
  const behave = new Map<string, number | 'hang'>();
  const waiters: (() => void)[] = [];
  const server = http_.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const secret = secrets.get(path);
      let verified: boolean;
      try {
        if (secret) new Webhook(secret).verify(raw, req.headers as Record<string, string>);
        verified = Boolean(secret);
      } catch {
        verified = false;
      }
      const mode = behave.get(path) ?? 200;
      hits.push({
        path,
        id: String(req.headers['webhook-id']),
        verified,
        body: JSON.parse(raw || 'null'),
        answered: mode === 'hang' ? 0 : mode,
      });
      waiters.splice(0).forEach((w) => w());
      if (mode === 'hang') return; // never answers: the sender's timeout ends the attempt
      if (mode >= 300 && mode < 400) res.writeHead(mode, { location: `http://127.0.0.1:${port}/redirect-target` });
      else res.writeHead(mode);
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  /** Waits until `test` holds for the hits (each new hit re-checks). */
  const until = async (test: (h: Hit[]) => boolean, ms = 60_000) => {
    const deadline = Date.now() + ms;
    while (!test(hits)) {
      if (Date.now() > deadline)
        throw new Error(`receiver: condition not met; hits ${JSON.stringify(hits.map((h) => [h.path, h.answered, h.body?.type]))}`);
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 200);
      });
    }
  };
  return {
    hits,
    secrets,
    behave,
    until,
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    close: () => new Promise((r) => server.close(r)),
  };
};

describe.each(dbKinds())('webhooks on %s', (db) => {
  let strapi: StrapiInstance;
  let admin: { token: string };
  let staff: { jwt: string };
  let rx: Awaited<ReturnType<typeof receiver>>;
  const slug = `hook-${Math.random().toString(36).slice(2, 7)}`;
  const other = `${slug}-other`;
  const media = `${slug}-media`;

  const addEndpoint = async (path: string, extra: Record<string, unknown> = {}) => {
    const res = await http(`${strapi.url}/eas/webhooks`, {
      method: 'POST',
      token: admin.token,
      json: { url: rx.url(path), events: ['record.created', 'record.submitted', 'record.reviewed'], form: slug, ...extra },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.data.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    rx.secrets.set(path, res.body.data.secret);
    return res.body.data as { id: string; secret: string };
  };
  const deliveries = async (endpoint: string) => {
    const res = await http(`${strapi.url}/eas/webhooks/${endpoint}/deliveries`, { token: admin.token });
    expect(res.status).toBe(200);
    return res.body.data as {
      id: number;
      eventId: string;
      eventType: string;
      status: string;
      attempts: number;
      lastStatusCode: number | null;
      lastError: string | null;
    }[];
  };
  const waitFor = async <T>(read: () => Promise<T>, test: (v: T) => boolean, ms = 60_000): Promise<T> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = await read();
      if (test(v)) return v;
      if (Date.now() > deadline) throw new Error(`still ${JSON.stringify(v)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };

  beforeAll(async () => {
    rx = await receiver();
    strapi = await startStrapi({
      db,
      env: {
        EAS_WEBHOOKS_ALLOW_INTERNAL: '1',
        EAS_WEBHOOK_RETRY_BASE_MS: '300',
        EAS_WEBHOOK_TIMEOUT_MS: '1500',
        EAS_WEBHOOK_MAX_ATTEMPTS: '40',
        EAS_WEBHOOK_RETRY_MAX_MS: '2000',
        // The integrity sweep every 3 s, so an alteration behind EAS's back reaches integrity.altered endpoints.
        EAS_INTEGRITY_SWEEP_MINUTES: '0.05',
      },
    });
    admin = await registerAdmin(strapi.url);
    staff = await createFieldStaff(strapi.url, admin.token);
    await createAndPublishForm(strapi.url, admin.token, form(slug));
    await createAndPublishForm(strapi.url, admin.token, form(other));
    await createAndPublishForm(strapi.url, admin.token, {
      ...form(media),
      frontPhoto: { enabled: true, required: true, label: 'Front' },
    });
  }, 180_000);

  afterAll(async () => {
    await strapi?.stop();
    await rx?.close();
  });

  it('signs a delivery for a created, submitted and reviewed record; no captured data by default; other forms filtered out', async () => {
    const ep = await addEndpoint('/basic');
    await submitRecord(strapi.url, staff.jwt, other, { note: 'not for this endpoint' });
    const rec = await submitRecord(strapi.url, staff.jwt, slug, { note: 'secret note' });
    const review = await http(`${strapi.url}/eas/records/${rec.documentId}/review`, {
      method: 'POST',
      token: admin.token,
      json: { decision: 'approve' },
    });
    expect(review.status).toBe(200);
    await rx.until((h) => h.filter((x) => x.path === '/basic').length >= 3);
    const mine = rx.hits.filter((h) => h.path === '/basic');
    expect(mine.map((h) => h.body.type)).toEqual(['record.created', 'record.submitted', 'record.reviewed']);
    expect(mine.every((h) => h.verified)).toBe(true);
    expect(mine.every((h) => h.body.data.record.reference === rec.reference)).toBe(true);
    expect(mine[2].body.data.record).toMatchObject({ documentId: rec.documentId, status: 'approved', form: { key: slug, version: 1 } });
    expect('data' in mine[0].body.data.record).toBe(false);
    const log = await waitFor(
      () => deliveries(ep.id),
      (l) => l.length === 3 && l.every((d) => d.status === 'delivered')
    );
    expect(log.map((d) => [d.eventType, d.attempts, d.lastStatusCode])).toEqual([
      ['record.reviewed', 1, 200],
      ['record.submitted', 1, 200],
      ['record.created', 1, 200],
    ]);
    expect(new Set(mine.map((h) => h.id))).toEqual(new Set(log.map((d) => d.eventId)));
  });

  it('record.changed when field staff edit a draft and when an editor redacts; media.processed names the photo and its hash', async () => {
    await addEndpoint('/changes', { events: ['record.changed', 'media.processed'], form: media });
    const created = await http(`${strapi.url}/api/eas/records`, {
      method: 'POST',
      token: staff.jwt,
      json: { clientId: randomUUID(), form: media, formVersion: 1, data: { note: 'first' }, capturedAt: new Date().toISOString() },
    });
    expect(created.status).toBe(201);
    const { documentId, reference } = created.body.data as { documentId: string; reference: string };
    const edited = await http(`${strapi.url}/api/eas/records/${documentId}`, {
      method: 'PUT',
      token: staff.jwt,
      json: { data: { note: 'second' } },
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    const jpeg = await fx.jpeg(640, 480);
    const put = await putMultipart(
      `${strapi.url}/api/eas/records/${documentId}/photos/front`,
      staff.jwt,
      { buffer: jpeg, filename: 'front.jpg' },
      { originalSha256: createHash('sha256').update(jpeg).digest('hex') }
    );
    expect(put.status).toBe(201);
    expect((await http(`${strapi.url}/api/eas/records/${documentId}/submit`, { method: 'POST', token: staff.jwt })).status).toBe(200);
    const redacted = await http(`${strapi.url}/eas/records/${documentId}/redact`, {
      method: 'POST',
      token: admin.token,
      json: { reason: 'Data-protection request 7', fields: ['note'] },
    });
    expect(redacted.status, JSON.stringify(redacted.body)).toBe(200);
    await rx.until((h) => h.filter((x) => x.path === '/changes').length >= 3);
    const mine = rx.hits.filter((h) => h.path === '/changes');
    expect(mine.map((h) => [h.body.type, h.body.data.record.reference, h.body.data.record.status, h.verified])).toEqual([
      ['record.changed', reference, 'draft', true],
      ['media.processed', reference, 'draft', true],
      ['record.changed', reference, 'submitted', true],
    ]);
    expect(mine[1].body.data.media).toEqual({ kind: 'photo', slot: 'front', sha256: put.body.data.photos[0].sha256 });
    // No captured data unless the endpoint asks for it, on these events too.
    expect(mine.some((h) => 'data' in h.body.data.record)).toBe(false);
  });

  it('integrity.altered reaches the endpoints that want it, each with the altered records of its own form only', async () => {
    await addEndpoint('/integrity-all', { events: ['integrity.altered'], form: undefined });
    await addEndpoint('/integrity-other', { events: ['integrity.altered'], form: other });
    const rec = await submitRecord(strapi.url, staff.jwt, slug, { note: 'to be altered' });
    const sql = await openDb(strapi);
    try {
      await sql.query('update eas_records set state = ? where reference = ?', ['approved', rec.reference]);
    } finally {
      await sql.close();
    }
    await rx.until((h) =>
      h.some(
        (x) =>
          x.path === '/integrity-all' && x.body.data.integrity.records.some((r: { reference: string }) => r.reference === rec.reference)
      )
    );
    const hit = rx.hits.find((x) => x.path === '/integrity-all')!;
    expect(hit.verified).toBe(true);
    expect(hit.body.type).toBe('integrity.altered');
    expect(hit.body.data.integrity).toMatchObject({
      altered: 1,
      chainBreaks: 0,
      records: [{ reference: rec.reference, documentId: rec.documentId }],
    });
    // The endpoint of another form hears nothing: the altered record is not of its form and the chain is whole.
    // Checked once a later sweep reported too (each sweep queues its deliveries for all endpoints at once).
    await rx.until((h) => h.filter((x) => x.path === '/integrity-all').length >= 2);
    const log = await http(`${strapi.url}/eas/webhooks`, { token: admin.token });
    const otherEndpoint = log.body.data.find((e: { url: string }) => e.url.endsWith('/integrity-other'));
    expect(await deliveries(otherEndpoint.id)).toEqual([]);
    expect(rx.hits.filter((x) => x.path === '/integrity-other')).toEqual([]);
  });

  it('includes the captured data when the endpoint asks for it', async () => {
    await addEndpoint('/data', { events: ['record.created'], includeData: true });
    await submitRecord(strapi.url, staff.jwt, slug, { note: 'with data' });
    await rx.until((h) => h.some((x) => x.path === '/data'));
    const hit = rx.hits.find((h) => h.path === '/data')!;
    expect(hit.verified).toBe(true);
    expect(hit.body.data.record.data).toEqual({ note: 'with data' });
  });

  it('retries after a 500 and after a timeout, then records the acknowledgement', async () => {
    const ep = await addEndpoint('/flaky', { events: ['record.created'] });
    rx.behave.set('/flaky', 500);
    await submitRecord(strapi.url, staff.jwt, slug, { note: 'flaky' });
    await rx.until((h) => h.filter((x) => x.path === '/flaky').length >= 1);
    rx.behave.set('/flaky', 'hang');
    await rx.until((h) => h.filter((x) => x.path === '/flaky').length >= 2);
    rx.behave.set('/flaky', 200);
    const [d] = await waitFor(
      () => deliveries(ep.id),
      (l) => l[0]?.status === 'delivered'
    );
    expect(d.attempts).toBe(3);
    expect(d.lastStatusCode).toBe(200);
    const hits = rx.hits.filter((h) => h.path === '/flaky');
    expect(hits.map((h) => h.answered)).toEqual([500, 0, 200]);
    expect(new Set(hits.map((h) => h.id)).size).toBe(1);
  });

  it('sends an acknowledged event once only, across restarts mid-retry; redeliver sends it again with the same id', async () => {
    const ep = await addEndpoint('/restart', { events: ['record.created'] });
    rx.behave.set('/restart', 503);
    await submitRecord(strapi.url, staff.jwt, slug, { note: 'restart' });
    await rx.until((h) => h.some((x) => x.path === '/restart'));
    await strapi.restart();
    rx.behave.set('/restart', 200);
    const [d] = await waitFor(
      () => deliveries(ep.id),
      (l) => l[0]?.status === 'delivered'
    );
    await strapi.restart();
    // A later event for the same endpoint: the sender takes due rows oldest first, so once this one arrived the
    // acknowledged one would have been sent again already if it were.
    await submitRecord(strapi.url, staff.jwt, slug, { note: 'after restart' });
    await rx.until((h) => h.filter((x) => x.path === '/restart' && x.answered === 200).length >= 2);
    const acked = rx.hits.filter((h) => h.path === '/restart' && h.id === d.eventId && h.answered === 200);
    expect(acked).toHaveLength(1);
    const redo = await http(`${strapi.url}/eas/webhooks/${ep.id}/deliveries/${d.id}/redeliver`, { method: 'POST', token: admin.token });
    expect(redo.status).toBe(202);
    await rx.until((h) => h.filter((x) => x.id === d.eventId && x.answered === 200).length === 2);
    expect(rx.hits.filter((x) => x.id === d.eventId).every((x) => x.verified)).toBe(true);
  }, 240_000);

  it('does not follow a redirect (3xx is a failed attempt), even to a reachable address', async () => {
    const ep = await addEndpoint('/moved', { events: ['record.created'] });
    rx.behave.set('/moved', 302);
    await submitRecord(strapi.url, staff.jwt, slug, { note: 'moved' });
    const [d] = await waitFor(
      () => deliveries(ep.id),
      (l) => (l[0]?.attempts ?? 0) >= 1 && l[0].lastStatusCode === 302
    );
    expect(d.status).not.toBe('delivered');
    expect(d.lastError).toMatch(/redirect .* not followed/);
    expect(rx.hits.some((h) => h.path === '/redirect-target')).toBe(false);
  });

  it('refuses bad endpoints with a 400 naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ url: 'ftp://example.com/x', events: ['record.created'] }, 'url'],
      [{ url: 'https://user:pw@example.com/x', events: ['record.created'] }, 'url'],
      [{ url: 'https://example.com', events: [] }, 'events'],
      [{ url: 'https://example.com', events: ['record.deleted'] }, 'events'],
      [{ url: 'https://example.com', events: ['record.created'], secret: 'whsec_mine' }, 'secret'],
    ];
    for (const [json, field] of cases) {
      const res = await http(`${strapi.url}/eas/webhooks`, { method: 'POST', token: admin.token, json });
      expect(res.status, JSON.stringify(json)).toBe(400);
      expect(res.body.error.details.errors[0].path[0]).toBe(field);
      expect(res.body.error.message).toContain(field);
    }
    expect(
      (await http(`${strapi.url}/eas/webhooks/not-a-uuid`, { method: 'PUT', token: admin.token, json: { enabled: false } })).status
    ).toBe(400);
  });

  it('keeps webhooks from field staff, editors without the permission and Strapi’s Editor role', async () => {
    const ep = (await http(`${strapi.url}/eas/webhooks`, { token: admin.token })).body.data[0];
    const easEditor = await createEditor(strapi.url, admin.token);
    const reader = await createAdminWithPermissions(strapi.url, admin.token, [
      'plugin::eas.read',
      'plugin::eas.review',
      'plugin::eas.export',
    ]);
    const strapiEditor = await createEditor(strapi.url, admin.token, 'Editor');
    for (const token of [easEditor.token, reader.token, strapiEditor.token]) {
      expect((await http(`${strapi.url}/eas/webhooks`, { token })).status).toBe(403);
      expect(
        (await http(`${strapi.url}/eas/webhooks`, { method: 'POST', token, json: { url: rx.url('/x'), events: ['record.created'] } }))
          .status
      ).toBe(403);
      expect((await http(`${strapi.url}/eas/webhooks/${ep.id}/deliveries`, { token })).status).toBe(403);
      expect((await http(`${strapi.url}/eas/webhooks/${ep.id}`, { method: 'DELETE', token })).status).toBe(403);
      for (const type of ['webhook-endpoint', 'webhook-delivery']) {
        expect((await http(`${strapi.url}/content-manager/collection-types/plugin::eas.${type}`, { token })).status).toBe(403);
      }
    }
    // Field staff hold no admin session at all: the admin routes do not know their token.
    expect((await http(`${strapi.url}/eas/webhooks`, { token: staff.jwt })).status).toBe(401);
    expect((await http(`${strapi.url}/api/eas/webhooks`, { token: staff.jwt })).status).toBe(404);
  });

  it('without EAS_WEBHOOKS_ALLOW_INTERNAL: internal URLs refused at save (400 url) and at send after DNS', async () => {
    strapi.env.EAS_WEBHOOKS_ALLOW_INTERNAL = '0';
    await strapi.restart();
    for (const url of ['http://127.0.0.1:9/x', 'http://169.254.169.254/latest/meta-data', 'http://[::1]/x', 'http://[fd00:ec2::254]/']) {
      const res = await http(`${strapi.url}/eas/webhooks`, {
        method: 'POST',
        token: admin.token,
        json: { url, events: ['record.created'] },
      });
      expect(res.status, url).toBe(400);
      expect(res.body.error.details.errors[0].path).toEqual(['url']);
      expect(res.body.error.message).toMatch(/internal address/);
    }
    // A name that resolves to loopback passes the save check and is refused when sending.
    const named = rx.url('/named').replace('127.0.0.1', 'localhost');
    const res = await http(`${strapi.url}/eas/webhooks`, {
      method: 'POST',
      token: admin.token,
      json: { url: named, events: ['record.created'], form: slug },
    });
    expect(res.status).toBe(201);
    await submitRecord(strapi.url, staff.jwt, slug, { note: 'ssrf' });
    // The try count goes up when an instance claims the delivery, before it tries: wait for the try's outcome.
    const [d] = await waitFor(
      () => deliveries(res.body.data.id),
      (l) => Boolean(l[0]?.lastError) || l[0]?.status === 'delivered'
    );
    expect(d.status).not.toBe('delivered');
    expect(d.lastError).toMatch(/internal address/);
    expect(rx.hits.some((h) => h.path === '/named')).toBe(false);
  }, 180_000);
});
