/**
 * The EAS form builder's API (/eas/forms) on a real Strapi (SQLite and PostgreSQL), as the builder page uses it: a
 * whole definition is created, saved and published; Publish mints version N only when something changed and field
 * staff see the new version only after it; bad definitions get a 400 naming the field and change nothing; the
 * routes honour the Content Manager's permissions on forms, and are closed to field staff.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FormDefinition } from '../../src/plugins/eas/shared/contracts/form';
import {
  createAdminWithPermissions,
  createFieldStaff,
  dbKinds,
  http,
  registerAdmin,
  startStrapi,
  submitDraft,
  submitRecord,
  type StrapiInstance,
} from '../harness';

const reference = (slug: string): FormDefinition => ({
  slug,
  name: 'Site visit',
  fields: [
    { key: 'site', label: 'Site name', type: 'text', required: true },
    { key: 'count', label: 'People present', type: 'integer', required: false, min: 0, max: 50 },
    {
      key: 'condition',
      label: 'Condition',
      type: 'select',
      required: true,
      options: [
        { value: 'good', label: 'Good' },
        { value: 'poor', label: 'Poor' },
      ],
    },
    { key: 'repair_by', label: 'Repair by', type: 'date', required: false, relevant: "${condition} = 'poor'" },
  ],
  photos: [],
  signatures: [{ key: 'inspector', role: 'Inspector', consentText: 'I confirm what I saw.', required: false }],
  pdf: {},
});

describe.each(dbKinds())('form builder API on %s', (db) => {
  let strapi: StrapiInstance;
  let admin: Awaited<ReturnType<typeof registerAdmin>>;
  let staff: Awaited<ReturnType<typeof createFieldStaff>>;
  const api = (path: string, init: Parameters<typeof http>[1] = {}) => http(`${strapi.url}/eas${path}`, { token: admin.token, ...init });

  beforeAll(async () => {
    strapi = await startStrapi({ db });
    admin = await registerAdmin(strapi.url);
    staff = await createFieldStaff(strapi.url, admin.token);
  }, 180_000);

  afterAll(async () => {
    await strapi?.stop();
  });

  it('creates, saves and publishes a form; version N only when it changed, and field staff see it only then', async () => {
    const created = await api('/forms', { method: 'POST', json: { definition: reference('visit') } });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ status: 'draft', version: 0, published: null, definition: reference('visit') });
    const id = created.body.data.documentId;
    expect((await http(`${strapi.url}/api/eas/forms/visit`, { token: staff.jwt })).status).toBe(404);

    const published = await api(`/forms/${id}/publish`, { method: 'POST' });
    expect(published.status).toBe(200);
    expect(published.body.data).toMatchObject({ status: 'published', version: 1, newVersion: true, published: reference('visit') });
    const seen = await http(`${strapi.url}/api/eas/forms/visit`, { token: staff.jwt });
    expect(seen.body.data).toMatchObject({ version: 1, definition: reference('visit') });

    const changed = reference('visit');
    changed.fields[1].max = 20;
    const saved = await api(`/forms/${id}`, { method: 'PUT', json: { definition: changed } });
    expect(saved.status).toBe(200);
    expect(saved.body.data).toMatchObject({ status: 'modified', version: 1, definition: changed, published: reference('visit') });
    // Saving is not publishing: field staff still get version 1.
    expect((await http(`${strapi.url}/api/eas/forms/visit`, { token: staff.jwt })).body.data.definition.fields[1].max).toBe(50);

    const v2 = await api(`/forms/${id}/publish`, { method: 'POST' });
    expect(v2.body.data).toMatchObject({ status: 'published', version: 2, newVersion: true });
    expect((await http(`${strapi.url}/api/eas/forms/visit`, { token: staff.jwt })).body.data).toMatchObject({ version: 2 });
    const again = await api(`/forms/${id}/publish`, { method: 'POST' });
    expect(again.body.data).toMatchObject({ version: 2, newVersion: false });

    const record = await submitRecord(strapi.url, staff.jwt, 'visit', { site: 'Well 3', condition: 'good' }, 2);
    expect((await submitDraft(strapi.url, staff.jwt, record.documentId)).status).toBe(200);
    await submitRecord(strapi.url, staff.jwt, 'visit', { site: 'Well 4', condition: 'poor' }, 2);
    const list = await api('/forms');
    expect(list.status).toBe(200);
    expect(list.body.data.find((f: { documentId: string }) => f.documentId === id)).toMatchObject({
      name: 'Site visit',
      slug: 'visit',
      status: 'published',
      version: 2,
      records: 2,
      waiting: 1,
      archived: false,
    });
  });

  it('refuses bad definitions with a 400 naming the field, and stores nothing of them', async () => {
    const before = (await api('/forms')).body.data.length;
    const noOptions = reference('broken');
    noOptions.fields[2].options = [];
    const res = await api('/forms', { method: 'POST', json: { definition: noOptions } });
    expect(res.status).toBe(400);
    expect(res.body.error.details.errors).toEqual([
      expect.objectContaining({ path: ['fields', '2', 'options'], message: expect.stringContaining('Field 3 ("condition")') }),
    ]);

    const badType = reference('broken');
    (badType.fields[0] as { type: string }).type = 'video';
    const shape = await api('/forms', { method: 'POST', json: { definition: badType } });
    expect(shape.status).toBe(400);
    expect(shape.body.error.details.errors[0].path).toEqual(['definition', 'fields', '0', 'type']);

    const pipe = reference('broken');
    pipe.fields[2].options![0].label = 'Good | fine';
    const separator = await api('/forms', { method: 'POST', json: { definition: pipe } });
    expect(separator.status).toBe(400);
    expect(separator.body.error.details.errors).toEqual([
      { path: ['fields', '2', 'options', '0'], message: 'Field 3 ("condition"): option 1 may not contain "|" or a line break' },
    ]);

    const taken = await api('/forms', { method: 'POST', json: { definition: reference('visit') } });
    expect(taken.status).toBe(400);
    expect(taken.body.error.details.errors[0].path).toEqual(['slug']);
    expect((await api('/forms')).body.data.length).toBe(before);
  });

  it('keeps the draft as it was when a save is refused, and the form id once published', async () => {
    const id = (await api('/forms', { method: 'POST', json: { definition: reference('kept') } })).body.data.documentId;
    await api(`/forms/${id}/publish`, { method: 'POST' });
    const bad = reference('kept');
    bad.fields[3].relevant = "${nowhere} = 'x'";
    const refused = await api(`/forms/${id}`, { method: 'PUT', json: { definition: bad } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.errors[0].path).toEqual(['fields', '3', 'relevant']);
    expect((await api(`/forms/${id}`)).body.data).toMatchObject({ status: 'published', definition: reference('kept') });
    const renamed = await api(`/forms/${id}`, { method: 'PUT', json: { definition: reference('other-id') } });
    expect(renamed.status).toBe(400);
    expect(renamed.body.error.details.errors).toEqual([
      { path: ['slug'], message: 'the form id stays "kept" once the form was published' },
    ]);
  });

  it('honours the Content Manager permissions on forms and is closed to field staff', async () => {
    expect((await http(`${strapi.url}/eas/forms`, { token: staff.jwt })).status).toBe(401);
    const reader = await createAdminWithPermissions(strapi.url, admin.token, ['plugin::eas.read']);
    expect((await http(`${strapi.url}/eas/forms`, { token: reader.token })).status).toBe(403);
    // Read, create and update on every attribute of forms, as the role editor gives them, no publish (and an EAS
    // permission: a role without one keeps no access to EAS types, services/setup.ts).
    const fields = ['name', 'slug', 'description', 'fields', 'frontPhoto', 'backPhoto', 'signatures', 'pdf', 'listField', 'pages'].concat([
      'defaultLanguage',
      'languages',
      'version',
      'notifyEmails',
      'archived',
    ]);
    const author = await createAdminWithPermissions(strapi.url, admin.token, [
      'plugin::eas.read',
      ...['read', 'create', 'update'].map((a) => ({
        action: `plugin::content-manager.explorer.${a}`,
        subject: 'plugin::eas.form',
        properties: { fields },
      })),
    ]);
    const made = await http(`${strapi.url}/eas/forms`, {
      method: 'POST',
      token: author.token,
      json: { definition: reference('authored') },
    });
    expect(made.status).toBe(201);
    const id = made.body.data.documentId;
    expect((await http(`${strapi.url}/eas/forms/${id}`, { token: author.token })).status).toBe(200);
    const publish = await http(`${strapi.url}/eas/forms/${id}/publish`, { method: 'POST', token: author.token });
    expect(publish.status).toBe(403);
    expect(publish.body.error.message).toBe('Publishing a form needs the permission to publish forms');
    expect((await http(`${strapi.url}/api/eas/forms/authored`, { token: staff.jwt })).status).toBe(404);
  });
});
