/**
 * Forms with groups, a repeat and pages, through the API on a real Strapi: the server checks every entry with the
 * shared validator and names the entry of each error; the admin's record details, the evidence PDF and the XLSX
 * export show the entries (the PDF as a table, the export as a sheet per repeat joined by the record reference).
 */
import ExcelJS from 'exceljs';
import { createHash, randomUUID } from 'node:crypto';
import * as fx from '../../src/plugins/eas/server/src/utils/__tests__/image-fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAndPublishForm,
  createEditor,
  createFieldStaff,
  dbKinds,
  http,
  putMultipart,
  registerAdmin,
  startStrapi,
  type StrapiInstance,
} from '../harness';
import { readPdf } from '../pdf-reader';

const unique = () => Math.random().toString(36).slice(2, 8);

const visitForm = (slug: string) => ({
  name: `Meter round ${slug}`,
  slug,
  pages: true,
  fields: [
    { key: 'visit', label: 'The visit', type: 'group' },
    { key: 'site_name', label: 'Site name', type: 'text', required: true, group: 'visit' },
    { key: 'room_photo', label: 'Meter room', type: 'photo', required: true, group: 'visit', help: 'The whole room, door open.' },
    { key: 'meters', label: 'Meter', type: 'repeat', min: 1, max: 3 },
    { key: 'serial', label: 'Serial number', type: 'text', required: true, group: 'meters' },
    { key: 'reading', label: 'Reading', type: 'decimal', required: true, group: 'meters', constraint: '. >= 0' },
    { key: 'faulty', label: 'Faulty', type: 'checkbox', group: 'meters' },
    { key: 'fault', label: 'What is wrong', type: 'text', required: true, group: 'meters', relevant: '${faulty}' },
    { key: 'total', label: 'Total of the readings', type: 'decimal', calculation: 'sum(${reading})' },
    { key: 'meter_count', label: 'Meters read', type: 'integer', calculation: 'count(${meters})' },
  ],
  frontPhoto: { enabled: false },
  backPhoto: { enabled: false },
  signatures: [],
});

const good = () => ({
  site_name: 'Pump house 7',
  meters: [
    { serial: 'A1', reading: 12.5 },
    { serial: 'B2', reading: 7.5, faulty: true, fault: 'Cracked glass' },
  ],
});

describe.each(dbKinds())('forms with groups, repeats and pages on %s', (db) => {
  let strapi: StrapiInstance;
  let admin: Awaited<ReturnType<typeof registerAdmin>>;
  let editor: Awaited<ReturnType<typeof createEditor>>;
  let staff: Awaited<ReturnType<typeof createFieldStaff>>;
  let slug: string;

  const post = (data: Record<string, unknown>) =>
    http(`${strapi.url}/api/eas/records`, {
      method: 'POST',
      token: staff.jwt,
      json: { clientId: randomUUID(), form: slug, formVersion: 1, data, capturedAt: new Date().toISOString() },
    });
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  const putPhoto = async (documentId: string, side: string) => {
    const img = await fx.jpeg(900, 600);
    return putMultipart(
      `${strapi.url}/api/eas/records/${documentId}/photos/${side}`,
      staff.jwt,
      { buffer: img, filename: `${side}.jpg` },
      { originalSha256: sha(img) }
    );
  };
  const errors = (res: { body: { error: { details: { errors: { key: string; code: string; message: string }[] } } } }) =>
    res.body.error.details.errors.map((e) => [e.key, e.code, e.message]);

  beforeAll(async () => {
    strapi = await startStrapi({ db });
    admin = await registerAdmin(strapi.url);
    editor = await createEditor(strapi.url, admin.token);
    staff = await createFieldStaff(strapi.url, admin.token);
    slug = `round-${unique()}`;
    await createAndPublishForm(strapi.url, admin.token, visitForm(slug));
  }, 180_000);

  afterAll(async () => {
    await strapi?.stop();
  });

  it('publishes the structure and the pages layout in the form version field staff receive', async () => {
    const res = await http(`${strapi.url}/api/eas/forms/${slug}`, { token: staff.jwt });
    expect(res.status).toBe(200);
    const def = res.body.data.definition;
    expect(def.pages).toBe(true);
    expect(def.fields.filter((f: { group?: string }) => f.group === 'meters').map((f: { key: string }) => f.key)).toEqual([
      'serial',
      'reading',
      'faulty',
      'fault',
    ]);
  });

  it('stores each entry with the totals the server computed over them', async () => {
    const res = await post(good());
    expect(res.status).toBe(201);
    expect(res.body.data.data).toEqual({ ...good(), total: 20, meter_count: 2 });
  });

  it('refuses with a 400 naming the entry and the field, and writes nothing', async () => {
    const before = await http(`${strapi.url}/api/eas/records?form=${slug}&pageSize=100`, { token: staff.jwt });
    const res = await post({
      site_name: 'Pump house 7',
      meters: [
        { serial: 'A1', reading: -2 },
        { reading: 3, faulty: true },
        { serial: 'C3', reading: 1, colour: 'red' },
      ],
    });
    expect(res.status).toBe(400);
    expect(errors(res)).toEqual([
      ['meters[0].reading', 'constraint', 'Meter 1: Reading does not meet its condition'],
      ['meters[1].serial', 'required', 'Meter 2: Serial number is required'],
      ['meters[1].fault', 'required', 'Meter 2: What is wrong is required'],
      ['meters[2].colour', 'unknown_field', 'Meter 3: "colour" is not a field of this repeat'],
    ]);
    const after = await http(`${strapi.url}/api/eas/records?form=${slug}&pageSize=100`, { token: staff.jwt });
    expect(after.body.data.length).toBe(before.body.data.length);
  });

  it('refuses too many entries, entries that are not objects, and a repeat field sent outside its entries', async () => {
    const many = await post({ site_name: 'X', meters: [1, 2, 3, 4].map((i) => ({ serial: `M${i}`, reading: i })) });
    expect(many.status).toBe(400);
    expect(errors(many)).toEqual([['meters', 'too_many', 'Meter may have at most 3 entries']]);
    const flat = await post({ site_name: 'X', serial: 'A1', meters: 'A1' });
    expect(flat.status).toBe(400);
    expect(errors(flat).map(([key, code]) => `${key}:${code}`)).toEqual(['serial:unknown_field', 'meters:type']);
  });

  it('takes a photo field’s photo like a slot’s, refuses a photo the form does not ask for, and requires it before submitting', async () => {
    const created = await post(good());
    const { documentId } = created.body.data;
    const early = await http(`${strapi.url}/api/eas/records/${documentId}/submit`, { method: 'POST', token: staff.jwt });
    expect(early.status).toBe(409);
    expect(early.body.error.message).toContain('the photo "Meter room" ("room_photo")');
    expect(early.body.error.details.missing.photos).toEqual(['room_photo']);

    const unknown = await putPhoto(documentId, 'cellar');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toBe(`side: the form "${slug}" has no photo "cellar" (its photos: "room_photo")`);
    const inData = await post({ ...good(), room_photo: 'a.jpg' });
    expect(inData.status).toBe(400);
    expect(errors(inData).map(([key, code]) => `${key}:${code}`)).toEqual(['room_photo:type']);

    const put = await putPhoto(documentId, 'room_photo');
    expect(put.status).toBe(201);
    const view = await http(`${strapi.url}/api/eas/records/${documentId}`, { token: staff.jwt });
    expect(view.body.data.photos.map((p: { side: string }) => p.side)).toEqual(['room_photo']);
    expect(view.body.data.missing.photos).toEqual([]);
  });

  it('shows the entries to an editor, in the PDF as a table, and in the XLSX export as a sheet of their own', async () => {
    const created = await post(good());
    expect(created.status).toBe(201);
    const { documentId, reference } = created.body.data;
    expect((await putPhoto(documentId, 'room_photo')).status).toBe(201);
    const submitted = await http(`${strapi.url}/api/eas/records/${documentId}/submit`, { method: 'POST', token: staff.jwt });
    expect(submitted.status).toBe(200);

    const details = await http(`${strapi.url}/eas/records/${documentId}`, { token: editor.token });
    expect(details.status).toBe(200);
    const shown = details.body.data.fields.map((f: { label: string; display: string }) => `${f.label}=${f.display}`);
    expect(shown).toEqual([
      'Site name=Pump house 7',
      'Meter 1 · Serial number=A1',
      'Meter 1 · Reading=12.5',
      'Meter 1 · Faulty=—',
      'Meter 1 · What is wrong=—',
      'Meter 2 · Serial number=B2',
      'Meter 2 · Reading=7.5',
      'Meter 2 · Faulty=Yes',
      'Meter 2 · What is wrong=Cracked glass',
      'Total of the readings=20',
      'Meters read=2',
    ]);

    const pdf = await fetch(`${strapi.url}/eas/records/${documentId}/pdf`, { headers: { Authorization: `Bearer ${editor.token}` } });
    expect(pdf.status).toBe(200);
    const { flat } = await readPdf(Buffer.from(await pdf.arrayBuffer()));
    expect(flat).toContain('The visit');
    expect(flat).toContain('Meter room');
    expect(flat).toContain('Meter # Serial number Reading Faulty What is wrong 1 A1 12.5 — — 2 B2 7.5 Yes Cracked glass');

    const start = await http(`${strapi.url}/eas/data-exports`, {
      method: 'POST',
      token: editor.token,
      json: { form: slug, format: 'xlsx', header: 'label' },
    });
    expect(start.status, JSON.stringify(start.body)).toBe(202);
    const id = start.body.data.id as string;
    const deadline = Date.now() + 120_000;
    for (;;) {
      const p = await http(`${strapi.url}/eas/data-exports/${id}`, { token: editor.token });
      if (p.body.data.status === 'done') break;
      if (p.body.data.status === 'failed' || Date.now() > deadline) throw new Error(`export: ${JSON.stringify(p.body.data)}`);
      await new Promise((r) => setTimeout(r, 150));
    }
    const file = await fetch(`${strapi.url}/eas/data-exports/${id}/file`, { headers: { Authorization: `Bearer ${editor.token}` } });
    expect(file.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await file.arrayBuffer()) as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual([`Meter round ${slug}`.slice(0, 31), 'Meter']);
    const records = book.worksheets[0];
    const header = (records.getRow(1).values as unknown[]).slice(1);
    expect(header).not.toContain('Serial number');
    expect(header).toContain('Meter room — SHA-256');
    const mine = records.getSheetValues().find((r) => Array.isArray(r) && r[1] === reference) as unknown[];
    expect(mine[header.indexOf('Meter (entries)') + 1]).toBe(2);
    const entries = (book.worksheets[1].getSheetValues() as unknown[])
      .filter((r): r is unknown[] => Array.isArray(r))
      .map((r) => r.slice(1));
    expect(entries[0]).toEqual([
      'Reference',
      'Entry',
      'Meter — Serial number',
      'Meter — Reading',
      'Meter — Faulty',
      'Meter — What is wrong',
    ]);
    expect(entries.filter((r) => r[0] === reference)).toEqual([
      [reference, 1, 'A1', 12.5],
      [reference, 2, 'B2', 7.5, true, 'Cracked glass'],
    ]);
  });
});
