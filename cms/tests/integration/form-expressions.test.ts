/**
 * Records of a form with the newer field types and expressions, through the API: the server validates them with the
 * same shared validator as the phone (relevance, constraints with their messages, calculated values, cascading
 * choices) and refuses what does not satisfy it with a 400 naming each field. Records stay pinned to their version.
 */
import { randomUUID } from 'node:crypto';
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

const unique = () => Math.random().toString(36).slice(2, 8);

const meterForm = (slug: string) => ({
  name: `Meters ${slug}`,
  slug,
  fields: [
    { key: 'intro', label: 'Read the meter twice', type: 'note' },
    { key: 'units', label: 'Units', type: 'integer', required: true, min: 0 },
    {
      key: 'price',
      label: 'Unit price',
      type: 'decimal',
      required: true,
      constraint: '. > 0 and . < 100',
      constraintMessage: 'The unit price must be between 0 and 100',
    },
    { key: 'total', label: 'Total', type: 'decimal', calculation: 'round(${units} * ${price}, 2)' },
    { key: 'region', label: 'Region', type: 'select', required: true, options: 'north|North\nsouth|South' },
    {
      key: 'district',
      label: 'District',
      type: 'select',
      required: true,
      options: 'n1|North 1|region=north\ns1|South 1|region=south',
      choiceFilter: 'region = ${region}',
    },
    { key: 'approval', label: 'Approved by', type: 'text', required: true, relevant: '${total} > 500' },
    { key: 'read_at', label: 'Read at', type: 'time', required: true },
    { key: 'visited', label: 'Visited', type: 'datetime' },
    { key: 'rating', label: 'Access rating', type: 'range', min: 1, max: 5, step: 1 },
    { key: 'agree', label: 'I read the meter myself', type: 'acknowledge', required: true },
    { key: 'where', label: 'Meter location', type: 'geopoint', max: 50 },
    { key: 'code', label: 'Meter code', type: 'barcode' },
  ],
  frontPhoto: { enabled: false },
  backPhoto: { enabled: false },
  signatures: [],
});

const good = () => ({
  units: 12,
  price: 1.5,
  region: 'north',
  district: 'n1',
  read_at: '09:30',
  visited: '2026-12-02T09:30',
  rating: 4,
  agree: true,
});

describe.each(dbKinds())('forms with expressions on %s', (db) => {
  let strapi: StrapiInstance;
  let admin: Awaited<ReturnType<typeof registerAdmin>>;
  let staff: Awaited<ReturnType<typeof createFieldStaff>>;
  let slug: string;
  let documentId: string;

  const post = (data: Record<string, unknown>, formVersion = 1) =>
    http(`${strapi.url}/api/eas/records`, {
      method: 'POST',
      token: staff.jwt,
      json: { clientId: randomUUID(), form: slug, formVersion, data, capturedAt: new Date().toISOString() },
    });
  const codes = (res: { body: { error: { details: { errors: { key: string; code: string }[] } } } }) =>
    Object.fromEntries(res.body.error.details.errors.map((e) => [e.key, e.code]));

  beforeAll(async () => {
    strapi = await startStrapi({ db });
    admin = await registerAdmin(strapi.url);
    staff = await createFieldStaff(strapi.url, admin.token);
    slug = `meters-${unique()}`;
    documentId = await createAndPublishForm(strapi.url, admin.token, meterForm(slug));
  });

  afterAll(async () => {
    await strapi?.stop();
  });

  it('accepts a valid record and stores the calculated total the server computed', async () => {
    const res = await post(good());
    expect(res.status).toBe(201);
    expect(res.body.data.data).toEqual({ ...good(), total: 18 });
  });

  it('accepts a submitted calculated value that matches, and refuses one that does not with a 400 naming the field', async () => {
    expect((await post({ ...good(), total: 18 })).status).toBe(201);
    const res = await post({ ...good(), total: 1000 });
    expect(res.status).toBe(400);
    expect(res.body.error.details.errors).toEqual([
      expect.objectContaining({ key: 'total', code: 'calculation', message: 'Total is calculated (18); it cannot be entered' }),
    ]);
  });

  it('refuses per field: constraint with its message, cascading choice, integer, time, step, unticked acknowledgement, note value', async () => {
    const res = await post({ ...good(), intro: 'x', units: 1.5, price: 150, district: 's1', read_at: '25:00', rating: 4.5, agree: false });
    expect(res.status).toBe(400);
    expect(codes(res)).toEqual({
      intro: 'type',
      units: 'type',
      price: 'constraint',
      district: 'option',
      read_at: 'pattern',
      rating: 'step',
      agree: 'required',
    });
    expect(res.body.error.details.errors.find((e: { key: string }) => e.key === 'price').message).toBe(
      'The unit price must be between 0 and 100'
    );
  });

  it('stores a location and a scanned code as sent; refuses a fix less accurate than the field asks and a location that is not one', async () => {
    const ok = await post({ ...good(), where: '-1.292100 36.821900 1700.0 12.5', code: 'https://example.org/m/42' });
    expect(ok.status).toBe(201);
    expect(ok.body.data.data).toMatchObject({ where: '-1.292100 36.821900 1700.0 12.5', code: 'https://example.org/m/42' });
    expect((await post({ ...good(), where: '51.5007 -0.1246' })).status).toBe(201);
    const bad = await post({ ...good(), where: '-1.2921 36.8219 0 120' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.errors).toEqual([
      expect.objectContaining({
        key: 'where',
        code: 'accuracy',
        message: 'Meter location: the location is only accurate to 120 m; wait for a better fix (50 m or better) or type it',
      }),
    ]);
    const nonsense = await post({ ...good(), where: '95 200' });
    expect(nonsense.status).toBe(400);
    expect(codes(nonsense)).toEqual({ where: 'geopoint' });
  });

  it('requires a field only while it is relevant, and refuses a value for it while it is not', async () => {
    const big = { ...good(), units: 400 }; // total 600 > 500: approval applies
    const missing = await post(big);
    expect(missing.status).toBe(400);
    expect(codes(missing)).toEqual({ approval: 'required' });
    expect((await post({ ...big, approval: 'Ana' })).status).toBe(201);
    const hidden = await post({ ...good(), approval: 'Ana' });
    expect(hidden.status).toBe(400);
    expect(codes(hidden)).toEqual({ approval: 'hidden' });
  });

  it('refuses on save a form whose expression names a later field, naming the field', async () => {
    const res = await http(`${strapi.url}/content-manager/collection-types/plugin::eas.form`, {
      method: 'POST',
      token: admin.token,
      json: {
        ...meterForm(`broken-${unique()}`),
        fields: [
          { key: 'a', label: 'A', type: 'integer', relevant: '${b} > 1' },
          { key: 'b', label: 'B', type: 'integer' },
        ],
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('Field 1 ("a"): the relevance expression is not valid: ${b} is not a field above this one');
  });

  it('validates a record of version 1 by version 1 after version 2 changed the constraint', async () => {
    const fields = meterForm(slug).fields.map((f) =>
      f.key === 'price' ? { ...f, constraint: '. > 10', constraintMessage: 'Above 10 now' } : f
    );
    await updateForm(strapi.url, admin.token, documentId, { fields });
    await publishForm(strapi.url, admin.token, documentId);
    expect((await post(good(), 1)).status).toBe(201);
    const v2 = await post(good(), 2);
    expect(v2.status).toBe(400);
    expect(v2.body.error.details.errors).toEqual([expect.objectContaining({ key: 'price', code: 'constraint', message: 'Above 10 now' })]);
  });
});
