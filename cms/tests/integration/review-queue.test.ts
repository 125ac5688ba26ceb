/**
 * The review queue (GET /eas/records) on a real Strapi (SQLite and PostgreSQL): submitted records oldest first by
 * default, with the key answer, form and field staff; filters by status, form, field staff and capture day; exact
 * refusals for bad filters; closed to field staff and to admins without the EAS read permission.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAdminWithPermissions,
  createAndPublishForm,
  createEditor,
  createFieldStaff,
  dbKinds,
  http,
  registerAdmin,
  startStrapi,
  submitRecord,
  type StrapiInstance,
} from '../harness';

const form = (slug: string) => ({
  name: `Queue ${slug}`,
  slug,
  fields: [
    { key: 'site', label: 'Site', type: 'text', required: true },
    { key: 'notes', label: 'Notes', type: 'textarea', required: false },
  ],
});

describe.each(dbKinds())('review queue on %s', (db) => {
  let strapi: StrapiInstance;
  let admin: Awaited<ReturnType<typeof registerAdmin>>;
  let editor: Awaited<ReturnType<typeof createEditor>>;
  let alice: Awaited<ReturnType<typeof createFieldStaff>>;
  let bob: Awaited<ReturnType<typeof createFieldStaff>>;
  const refs: Record<string, string> = {};
  const queue = (query = '', token = editor.token) => http(`${strapi.url}/eas/records${query}`, { token });

  beforeAll(async () => {
    strapi = await startStrapi({ db });
    admin = await registerAdmin(strapi.url);
    editor = await createEditor(strapi.url, admin.token);
    alice = await createFieldStaff(strapi.url, admin.token);
    bob = await createFieldStaff(strapi.url, admin.token);
    await createAndPublishForm(strapi.url, admin.token, form('wells'));
    await createAndPublishForm(strapi.url, admin.token, form('pumps'));
    // Sent one after the other (equal times are ordered by creation): first, second, third; the second is approved.
    for (const [name, jwt, slug] of [
      ['first', alice.jwt, 'wells'],
      ['second', bob.jwt, 'wells'],
      ['third', bob.jwt, 'pumps'],
    ] as const) {
      refs[name] = (await submitRecord(strapi.url, jwt, slug, { site: `Site ${name}` })).documentId;
    }
    const approved = await http(`${strapi.url}/eas/records/${refs.second}/review`, {
      method: 'POST',
      token: editor.token,
      json: { decision: 'approve' },
    });
    expect(approved.status).toBe(200);
  }, 180_000);

  afterAll(async () => {
    await strapi?.stop();
  });

  it('lists what waits for review, oldest first, with the key answer, form and field staff', async () => {
    const res = await queue();
    expect(res.status).toBe(200);
    expect(res.body.data.map((r: { documentId: string }) => r.documentId)).toEqual([refs.first, refs.third]);
    expect(res.body.data[0]).toMatchObject({
      status: 'submitted',
      form: 'wells',
      formName: 'Queue wells',
      formVersion: 1,
      summary: 'Site first',
      owner: alice.username,
    });
    expect(res.body.data[0].submittedAt).toEqual(expect.any(String));
    expect(res.body.meta).toEqual({ page: 1, pageSize: 25, total: 2 });
  });

  it('filters by status, form, field staff and capture day, and pages', async () => {
    const ids = async (q: string) => (await queue(q)).body.data.map((r: { documentId: string }) => r.documentId);
    expect(await ids('?status=all&sort=oldest')).toEqual([refs.first, refs.second, refs.third]);
    expect(await ids('?status=approved')).toEqual([refs.second]);
    expect(await ids('?status=all&form=wells&sort=newest')).toEqual([refs.second, refs.first]);
    expect(await ids(`?status=all&owner=${encodeURIComponent(bob.username)}&sort=oldest`)).toEqual([refs.second, refs.third]);
    const today = new Date().toISOString().slice(0, 10);
    expect(await ids(`?from=${today}&to=${today}`)).toEqual([refs.first, refs.third]);
    expect(await ids('?to=2000-01-01')).toEqual([]);
    const page2 = await queue('?status=all&sort=oldest&pageSize=2&page=2');
    expect(page2.body.data.map((r: { documentId: string }) => r.documentId)).toEqual([refs.third]);
    expect(page2.body.meta).toEqual({ page: 2, pageSize: 2, total: 3 });
  });

  it('refuses bad filters with a 400 naming them', async () => {
    const bad = await queue('?status=lost&from=yesterday&colour=red');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.errors.map((e: { path: string[] }) => e.path.join('.')).sort()).toEqual(['colour', 'from', 'status']);
  });

  it('is closed to field staff (401) and to an admin without the EAS read permission (403)', async () => {
    expect((await queue('', alice.jwt)).status).toBe(401);
    const other = await createAdminWithPermissions(strapi.url, admin.token, ['plugin::eas.export']);
    expect((await queue('', other.token)).status).toBe(403);
  });
});
