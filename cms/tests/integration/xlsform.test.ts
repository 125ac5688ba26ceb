/**
 * XLSForm import through the admin API on a real Strapi (SQLite and PostgreSQL): an administrator uploads an .xlsx
 * and gets a draft form that publishes and takes records; a workbook with problems, an .xls, field staff and an
 * admin without the permission to create forms get exact refusals, and nothing is created.
 */
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAdminWithPermissions,
  createFieldStaff,
  dbKinds,
  http,
  publishForm,
  registerAdmin,
  startStrapi,
  type StrapiInstance,
} from '../harness';

const workbook = async (sheets: Record<string, (string | number)[][]>) => {
  const book = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) book.addWorksheet(name).addRows(rows);
  return Buffer.from(await book.xlsx.writeBuffer());
};

const survey = (formId: string) =>
  workbook({
    survey: [
      [
        'type',
        'name',
        'label::English (en)',
        'label::Kiswahili (sw)',
        'required',
        'relevant',
        'constraint',
        'constraint_message::English (en)',
      ],
      ['begin_group', 'site', 'Site', 'Eneo'],
      ['text', 'site_name', 'Site name', 'Jina la eneo', 'yes'],
      ['select_one kind', 'kind', 'Kind', 'Aina', 'yes'],
      ['end_group'],
      ['begin_repeat', 'meter', 'Meter', 'Mita'],
      ['integer', 'reading', 'Reading', 'Kipimo', 'yes', '', '. >= 0', 'Never negative'],
      ['end_repeat'],
      ['text', 'why', 'Why other?', 'Kwa nini?', 'yes', "${kind} = 'other'"],
    ],
    choices: [
      ['list_name', 'name', 'label::English (en)', 'label::Kiswahili (sw)'],
      ['kind', 'pump', 'Pump', 'Pampu'],
      ['kind', 'other', 'Other', 'Nyingine'],
    ],
    settings: [
      ['form_title', 'form_id', 'default_language'],
      ['Pump check', formId, 'English (en)'],
    ],
  });

describe.each(dbKinds())('XLSForm import on %s', (db) => {
  let strapi: StrapiInstance;
  let admin: Awaited<ReturnType<typeof registerAdmin>>;
  let staff: Awaited<ReturnType<typeof createFieldStaff>>;

  const upload = (bytes: Buffer, token: string, filename = 'form.xlsx') => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)]), filename);
    return fetch(`${strapi.url}/eas/forms/import`, { method: 'POST', body: form, headers: { Authorization: `Bearer ${token}` } });
  };
  const formCount = async () =>
    (await http(`${strapi.url}/content-manager/collection-types/plugin::eas.form?pageSize=100`, { token: admin.token })).body.pagination
      .total;

  beforeAll(async () => {
    strapi = await startStrapi({ db });
    admin = await registerAdmin(strapi.url);
    staff = await createFieldStaff(strapi.url, admin.token);
  }, 180_000);

  afterAll(async () => {
    await strapi?.stop();
  });

  it('makes a draft form of an XLSForm that publishes and takes a record in its structure', async () => {
    const res = await upload(await survey('pump_check'), admin.token);
    expect(res.status).toBe(201);
    const body = (await res.json()).data;
    expect(body).toMatchObject({ slug: 'pump-check', name: 'Pump check', fields: 6 });
    await publishForm(strapi.url, admin.token, body.documentId);

    const form = await http(`${strapi.url}/api/eas/forms/pump-check`, { token: staff.jwt });
    expect(form.status).toBe(200);
    expect(form.body.data.definition).toMatchObject({ defaultLanguage: 'en', languages: ['sw'] });
    const record = (data: Record<string, unknown>) =>
      http(`${strapi.url}/api/eas/records`, {
        method: 'POST',
        token: staff.jwt,
        json: { clientId: randomUUID(), form: 'pump-check', formVersion: 1, data, capturedAt: new Date().toISOString() },
      });
    expect((await record({ site_name: 'Well 3', kind: 'pump', meter: [{ reading: 4 }, { reading: 7 }] })).status).toBe(201);
    const bad = await record({ site_name: 'Well 3', kind: 'other', meter: [{ reading: -1 }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.errors.map((e: { key: string; message: string }) => [e.key, e.message])).toEqual([
      ['meter[0].reading', 'Meter 1: Never negative'],
      ['why', 'Why other? is required'],
    ]);

    // The form comes back as an XLSForm: the same questions, languages and choices.
    const exported = await fetch(`${strapi.url}/eas/forms/${body.documentId}/xlsform`, {
      headers: { Authorization: `Bearer ${admin.token}` },
    });
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-disposition')).toBe('attachment; filename="pump-check.xlsx"');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await exported.arrayBuffer()) as ArrayBuffer);
    const rows = (book.getWorksheet('survey')!.getSheetValues() as unknown[])
      .filter(Array.isArray)
      .map((r) => (r as unknown[]).slice(1, 4));
    expect(rows.map((r) => r[0])).toEqual([
      'type',
      'begin_group',
      'text',
      'select_one kind',
      'end_group',
      'begin_repeat',
      'integer',
      'end_repeat',
      'text',
    ]);
    expect(rows[2]).toEqual(['text', 'site_name', 'Site name']);
    expect(
      (await fetch(`${strapi.url}/eas/forms/${body.documentId}/xlsform`, { headers: { Authorization: `Bearer ${staff.jwt}` } })).status
    ).toBe(401);
  });

  it('refuses a workbook with problems, an .xls, and a second form with the same id, creating nothing', async () => {
    const before = await formCount();
    const broken = await upload(
      await workbook({
        survey: [
          ['type', 'name', 'label'],
          ['audio', 'voice', 'Say it'],
          ['select_one nope', 'x', 'X'],
        ],
      }),
      admin.token
    );
    expect(broken.status).toBe(400);
    const error = (await broken.json()).error;
    expect(error.details.code).toBe('xlsform_invalid');
    expect(error.details.problems).toEqual([
      { sheet: 'survey', row: 2, column: 'type', message: '"audio": audio recordings are not supported' },
      { sheet: 'survey', row: 3, column: 'type', message: 'the choice list "nope" is not on the choices sheet' },
    ]);
    const xls = await upload(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]), admin.token, 'old.xls');
    expect(xls.status).toBe(400);
    expect((await xls.json()).error.details.problems[0].message).toBe(
      'the file is an Excel 97–2003 workbook (.xls); save it as .xlsx and upload that'
    );
    const again = await upload(await survey('pump_check'), admin.token);
    expect(again.status).toBe(400);
    expect((await again.json()).error.details.problems[0]).toMatchObject({ sheet: 'settings', column: 'form_id' });
    expect(await formCount()).toBe(before);
  });

  it('is closed to field staff (401) and to an admin who may not create forms (403)', async () => {
    const file = await survey('other_id');
    expect((await upload(file, staff.jwt)).status).toBe(401);
    const reader = await createAdminWithPermissions(strapi.url, admin.token, ['plugin::eas.read']);
    expect((await upload(file, reader.token)).status).toBe(403);
  });
});
