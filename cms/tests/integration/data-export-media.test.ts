/**
 * Data exports with media (services/data-export.ts, format 'zip'): the tables, the photos and signatures as files and
 * a manifest whose hashes a receiver checks offline; repeat tables joined by reference; the profile "without personal
 * data"; labels in the form's other language; and who may export — on a real Strapi, SQLite and PostgreSQL.
 */
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { parse as parseCsv } from 'csv-parse/sync';
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
  putSignature,
  registerAdmin,
  runDataExport,
  startStrapi,
  submitDraft,
  type StrapiInstance,
} from '../harness';

const sha = (b: Buffer | Uint8Array) => createHash('sha256').update(b).digest('hex');
const CONSENT = 'I confirm the readings.';
const NAME = 'Ada Lovelace-Byron';

const form = (slug: string) => ({
  name: 'Meter visit',
  slug,
  defaultLanguage: 'en',
  languages: 'fr',
  fields: [
    { key: 'site', label: 'Site', type: 'text', required: true, translations: { fr: { label: 'Lieu' } } },
    { key: 'tenant', label: 'Tenant name', type: 'text', personal: true, translations: { fr: { label: 'Nom du locataire' } } },
    { key: 'meters', label: 'Meter', type: 'repeat', min: 1, max: 3, translations: { fr: { label: 'Compteur' } } },
    { key: 'serial', label: 'Serial', type: 'text', required: true, group: 'meters', translations: { fr: { label: 'Numéro' } } },
    { key: 'reading', label: 'Reading', type: 'decimal', required: true, group: 'meters' },
    { key: 'owner_phone', label: 'Owner phone', type: 'text', group: 'meters', personal: true },
  ],
  frontPhoto: { enabled: true, required: true, label: 'Meter front' },
  backPhoto: { enabled: false },
  signatures: [{ key: 'client', role: 'Client', consentText: CONSENT, required: true }],
});

describe.each(dbKinds())('data exports with media (%s)', (db) => {
  let strapi: StrapiInstance;
  let admin: Awaited<ReturnType<typeof registerAdmin>>;
  let editor: Awaited<ReturnType<typeof createEditor>>;
  let staff: Awaited<ReturnType<typeof createFieldStaff>>;
  const slug = `meter-visit-${Math.random().toString(36).slice(2, 8)}`;
  /** What was sent, per record: its reference, the photo and signature as the server stored them (their URLs' bytes). */
  const sent: {
    reference: string;
    documentId: string;
    tenant: string;
    serials: string[];
    photo: Buffer;
    signature: Buffer;
    flags: string[];
  }[] = [];

  const capture = async (site: string, tenant: string, meters: { serial: string; reading: number; owner_phone?: string }[]) => {
    const created = await http(`${strapi.url}/api/eas/records`, {
      method: 'POST',
      token: staff.jwt,
      json: { clientId: randomUUID(), form: slug, formVersion: 1, data: { site, tenant, meters }, capturedAt: new Date().toISOString() },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const { documentId, reference } = created.body.data as { documentId: string; reference: string };
    const jpeg = await fx.jpeg(800, 600);
    const put = await putMultipart(
      `${strapi.url}/api/eas/records/${documentId}/photos/front`,
      staff.jwt,
      { buffer: jpeg, filename: 'front.jpg' },
      { originalSha256: sha(jpeg) }
    );
    expect(put.status, JSON.stringify(put.body)).toBe(201);
    const signed = await putSignature(strapi.url, staff.jwt, documentId, 'client', {
      png: await fx.uniqueSignaturePng(),
      signerName: NAME,
      consentText: CONSENT,
      strokes: fx.uniqueStrokes(),
    });
    expect(signed.status, JSON.stringify(signed.body)).toBe(201);
    expect((await submitDraft(strapi.url, staff.jwt, documentId)).status).toBe(200);
    const view = (await http(`${strapi.url}/api/eas/records/${documentId}`, { token: staff.jwt })).body.data;
    const bytes = async (url: string) => Buffer.from(await (await fetch(new URL(url, strapi.url))).arrayBuffer());
    sent.push({
      reference,
      documentId,
      tenant,
      serials: meters.map((m) => m.serial),
      photo: await bytes(view.photos.find((p: { side: string }) => p.side === 'front').url),
      signature: await bytes(view.signatures.find((s: { slot: string }) => s.slot === 'client').url),
      flags: view.photos[0].quality.flags,
    });
  };

  beforeAll(async () => {
    strapi = await startStrapi({ db });
    admin = await registerAdmin(strapi.url);
    editor = await createEditor(strapi.url, admin.token);
    staff = await createFieldStaff(strapi.url, admin.token);
    await createAndPublishForm(strapi.url, admin.token, form(slug));
    await capture('Pump house 7', 'Tenant Alpha Smith', [
      { serial: 'A1', reading: 12.5, owner_phone: '+44 7700 900001' },
      { serial: 'B2', reading: 7.25 },
    ]);
    await capture('=cmd|"/c calc"!A1', 'Tenant Beta Jones', [{ serial: '-2+3', reading: 0 }]);
  }, 300_000);

  afterAll(async () => {
    await strapi?.stop();
  });

  const run = (token: string, options: Record<string, unknown>) => runDataExport(strapi.url, token, { form: slug, ...options });

  interface Manifest {
    format: string;
    records: number;
    profile: string;
    files: { path: string; sha256: string; bytes: number; kind: string; reference?: string; slot?: string }[];
    problems: { reference: string; kind: string; slot: string; problem: string; recordedSha256: string | null }[];
  }
  const open = async (bytes: Buffer) => {
    const zip = await JSZip.loadAsync(bytes);
    const manifest = JSON.parse(await zip.file('manifest.json')!.async('string')) as Manifest;
    return { zip, manifest, names: Object.keys(zip.files).filter((n) => !zip.files[n].dir) };
  };

  it('ZIP: the tables, each photo and signature as <reference>/<slot> files, a manifest whose hashes are the stored files', async () => {
    const { bytes, type, disposition } = await run(editor.token, { format: 'zip' });
    expect(type).toBe('application/zip');
    expect(disposition).toMatch(/filename="eas-records-\d{4}-\d{2}-\d{2}\.zip"/);
    const { zip, manifest, names } = await open(bytes);
    const [a, b] = sent;
    expect(names.sort()).toEqual(
      [
        'SHA256SUMS',
        'manifest.json',
        'meters.csv',
        'records.csv',
        `${a.reference}/front.jpg`,
        `${a.reference}/signature-client.png`,
        `${b.reference}/front.jpg`,
        `${b.reference}/signature-client.png`,
      ].sort()
    );
    expect([manifest.format, manifest.records, manifest.profile, manifest.problems]).toEqual(['eas-export/1', 2, 'all', []]);
    // Every file but the manifest and the sums is listed with the SHA-256 of its bytes in the package…
    expect(manifest.files.map((f) => f.path).sort()).toEqual(names.filter((n) => n !== 'manifest.json' && n !== 'SHA256SUMS').sort());
    for (const f of manifest.files) {
      const inZip = await zip.file(f.path)!.async('nodebuffer');
      expect([f.path, sha(inZip), inZip.length]).toEqual([f.path, f.sha256, f.bytes]);
    }
    // …which are the bytes EAS serves for the record, and the hashes its table records.
    for (const s of sent) {
      expect(manifest.files.find((f) => f.path === `${s.reference}/front.jpg`)!.sha256).toBe(sha(s.photo));
      expect(manifest.files.find((f) => f.path === `${s.reference}/signature-client.png`)!.sha256).toBe(sha(s.signature));
    }
    const sums = await zip.file('SHA256SUMS')!.async('string');
    expect(sums.trim().split('\n').sort()).toEqual(manifest.files.map((f) => `${f.sha256}  ${f.path}`).sort());

    const rows: Record<string, string>[] = parseCsv(await zip.file('records.csv')!.async('nodebuffer'), { columns: true });
    expect(rows.map((r) => r.reference)).toEqual([a.reference, b.reference]);
    // Inside the package the link columns name the files beside the table (no URL that expires).
    expect(rows.map((r) => [r['photo.front.link'], r['signature.client.link']])).toEqual([
      [`${a.reference}/front.jpg`, `${a.reference}/signature-client.png`],
      [`${b.reference}/front.jpg`, `${b.reference}/signature-client.png`],
    ]);
    expect(rows.map((r) => r['photo.front.sha256'])).toEqual([sha(a.photo), sha(b.photo)]);
    // The photo quality flags the review page shows (docs/photo-quality.md), as the record holds them.
    expect(a.flags.length).toBeGreaterThan(0);
    expect(rows.map((r) => r['photo.front.flags'])).toEqual([a.flags.join('; '), b.flags.join('; ')]);
    expect(rows[1]['field.site']).toBe(`'=cmd|"/c calc"!A1`);
    expect(rows.map((r) => r['field.meters'])).toEqual(['2', '1']);

    // The repeat's table, one row per entry, joined to the records by reference.
    const meters: Record<string, string>[] = parseCsv(await zip.file('meters.csv')!.async('nodebuffer'), { columns: true });
    expect(meters.map((m) => [m.reference, m.entry, m['field.meters.serial'], m['field.meters.reading']])).toEqual([
      [a.reference, '1', 'A1', '12.5'],
      [a.reference, '2', 'B2', '7.25'],
      [b.reference, '1', `'-2+3`, '0'],
    ]);
  });

  it('XLSX: the repeat in a sheet of its own, joined by reference, readings as numbers', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await run(editor.token, { format: 'xlsx' })).bytes as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual(['Meter visit', 'Meter']);
    const sheet = book.getWorksheet('Meter')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(['reference', 'entry', 'field.meters.serial', 'field.meters.reading', 'field.meters.owner_phone']);
    const rows = [2, 3, 4].map((n) => (sheet.getRow(n).values as unknown[]).slice(1, 4));
    expect(rows).toEqual([
      [sent[0].reference, 1, 'A1'],
      [sent[0].reference, 2, 'B2'],
      [sent[1].reference, 1, '-2+3'],
    ]);
    expect(sheet.getRow(3).getCell(4).type).toBe(ExcelJS.ValueType.Number);
    expect(sheet.getRow(3).getCell(4).value).toBe(7.25);
    // Formula-like text is a string cell, never a formula.
    expect(sheet.getRow(4).getCell(3).type).toBe(ExcelJS.ValueType.String);
  });

  it('without personal data: no personal field in any table, no photo or signature, nothing of the tenant anywhere in the package', async () => {
    const { bytes } = await run(editor.token, { format: 'zip', profile: 'no-personal' });
    const { zip, manifest, names } = await open(bytes);
    expect(names.sort()).toEqual(['SHA256SUMS', 'manifest.json', 'meters.csv', 'records.csv']);
    expect([manifest.profile, manifest.records]).toEqual(['no-personal', 2]);
    const records = await zip.file('records.csv')!.async('string');
    const header = records.split('\r\n')[0].split(',');
    expect(header).toContain('field.site');
    expect(header.filter((h) => /tenant|photo\.|signature\./.test(h))).toEqual([]);
    const meters = await zip.file('meters.csv')!.async('string');
    expect(meters.split('\r\n')[0]).toBe('reference,entry,field.meters.serial,field.meters.reading');
    const everything = Buffer.concat(await Promise.all(names.map((n) => zip.file(n)!.async('nodebuffer')))).toString('utf8');
    for (const secret of ['Tenant Alpha', 'Tenant Beta', '7700 900001', NAME]) expect(everything).not.toContain(secret);

    // The same profile in CSV and XLSX.
    const csv: Record<string, string>[] = parseCsv((await run(editor.token, { format: 'csv', profile: 'no-personal' })).bytes, {
      columns: true,
    });
    expect(Object.keys(csv[0]).filter((k) => /tenant|photo\.|signature\./.test(k))).toEqual([]);
    expect(csv.map((r) => r['field.site'])).toEqual(['Pump house 7', `'=cmd|"/c calc"!A1`]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await run(editor.token, { format: 'xlsx', profile: 'no-personal' })).bytes as unknown as ArrayBuffer);
    const cells = book.worksheets.flatMap((s) => s.getSheetValues().flat().map(String));
    expect(cells.filter((c) => /Tenant|7700|signature|photo\./.test(c))).toEqual([]);
  });

  it('labels in the language asked for; a language the form lacks is a 400 naming it', async () => {
    const { bytes } = await run(editor.token, { format: 'zip', header: 'label', language: 'fr' });
    const { zip } = await open(bytes);
    const records = (await zip.file('records.csv')!.async('string')).split('\r\n')[0].split(',');
    expect(records).toEqual(expect.arrayContaining(['Lieu', 'Nom du locataire', 'Compteur (entries)']));
    const meters = (await zip.file('meters.csv')!.async('string')).split('\r\n')[0];
    expect(meters).toContain('Compteur — Numéro');
    const bad = await http(`${strapi.url}/eas/data-exports`, {
      method: 'POST',
      token: editor.token,
      json: { form: slug, format: 'csv', language: 'de' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe('language: the form has no texts in "de" (it has en, fr)');
  });

  it('a photo altered on disk behind EAS’s back is packed as it is now and named in the manifest’s problems', async () => {
    const access = await openDb(strapi);
    try {
      const file = (await access.query<Record<string, unknown>>('select * from eas_evidence_files')).find((f) =>
        Object.values(f).includes(sha(sent[0].photo))
      ) as { storage_key: string };
      const target = path.join(strapi.env.EAS_EVIDENCE_DIR, file.storage_key);
      const original = fs.readFileSync(target);
      const altered = Buffer.from(original);
      altered[altered.length - 10] ^= 0xff;
      fs.writeFileSync(target, altered);
      try {
        const { zip, manifest } = await open((await run(editor.token, { format: 'zip' })).bytes);
        expect(manifest.problems).toEqual([
          { reference: sent[0].reference, kind: 'photo', slot: 'front', problem: 'altered', recordedSha256: sha(sent[0].photo) },
        ]);
        const packed = await zip.file(`${sent[0].reference}/front.jpg`)!.async('nodebuffer');
        expect(manifest.files.find((f) => f.path === `${sent[0].reference}/front.jpg`)!.sha256).toBe(sha(packed));
        expect(sha(packed)).toBe(sha(altered));
      } finally {
        fs.writeFileSync(target, original);
      }
    } finally {
      await access.close();
    }
  });

  it('a date-only "to" takes in the whole day; the list shows an admin their own exports only', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const { id } = await run(editor.token, { format: 'csv', from: today, to: today });
    const rows: unknown[] = parseCsv((await run(editor.token, { format: 'csv', to: today })).bytes, { columns: true });
    expect(rows).toHaveLength(2);
    const mine = await http(`${strapi.url}/eas/data-exports`, { token: editor.token });
    expect(mine.status).toBe(200);
    expect(mine.body.data[0]).toMatchObject({ status: 'done', format: 'csv', form: slug, profile: 'all', total: 2, done: 2 });
    expect(mine.body.data.map((e: { id: string }) => e.id)).toContain(id);
    const theirs = await http(`${strapi.url}/eas/data-exports`, { token: admin.token });
    expect(theirs.status).toBe(200);
    expect(theirs.body.data.map((e: { id: string }) => e.id)).not.toContain(id);
  });

  it('needs the export and the read permission: export alone is 403, field staff 401; bad profile/format 400 naming the field', async () => {
    const exportOnly = await createAdminWithPermissions(strapi.url, admin.token, ['plugin::eas.export']);
    const body = { form: slug, format: 'zip' };
    for (const [method, route] of [
      ['POST', '/eas/data-exports'],
      ['GET', '/eas/data-exports'],
      ['GET', '/eas/data-exports/field-staff'],
    ] as const) {
      const res = await http(`${strapi.url}${route}`, { method, token: exportOnly.token, ...(method === 'POST' ? { json: body } : {}) });
      expect([route, res.status]).toEqual([route, 403]);
      expect((await http(`${strapi.url}${route}`, { method, token: staff.jwt, ...(method === 'POST' ? { json: body } : {}) })).status).toBe(
        401
      );
    }
    // The EAS editor may not read users (EAS → People) but may limit an export to one of the field staff.
    expect((await http(`${strapi.url}/eas/people/field-staff`, { token: editor.token })).status).toBe(403);
    const staffList = await http(`${strapi.url}/eas/data-exports/field-staff`, { token: editor.token });
    expect(staffList.status).toBe(200);
    expect(staffList.body.data).toEqual([{ id: staff.id, username: staff.username }]);
    const bad = await http(`${strapi.url}/eas/data-exports`, { method: 'POST', token: editor.token, json: { ...body, profile: 'none' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('profile');
  });
});
