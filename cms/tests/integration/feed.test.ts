/**
 * The feed for analysis tools (GET /api/eas/feed/:form, docs/feed.md) on a real Strapi, SQLite and PostgreSQL:
 * records flattened like the CSV export, paged with a cursor, an incremental pull that sees a review, the profile
 * without personal data, and who may read it (API tokens only; never field staff, never a token without the action).
 */
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fx from '../../src/plugins/eas/server/src/utils/__tests__/image-fixtures';
import {
  createAndPublishForm,
  createFieldStaff,
  dbKinds,
  http,
  putMultipart,
  registerAdmin,
  startStrapi,
  type StrapiInstance,
} from '../harness';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const form = (slug: string) => ({
  name: 'Feed visit',
  slug,
  fields: [
    { key: 'site', label: 'Site', type: 'text', required: true },
    { key: 'tenant', label: 'Tenant name', type: 'text', personal: true },
    { key: 'count', label: 'Count', type: 'integer' },
    { key: 'meters', label: 'Meter', type: 'repeat', min: 1, max: 3 },
    { key: 'serial', label: 'Serial', type: 'text', required: true, group: 'meters' },
  ],
  frontPhoto: { enabled: true, required: true, label: 'Front' },
  backPhoto: { enabled: false },
  signatures: [],
});

describe.each(dbKinds())('the feed on %s', (db) => {
  let strapi: StrapiInstance;
  let admin: Awaited<ReturnType<typeof registerAdmin>>;
  let staff: Awaited<ReturnType<typeof createFieldStaff>>;
  const slug = `feed-${Math.random().toString(36).slice(2, 8)}`;
  const tokens: Record<'readOnly' | 'full' | 'feedOnly' | 'formsOnly', string> = { readOnly: '', full: '', feedOnly: '', formsOnly: '' };
  const records: { documentId: string; reference: string; photoSha: string }[] = [];
  let draft: { documentId: string; reference: string };

  const token = async (type: string, permissions?: string[]) => {
    const res = await http(`${strapi.url}/admin/api-tokens`, {
      method: 'POST',
      token: admin.token,
      json: { name: `${type}-${randomUUID().slice(0, 8)}`, type, lifespan: null, ...(permissions ? { permissions } : {}) },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.data.accessKey as string;
  };
  const create = async (data: Record<string, unknown>) => {
    const res = await http(`${strapi.url}/api/eas/records`, {
      method: 'POST',
      token: staff.jwt,
      json: { clientId: randomUUID(), form: slug, formVersion: 1, data, capturedAt: new Date().toISOString() },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.data as { documentId: string; reference: string };
  };
  const feed = (query: string, key = tokens.readOnly) => http(`${strapi.url}/api/eas/feed/${slug}${query}`, { token: key });

  beforeAll(async () => {
    strapi = await startStrapi({ db, env: { EAS_FEED_SETTLE_MS: '0' } });
    admin = await registerAdmin(strapi.url);
    staff = await createFieldStaff(strapi.url, admin.token);
    await createAndPublishForm(strapi.url, admin.token, form(slug));
    for (const [i, data] of [
      { site: 'North', tenant: 'Tenant Alpha', count: 3, meters: [{ serial: 'A1' }, { serial: 'A2' }] },
      { site: 'South', tenant: 'Tenant Beta', count: 0, meters: [{ serial: 'B1' }] },
    ].entries()) {
      const rec = await create(data);
      const jpeg = await fx.jpeg(640 + i, 480);
      const put = await putMultipart(
        `${strapi.url}/api/eas/records/${rec.documentId}/photos/front`,
        staff.jwt,
        { buffer: jpeg, filename: 'front.jpg' },
        { originalSha256: sha(jpeg) }
      );
      expect(put.status).toBe(201);
      expect((await http(`${strapi.url}/api/eas/records/${rec.documentId}/submit`, { method: 'POST', token: staff.jwt })).status).toBe(200);
      records.push({ ...rec, photoSha: put.body.data.photos[0].sha256 });
    }
    draft = await create({ site: 'Still on the phone', meters: [{ serial: 'C1' }] });
    tokens.readOnly = await token('read-only');
    tokens.full = await token('full-access');
    tokens.feedOnly = await token('custom', ['plugin::eas.feed.find']);
    tokens.formsOnly = await token('custom', ['plugin::eas.form.find']);
  }, 240_000);

  afterAll(async () => {
    await strapi?.stop();
  });

  it('pages the handed-in records with a cursor, flattened like the CSV export, repeats as entries, links that open', async () => {
    const first = await feed('?limit=1');
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.data).toHaveLength(1);
    expect(first.body.meta).toMatchObject({ more: true, profile: 'all', form: { key: slug, version: null, columnsOfVersion: 1 } });
    const second = await feed(`?limit=1&cursor=${first.body.meta.cursor}`);
    expect(second.status).toBe(200);
    // The draft is still on a phone: not in the feed.
    expect(second.body.meta.more).toBe(false);
    const rows = [...first.body.data, ...second.body.data];
    expect(rows.map((r) => r.reference)).toEqual(records.map((r) => r.reference));
    expect(rows.map((r) => r.reference)).not.toContain(draft.reference);
    expect(rows[0]).toMatchObject({
      status: 'submitted',
      'field.site': 'North',
      'field.tenant': 'Tenant Alpha',
      'field.count': 3,
      'field.meters': 2,
      'photo.front.sha256': records[0].photoSha,
      repeats: {
        meters: [
          { entry: 1, 'field.meters.serial': 'A1' },
          { entry: 2, 'field.meters.serial': 'A2' },
        ],
      },
    });
    expect(rows[1]['field.count']).toBe(0);
    expect(Date.parse(rows[0].updatedAt)).toBeGreaterThan(0);
    expect(first.body.meta.columns.map((c: { key: string }) => c.key)).toEqual(
      expect.arrayContaining(['reference', 'field.tenant', 'photo.front.link'])
    );
    const photo = await fetch(new URL(rows[0]['photo.front.link'], strapi.url));
    expect(photo.status).toBe(200);
    expect(sha(Buffer.from(await photo.arrayBuffer()))).toBe(records[0].photoSha);
    // A draft is there only when asked for by state.
    expect((await feed('?status=draft')).body.data.map((r: { reference: string }) => r.reference)).toEqual([draft.reference]);
  });

  it('an incremental pull from the last cursor gets nothing new, then the record an editor approved meanwhile', async () => {
    let page = await feed('?limit=1000');
    const cursor = page.body.meta.cursor as string;
    page = await feed(`?cursor=${cursor}`);
    expect([page.status, page.body.data, page.body.meta.cursor, page.body.meta.more]).toEqual([200, [], cursor, false]);
    const review = await http(`${strapi.url}/eas/records/${records[0].documentId}/review`, {
      method: 'POST',
      token: admin.token,
      json: { decision: 'approve' },
    });
    expect(review.status).toBe(200);
    page = await feed(`?cursor=${cursor}`);
    expect(page.body.data.map((r: { reference: string; status: string }) => [r.reference, r.status])).toEqual([
      [records[0].reference, 'approved'],
    ]);
    // `since` starts a first sync at a point in time.
    expect((await feed(`?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).body.data).toEqual([]);
    expect((await feed(`?since=2020-01-01T00:00:00Z`)).body.data).toHaveLength(2);
  });

  it('without personal data: no personal field, no photo column, nothing of the tenant in the answer', async () => {
    const page = await feed('?profile=no-personal');
    expect(page.status).toBe(200);
    const text = JSON.stringify(page.body);
    expect(text).not.toContain('Tenant');
    expect(page.body.data.flatMap((r: object) => Object.keys(r)).filter((k: string) => /tenant|photo\./.test(k))).toEqual([]);
    expect(page.body.data.map((r: Record<string, unknown>) => r['field.site']).sort()).toEqual(['North', 'South']);
  });

  it('is read with an API token that has the action: field staff, no token and other tokens are refused', async () => {
    expect((await feed('', tokens.full)).status).toBe(200);
    expect((await feed('', tokens.feedOnly)).status).toBe(200);
    expect((await feed('', tokens.formsOnly)).status).toBe(403);
    const asStaff = await feed('', staff.jwt);
    expect(asStaff.status).toBe(403);
    expect(JSON.stringify(asStaff.body)).not.toContain('North');
    const anonymous = await http(`${strapi.url}/api/eas/feed/${slug}`);
    expect(anonymous.status).toBe(403);
    // A read-only token reads the feed, not the field-staff routes (they need a person).
    expect((await http(`${strapi.url}/api/eas/records`, { token: tokens.readOnly })).status).toBe(403);
    expect((await http(`${strapi.url}/api/eas/records/${draft.documentId}`, { token: tokens.readOnly })).status).toBe(403);
  });

  it('bad input is a 400 naming the parameter; an unknown form a 404', async () => {
    const forged = Buffer.from(JSON.stringify(['2026-01-01T00:00:00.000Z', -1])).toString('base64url');
    for (const [query, field] of [
      [`?cursor=${forged}`, 'cursor'],
      ['?cursor=%7B%7D', 'cursor'],
      ['?limit=5000', 'limit'],
      ['?limit=0', 'limit'],
      ['?since=yesterday', 'since'],
      ['?status=lost', 'status'],
      ['?profile=secret', 'profile'],
      ['?sort=id', 'sort'],
    ]) {
      const res = await feed(query);
      expect([query, res.status]).toEqual([query, 400]);
      expect(res.body.error.message.startsWith(`${field}: `)).toBe(true);
    }
    const missing = await http(`${strapi.url}/api/eas/feed/no-such-form`, { token: tokens.readOnly });
    expect(missing.status).toBe(404);
  });
});
