import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fx from '../../src/plugins/eas/server/src/utils/__tests__/image-fixtures';
import {
  createAdminWithPermissions,
  createAndPublishForm,
  createEditor,
  createFieldStaff,
  http as call,
  putMultipart,
  putSignature,
  registerAdmin,
  submitDraft,
  startStrapi,
  type StrapiInstance,
} from '../harness';
import { readPdf, zipEntries } from '../pdf-reader';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const CONSENT = 'I confirm this inspection took place as recorded.';

/** PDF export runs on one database (the renderer does not depend on it); SQLite keeps the suite fast. */
describe('evidence PDF export', () => {
  let strapi: StrapiInstance;
  let admin: Awaited<ReturnType<typeof registerAdmin>>;
  let editor: Awaited<ReturnType<typeof createEditor>>;
  let staff: Awaited<ReturnType<typeof createFieldStaff>>;
  let trap: http.Server;
  let trapOrigin = '';
  let trapHits: string[] = [];

  const form = {
    name: 'Site inspection',
    slug: 'pdf-inspection',
    fields: [
      { key: 'site_name', label: 'Site name', type: 'text', required: true },
      { key: 'notes', label: 'Notes', type: 'textarea' },
      { key: 'issues', label: 'Issues seen', type: 'multiselect', options: 'leak|Water leak\ndamage|Structural damage' },
      { key: 'safe', label: 'Safe to enter', type: 'checkbox' },
    ],
    frontPhoto: { enabled: true, required: true, label: 'Entrance' },
    backPhoto: { enabled: true, required: true, label: 'Meter' },
    signatures: [{ key: 'manager', role: 'Site manager', consentText: CONSENT, required: true }],
    pdf: { title: 'Inspection report', footerText: 'ACME Facilities Ltd' },
  };

  /** A complete record: values, both photos and the signature. */
  const completeRecord = async (data: Record<string, unknown>, signerName = 'Ada Lovelace') => {
    const rec = await call(`${strapi.url}/api/eas/records`, {
      method: 'POST',
      token: staff.jwt,
      json: {
        clientId: randomUUID(),
        form: form.slug,
        formVersion: 1,
        data,
        capturedAt: new Date().toISOString(),
        location: { lat: 51.501, lng: -0.1416, accuracy: 6 },
      },
    });
    expect(rec.status).toBe(201);
    const id = rec.body.data.documentId;
    for (const [side, img] of [
      ['front', await fx.jpeg(900, 600)],
      ['back', await fx.png(600, 900)],
    ] as const) {
      const res = await putMultipart(
        `${strapi.url}/api/eas/records/${id}/photos/${side}`,
        staff.jwt,
        { buffer: img, filename: `${side}.jpg` },
        { originalSha256: sha(img) }
      );
      expect(res.status).toBe(201);
    }
    const sig = await putSignature(strapi.url, staff.jwt, id, 'manager', {
      png: await fx.uniqueSignaturePng(),
      signerName,
      consentText: CONSENT,
    });
    expect(sig.status).toBe(201);
    const submitted = await submitDraft(strapi.url, staff.jwt, id);
    expect(submitted.body.data.status).toBe('submitted');
    return submitted.body.data as { documentId: string; reference: string; integrityHash: string };
  };

  const download = async (documentId: string, token = editor.token) => {
    const res = await fetch(`${strapi.url}/eas/records/${documentId}/pdf`, { headers: { Authorization: `Bearer ${token}` } });
    return { res, buffer: Buffer.from(await res.arrayBuffer()) };
  };

  beforeAll(async () => {
    trap = http.createServer((req, res) => {
      trapHits.push(req.url ?? '');
      res.end('gotcha');
    });
    await new Promise<void>((r) => trap.listen(0, '127.0.0.1', r));
    trapOrigin = `http://127.0.0.1:${(trap.address() as AddressInfo).port}`;
    strapi = await startStrapi({ db: 'sqlite' });
    admin = await registerAdmin(strapi.url);
    editor = await createEditor(strapi.url, admin.token);
    staff = await createFieldStaff(strapi.url, admin.token);
    await createAndPublishForm(strapi.url, admin.token, form);
  }, 180_000);

  afterAll(async () => {
    await strapi?.stop();
    trap?.close();
  });

  it('an editor exports a record as a PDF with its values, photos, signature and integrity hash', async () => {
    const rec = await completeRecord({ site_name: 'North depot', notes: 'Roof leaks over bay 3', issues: ['leak', 'damage'], safe: true });
    const { res, buffer } = await download(rec.documentId);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${rec.reference}.pdf"`);

    const pdf = await readPdf(buffer);
    if (process.env.EAS_KEEP_PDF) fs.writeFileSync(process.env.EAS_KEEP_PDF, buffer);
    for (const text of [
      'Inspection report',
      'Site inspection · form version 1',
      rec.reference,
      'Submitted',
      'Site name',
      'North depot',
      'Roof leaks over bay 3',
      'Water leak, Structural damage',
      'Safe to enter',
      'Entrance',
      'Meter',
      'Ada Lovelace',
      'Site manager',
      CONSENT,
      rec.integrityHash,
      'ACME Facilities Ltd',
      'page 1 of',
    ]) {
      expect(pdf.dense, text).toContain(text.replace(/\s+/g, ''));
    }
    expect(pdf.images).toBeGreaterThanOrEqual(3); // two photos and the signature
    expect(pdf.info.Title).toBe(`Inspection report — ${rec.reference}`);
    expect(pdf.info.Subject).toContain(rec.integrityHash);

    // The QR code's URL is printed too, and answers "match".
    const verify = `${strapi.url}/verify/${rec.reference}?hash=${rec.integrityHash}`;
    expect(pdf.dense).toContain(verify);
    // It opens the verify page in a browser, and answers JSON to a program.
    const check = await call(verify, { headers: { Accept: 'application/json' } });
    expect(check.body.data).toMatchObject({ reference: rec.reference, result: 'match', match: true });
    const page = await fetch(verify, { headers: { Accept: 'text/html' } });
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('The document matches the record');
  });

  it('shows names in Greek, Arabic and Chinese', async () => {
    const rec = await completeRecord({ site_name: 'Αθήνα — مستودع — 北京仓库' }, 'Σωκράτης 李明 محمد');
    const pdf = await readPdf((await download(rec.documentId)).buffer);
    expect(pdf.flat).toContain('Σωκράτης');
    expect(pdf.flat).toContain('李明');
    expect(pdf.dense).toMatch(/محمد|دمحم/);
  });

  it('renders hostile values as text and makes no network request while rendering', async () => {
    trapHits = [];
    const attacks = [
      `<img src=${trapOrigin}/img>`,
      `<iframe src=file:///etc/passwd></iframe>`,
      `<style>@font-face{font-family:x;src:url(${trapOrigin}/font)}</style>`,
      `<link rel=stylesheet href=${trapOrigin}/css>`,
      `<meta http-equiv=refresh content="0;url=${trapOrigin}/refresh">`,
      `<script>fetch('${trapOrigin}/script')</script>`,
    ];
    const rec = await completeRecord({ site_name: attacks[0], notes: attacks.join('\n') }, `<b>${attacks[5]}</b>`);
    const { res, buffer } = await download(rec.documentId);
    expect(res.status).toBe(200);
    // Nothing reached the trap while the PDF was produced (the renderer aborts every request before it leaves:
    // utils/__tests__/pdf-pool.test.ts); the markup is printed as text below, so none was even attempted.
    expect(trapHits).toEqual([]);
    const pdf = await readPdf(buffer);
    for (const attack of attacks) expect(pdf.dense).toContain(attack.replace(/\s+/g, ''));
  });

  it('needs the export permission; field staff get their own submitted record as a receipt', async () => {
    const rec = await completeRecord({ site_name: 'Receipt depot' });
    const reviewer = await createAdminWithPermissions(strapi.url, admin.token, ['plugin::eas.read', 'plugin::eas.review']);
    expect((await download(rec.documentId, reviewer.token)).res.status).toBe(403);
    expect((await download(rec.documentId, staff.jwt)).res.status).toBe(401);

    const receipt = await fetch(`${strapi.url}/api/eas/records/${rec.documentId}/pdf`, {
      headers: { Authorization: `Bearer ${staff.jwt}` },
    });
    expect(receipt.status).toBe(200);
    expect((await readPdf(Buffer.from(await receipt.arrayBuffer()))).flat).toContain('Receipt depot');

    const other = await createFieldStaff(strapi.url, admin.token);
    expect(
      (await fetch(`${strapi.url}/api/eas/records/${rec.documentId}/pdf`, { headers: { Authorization: `Bearer ${other.jwt}` } })).status
    ).toBe(404);

    const draft = await call(`${strapi.url}/api/eas/records`, {
      method: 'POST',
      token: staff.jwt,
      json: { clientId: randomUUID(), form: form.slug, formVersion: 1, data: { site_name: 'Draft' }, capturedAt: new Date().toISOString() },
    });
    expect(
      (
        await fetch(`${strapi.url}/api/eas/records/${draft.body.data.documentId}/pdf`, {
          headers: { Authorization: `Bearer ${staff.jwt}` },
        })
      ).status
    ).toBe(409);
  });

  it('exports several records as a ZIP with progress', async () => {
    const recs = [
      await completeRecord({ site_name: 'A' }),
      await completeRecord({ site_name: 'B' }),
      await completeRecord({ site_name: 'C' }),
    ];
    const start = await call(`${strapi.url}/eas/exports`, {
      method: 'POST',
      token: editor.token,
      json: { documentIds: recs.map((r) => r.documentId) },
    });
    expect(start.status).toBe(202);
    expect(start.body.data.total).toBe(3);
    let progress;
    for (let i = 0; i < 120; i++) {
      progress = await call(`${strapi.url}/eas/exports/${start.body.data.id}`, { token: editor.token });
      if (progress.body.data.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(progress!.body.data).toMatchObject({ status: 'done', total: 3, done: 3, failed: [] });
    const zip = await fetch(`${strapi.url}/eas/exports/${start.body.data.id}/file`, {
      headers: { Authorization: `Bearer ${editor.token}` },
    });
    expect(zip.status).toBe(200);
    expect(zip.headers.get('content-type')).toBe('application/zip');
    expect(zipEntries(Buffer.from(await zip.arrayBuffer())).sort()).toEqual(recs.map((r) => `${r.reference}.pdf`).sort());

    // Another admin cannot see this export.
    const stranger = await createEditor(strapi.url, admin.token);
    expect((await call(`${strapi.url}/eas/exports/${start.body.data.id}`, { token: stranger.token })).status).toBe(404);
  });
});
