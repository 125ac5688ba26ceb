/**
 * EAS → People's API (/eas/people) on a real Strapi (SQLite and PostgreSQL): an administrator adds field staff with
 * the Field staff role preset (a generated password shown once, or one given), who then sign in and capture; the
 * list shows their last activity and what waits for review; a blocked person can neither sign in nor use a token
 * they hold, and unblocking restores it; an editor is invited with the EAS editor role and a registration link.
 * Refusals are exact, and only Strapi's own user permissions open these routes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAdminWithPermissions,
  createAndPublishForm,
  dbKinds,
  http,
  registerAdmin,
  startStrapi,
  submitRecord,
  type StrapiInstance,
} from '../harness';

describe.each(dbKinds())('people on %s', (db) => {
  let strapi: StrapiInstance;
  let admin: Awaited<ReturnType<typeof registerAdmin>>;
  const api = (path: string, init: Parameters<typeof http>[1] = {}) =>
    http(`${strapi.url}/eas/people${path}`, { token: admin.token, ...init });
  const signIn = (identifier: string, password: string) =>
    http(`${strapi.url}/api/auth/local`, { method: 'POST', json: { identifier, password } });

  beforeAll(async () => {
    strapi = await startStrapi({ db });
    admin = await registerAdmin(strapi.url);
    await createAndPublishForm(strapi.url, admin.token, {
      name: 'People form',
      slug: 'people-form',
      fields: [{ key: 'site', label: 'Site', type: 'text', required: true }],
    });
  }, 180_000);

  afterAll(async () => {
    await strapi?.stop();
  });

  it('adds field staff who sign in with the generated password, capture, and show up in the list', async () => {
    const added = await api('/field-staff', { method: 'POST', json: { username: 'amina.k', email: 'Amina@Example.org' } });
    expect(added.status).toBe(201);
    expect(added.body.data).toMatchObject({ username: 'amina.k', email: 'amina@example.org' });
    expect(added.body.data.password).toMatch(/^[A-Za-z0-9]{16}$/);
    const login = await signIn('amina.k', added.body.data.password);
    expect(login.status).toBe(200);
    expect(login.body.user).toMatchObject({ username: 'amina.k', confirmed: true, blocked: false });
    await submitRecord(strapi.url, login.body.jwt, 'people-form', { site: 'Well 1' });

    const list = await api('/field-staff');
    expect(list.status).toBe(200);
    const row = list.body.data.find((u: { username: string }) => u.username === 'amina.k');
    expect(row).toMatchObject({ email: 'amina@example.org', blocked: false, records: 1, waiting: 1 });
    expect(Date.parse(row.lastSync)).toBeGreaterThan(Date.now() - 60_000);

    // A password given by the administrator is used as given, and not echoed back.
    const given = await api('/field-staff', {
      method: 'POST',
      json: { username: 'joao', email: 'joao@example.org', password: 'correct horse 7' },
    });
    expect(given.status).toBe(201);
    expect(given.body.data).not.toHaveProperty('password');
    expect((await signIn('joao', 'correct horse 7')).status).toBe(200);
  });

  it('blocks a person: no sign-in, their token stops working; unblocking restores both', async () => {
    const added = (await api('/field-staff', { method: 'POST', json: { username: 'kofi', email: 'kofi@example.org' } })).body.data;
    const jwt = (await signIn('kofi', added.password)).body.jwt;
    expect((await http(`${strapi.url}/api/eas/forms`, { token: jwt })).status).toBe(200);

    const blocked = await api(`/field-staff/${added.id}/blocked`, { method: 'PUT', json: { blocked: true } });
    expect(blocked.status).toBe(200);
    expect(blocked.body.data).toEqual({ id: added.id, username: 'kofi', blocked: true });
    expect((await signIn('kofi', added.password)).status).toBe(400);
    expect((await http(`${strapi.url}/api/eas/forms`, { token: jwt })).status).toBe(401);
    expect((await api('/field-staff')).body.data.find((u: { username: string }) => u.username === 'kofi').blocked).toBe(true);

    await api(`/field-staff/${added.id}/blocked`, { method: 'PUT', json: { blocked: false } });
    expect((await signIn('kofi', added.password)).status).toBe(200);
  });

  it('refuses taken names, bad input and non-field-staff accounts with exact answers, creating nothing', async () => {
    const before = (await api('/field-staff')).body.data.length;
    const dup = await api('/field-staff', { method: 'POST', json: { username: 'AMINA.K', email: 'new@example.org' } });
    expect(dup.status).toBe(400);
    expect(dup.body.error.details.errors).toEqual([{ path: ['username'], message: '"AMINA.K" is already used by another account' }]);
    const bad = await api('/field-staff', { method: 'POST', json: { username: 'a b', email: 'nope', password: 'short', role: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.errors.map((e: { path: string[] }) => e.path.join('.')).sort()).toEqual([
      'email',
      'password',
      'role',
      'username',
    ]);
    expect((await api('/field-staff')).body.data.length).toBe(before);
    // An account of another role is not managed here.
    expect((await api('/field-staff/999999/blocked', { method: 'PUT', json: { blocked: true } })).status).toBe(404);
  });

  it('invites an editor with the EAS editor role and a registration link', async () => {
    const invited = await api('/editors', { method: 'POST', json: { firstname: 'Esi', lastname: 'Mensah', email: 'esi@example.org' } });
    expect(invited.status).toBe(201);
    expect(invited.body.data.registrationToken).toMatch(/^[a-f0-9]{20,}$/);
    const info = await http(`${strapi.url}/admin/registration-info?registrationToken=${invited.body.data.registrationToken}`);
    expect(info.status).toBe(200);
    expect(info.body.data).toMatchObject({ email: 'esi@example.org', firstname: 'Esi', lastname: 'Mensah' });
    const users = await http(`${strapi.url}/admin/users?pageSize=100`, { token: admin.token });
    const esi = users.body.data.results.find((u: { email: string }) => u.email === 'esi@example.org');
    expect(esi.roles.map((r: { name: string }) => r.name)).toEqual(['EAS editor']);
    expect((await api('/editors', { method: 'POST', json: { firstname: 'Esi', email: 'ESI@example.org' } })).status).toBe(400);
  });

  it('is closed to field staff (401) and to admins without the user permissions (403)', async () => {
    const login = await signIn('joao', 'correct horse 7');
    expect((await http(`${strapi.url}/eas/people/field-staff`, { token: login.body.jwt })).status).toBe(401);
    const reader = await createAdminWithPermissions(strapi.url, admin.token, ['plugin::eas.read']);
    expect((await http(`${strapi.url}/eas/people/field-staff`, { token: reader.token })).status).toBe(403);
    const editors = await http(`${strapi.url}/eas/people/editors`, {
      method: 'POST',
      token: reader.token,
      json: { firstname: 'X', email: 'x@example.org' },
    });
    expect(editors.status).toBe(403);
  });
});
