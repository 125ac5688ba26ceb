/**
 * Data exports (services/data-export.ts): a form's records as CSV and XLSX through the admin API, values read back
 * with csv-parse and exceljs, formulas neutralised, the BOM option, filters, and who may not export.
 */
import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAdminWithPermissions,
  createAndPublishForm,
  createEditor,
  createFieldStaff,
  dbKinds,
  http,
  registerAdmin,
  runDataExport,
  startStrapi,
  submitRecord,
  type StrapiInstance,
} from '../harness';

const FORM = {
  name: 'Table export',
  slug: 'table-export',
  fields: [
    { key: 'site', label: 'Site name', type: 'text' },
    { key: 'weight', label: 'Weight (kg)', type: 'number' },
  ],
  frontPhoto: { enabled: false },
  backPhoto: { enabled: false },
  signatures: [],
};

describe.each(dbKinds())('data exports (%s)', (db) => {
  let strapi: StrapiInstance;
  let admin: Awaited<ReturnType<typeof registerAdmin>>;
  let editor: Awaited<ReturnType<typeof createEditor>>;
  let staff: Awaited<ReturnType<typeof createFieldStaff>>;
  const refs: string[] = [];

  beforeAll(async () => {
    strapi = await startStrapi({ db });
    admin = await registerAdmin(strapi.url);
    editor = await createEditor(strapi.url, admin.token);
    staff = await createFieldStaff(strapi.url, admin.token);
    await createAndPublishForm(strapi.url, admin.token, FORM);
    for (const data of [
      { site: 'North gate, "old"', weight: 12.5 },
      { site: '=HYPERLINK("http://evil.example","x")', weight: -3 },
      { site: 'Süd\nTor', weight: 0 },
    ])
      refs.push((await submitRecord(strapi.url, staff.jwt, FORM.slug, data)).reference);
  }, 240_000);

  afterAll(async () => {
    await strapi?.stop();
  });

  const run = (token: string, options: Record<string, unknown>) => runDataExport(strapi.url, token, { form: FORM.slug, ...options });

  it('CSV: one row per record, values as entered, formula text neutralised, quotes and line breaks kept', async () => {
    const { bytes, total, type } = await run(editor.token, { format: 'csv' });
    expect(total).toBe(3);
    expect(type).toBe('text/csv; charset=utf-8');
    expect(bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
    const rows: Record<string, string>[] = parseCsv(bytes, { columns: true });
    expect(rows.map((r) => r.reference)).toEqual(refs);
    expect(rows.map((r) => r['field.site'])).toEqual(['North gate, "old"', `'=HYPERLINK("http://evil.example","x")`, 'Süd\nTor']);
    expect(rows.map((r) => r['field.weight'])).toEqual(['12.5', '-3', '0']);
    expect(rows.every((r) => r.status === 'submitted' && r.integrityHash.length === 64)).toBe(true);
  });

  it('CSV with BOM and label headers', async () => {
    const { bytes } = await run(editor.token, { format: 'csv', bom: true, header: 'label' });
    expect(bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(true);
    const rows: Record<string, string>[] = parseCsv(bytes, { columns: true, bom: true });
    expect(Object.keys(rows[0])).toContain('Weight (kg)');
    expect(rows[0]['Site name']).toBe('North gate, "old"');
  });

  it('XLSX: numbers are numbers, times are dates, formula text is a plain string', async () => {
    const { bytes, type } = await run(editor.token, { format: 'xlsx' });
    expect(type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const col = (key: string) => header.indexOf(key) + 1;
    expect(sheet.rowCount).toBe(4);
    const second = sheet.getRow(3);
    expect(second.getCell(col('field.weight')).type).toBe(ExcelJS.ValueType.Number);
    expect(second.getCell(col('field.weight')).value).toBe(-3);
    expect(second.getCell(col('createdAt')).type).toBe(ExcelJS.ValueType.Date);
    expect(second.getCell(col('field.site')).type).toBe(ExcelJS.ValueType.String);
    expect(second.getCell(col('field.site')).value).toBe('=HYPERLINK("http://evil.example","x")');
    expect(second.getCell(col('reference')).value).toBe(refs[1]);
  });

  it('filters: a status no record has gives an empty table; a date range after now gives none', async () => {
    const none = await run(editor.token, { format: 'csv', status: 'approved' });
    expect(none.total).toBe(0);
    expect(parseCsv(none.bytes, { columns: true })).toEqual([]);
    const later = await run(editor.token, { format: 'csv', from: new Date(Date.now() + 86_400_000).toISOString() });
    expect(parseCsv(later.bytes, { columns: true })).toEqual([]);
  });

  it('refuses field staff (401), admins without the export permission (403), bad input (400 naming the field)', async () => {
    const reviewer = await createAdminWithPermissions(strapi.url, admin.token, ['plugin::eas.read', 'plugin::eas.review']);
    const body = { form: FORM.slug, format: 'csv' };
    expect((await http(`${strapi.url}/eas/data-exports`, { method: 'POST', token: reviewer.token, json: body })).status).toBe(403);
    expect((await http(`${strapi.url}/eas/data-exports`, { method: 'POST', token: staff.jwt, json: body })).status).toBe(401);
    const bad = await http(`${strapi.url}/eas/data-exports`, {
      method: 'POST',
      token: editor.token,
      json: { form: FORM.slug, format: 'ods' },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('format');
    const { id } = await run(editor.token, { format: 'csv' });
    // Another admin with the export permission does not see this admin's export.
    expect((await http(`${strapi.url}/eas/data-exports/${id}`, { token: admin.token })).status).toBe(404);
    expect(
      (await fetch(`${strapi.url}/eas/data-exports/${id}/file`, { headers: { Authorization: `Bearer ${reviewer.token}` } })).status
    ).toBe(403);
  });
});
