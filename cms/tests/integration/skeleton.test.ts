import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAndPublishForm,
  createFieldStaff,
  dbKinds,
  http,
  publishForm,
  registerAdmin,
  startStrapi,
  updateForm,
  type StrapiInstance,
} from '../harness';

const inspectionForm = (suffix: string) => ({
  name: `Site inspection ${suffix}`,
  slug: `site-inspection-${suffix}`,
  description: 'Monthly safety inspection',
  fields: [
    { key: 'site_name', label: 'Site name', type: 'text', required: true },
    { key: 'rating', label: 'Rating', type: 'select', options: 'good|Good\npoor|Poor' },
  ],
  frontPhoto: { enabled: true, required: true, label: 'Front of the site', hint: 'Whole entrance in frame' },
  backPhoto: { enabled: true, required: false },
  signatures: [{ key: 'inspector', role: 'Inspector', consentText: 'I confirm this inspection.', required: true }],
  pdf: { title: 'Inspection report', footerText: 'ACME Facilities' },
});

describe.each(dbKinds())('walking skeleton on %s', (db) => {
  let strapi: StrapiInstance;
  let admin: Awaited<ReturnType<typeof registerAdmin>>;

  beforeAll(async () => {
    strapi = await startStrapi({ db });
    admin = await registerAdmin(strapi.url);
  });

  afterAll(async () => {
    await strapi?.stop();
  });

  it('answers the health check', async () => {
    const res = await fetch(`${strapi.url}/_health`);
    expect(res.status).toBe(204);
  });

  it('serves the admin panel at /admin', async () => {
    const res = await fetch(`${strapi.url}/admin`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/<div id="strapi"/);
  });

  it('serves the capture site at / from the same origin', async () => {
    const res = await fetch(`${strapi.url}/`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/<title[^>]*>EAS — field capture<\/title>/);
    expect(html).toContain('Sign in');
    const asset = html.match(/src="(\/_astro\/[^"]+\.js)"/)?.[1];
    expect(asset).toBeTruthy();
    const js = await fetch(`${strapi.url}${asset}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('cache-control')).toContain('immutable');
  });

  it('refuses the EAS API to anonymous callers instead of hiding it', async () => {
    const forms = await http(`${strapi.url}/api/eas/forms`);
    expect([401, 403]).toContain(forms.status);
    const dashboard = await http(`${strapi.url}/eas/dashboard`);
    expect(dashboard.status).toBe(401);
  });

  it('registers the EAS content types in the Content Manager', async () => {
    const res = await http(`${strapi.url}/content-manager/content-types`, { token: admin.token });
    expect(res.status).toBe(200);
    const uids = res.body.data.map((ct: { uid: string }) => ct.uid);
    for (const name of ['form', 'form-version', 'record', 'photo', 'signature', 'evidence-file', 'audit-entry', 'audit-checkpoint']) {
      expect(uids).toContain(`plugin::eas.${name}`);
    }
  });

  it('registers the read, review and export permissions for admin roles', async () => {
    const res = await http(`${strapi.url}/admin/permissions`, { token: admin.token });
    expect(res.status).toBe(200);
    const actions = JSON.stringify(res.body.data);
    for (const action of ['plugin::eas.read', 'plugin::eas.review', 'plugin::eas.export', 'plugin::eas.redact'])
      expect(actions).toContain(action);
  });

  it('closes public self-registration', async () => {
    const res = await http(`${strapi.url}/api/auth/local/register`, {
      method: 'POST',
      json: { username: 'intruder', email: 'intruder@example.com', password: 'Intruder-123456' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('Register action is currently disabled');
    expect(res.body?.jwt).toBeUndefined();
  });

  it('lets field staff list a form once an administrator publishes it, at version 1', async () => {
    const staff = await createFieldStaff(strapi.url, admin.token);
    const before = await http(`${strapi.url}/api/eas/forms`, { token: staff.jwt });
    expect(before.status).toBe(200);

    const suffix = Math.random().toString(36).slice(2, 8);
    await createAndPublishForm(strapi.url, admin.token, inspectionForm(suffix));

    const list = await http(`${strapi.url}/api/eas/forms`, { token: staff.jwt });
    expect(list.status).toBe(200);
    const form = list.body.data.find((f: { slug: string }) => f.slug === `site-inspection-${suffix}`);
    expect(form).toMatchObject({ name: `Site inspection ${suffix}`, version: 1 });
    expect(form.definition.fields.map((f: { key: string }) => f.key)).toEqual(['site_name', 'rating']);
    expect(form.definition.fields[1].options).toEqual([
      { value: 'good', label: 'Good' },
      { value: 'poor', label: 'Poor' },
    ]);
    expect(form.definition.photos).toEqual([
      { side: 'front', required: true, label: 'Front of the site', hint: 'Whole entrance in frame', maxPixels: 8000000 },
      { side: 'back', required: false, label: 'Back photo', maxPixels: 8000000 },
    ]);
    expect(form.definition.signatures).toEqual([
      { key: 'inspector', role: 'Inspector', consentText: 'I confirm this inspection.', required: true },
    ]);
    expect(form.definition.pdf).toEqual({ title: 'Inspection report', footerText: 'ACME Facilities' });

    const one = await http(`${strapi.url}/api/eas/forms/site-inspection-${suffix}`, { token: staff.jwt });
    expect(one.status).toBe(200);
    expect(one.body.data.version).toBe(1);
  });

  it('freezes a new version when a published form is edited and published again, and only then', async () => {
    const staff = await createFieldStaff(strapi.url, admin.token);
    const suffix = Math.random().toString(36).slice(2, 8);
    const documentId = await createAndPublishForm(strapi.url, admin.token, inspectionForm(suffix));
    const slug = `site-inspection-${suffix}`;

    // Saving a draft does not change what field staff capture against.
    const edited = { ...inspectionForm(suffix), fields: [{ key: 'site_name', label: 'Site', type: 'text', required: true }] };
    await updateForm(strapi.url, admin.token, documentId, edited);
    let current = await http(`${strapi.url}/api/eas/forms/${slug}`, { token: staff.jwt });
    expect(current.body.data.version).toBe(1);
    expect(current.body.data.definition.fields).toHaveLength(2);

    await publishForm(strapi.url, admin.token, documentId, edited);
    current = await http(`${strapi.url}/api/eas/forms/${slug}`, { token: staff.jwt });
    expect(current.body.data.version).toBe(2);
    expect(current.body.data.definition.fields).toEqual([{ key: 'site_name', label: 'Site', type: 'text', required: true }]);

    // Publishing again without changes keeps version 2.
    await publishForm(strapi.url, admin.token, documentId, edited);
    current = await http(`${strapi.url}/api/eas/forms/${slug}`, { token: staff.jwt });
    expect(current.body.data.version).toBe(2);
  });

  it('answers 404 for a form that does not exist and 400 for a malformed slug', async () => {
    const staff = await createFieldStaff(strapi.url, admin.token);
    const missing = await http(`${strapi.url}/api/eas/forms/no-such-form`, { token: staff.jwt });
    expect(missing.status).toBe(404);
    const bad = await http(`${strapi.url}/api/eas/forms/${encodeURIComponent('../etc')}`, { token: staff.jwt });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/slug/);
  });

  it('gives administrators the EAS dashboard numbers', async () => {
    const res = await http(`${strapi.url}/eas/dashboard`, { token: admin.token });
    expect(res.status).toBe(200);
    expect(res.body.data.counters).toMatchObject({ total: 0, today: 0, byStatus: { draft: 0, submitted: 0, approved: 0, rejected: 0 } });
    expect(res.body.data.forms.published).toBeGreaterThanOrEqual(1);
    expect(res.body.data.series.hourly).toHaveLength(24);
    expect(res.body.data.series.daily).toHaveLength(14);
  });
});
