import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPdfSeal, createPdfSealer } from '../../src/plugins/eas/server/src/utils/pdf-seal';
import { createSelfSignedCertificate, loadSealIdentity } from '../../src/plugins/eas/server/src/utils/seal-cert';
import {
  createAndPublishForm,
  createEditor,
  createFieldStaff,
  dbKinds,
  http,
  registerAdmin,
  startStrapi,
  submitDraft,
  type StrapiInstance,
} from '../harness';
import { readPdf } from '../pdf-reader';
import { startTsa, type LocalTsa } from '../tsa';

const pdfsig = (pdf: Buffer) => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'eas-pdfsig-')), 'r.pdf');
  fs.writeFileSync(file, pdf);
  const lines = spawnSync('pdfsig', [file], { encoding: 'utf8' }).stdout.split('\n');
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  return lines;
};

describe.each(dbKinds())('sealed evidence PDFs (PAdES B-T) on %s', (db) => {
  let strapi: StrapiInstance;
  let tsa: LocalTsa;
  let editor: Awaited<ReturnType<typeof createEditor>>;
  let staff: Awaited<ReturnType<typeof createFieldStaff>>;

  const record = async (n: number) => {
    const rec = await http(`${strapi.url}/api/eas/records`, {
      method: 'POST',
      token: staff.jwt,
      json: { clientId: randomUUID(), form: 'sealed', formVersion: 1, data: { site: `Depot ${n}` }, capturedAt: new Date().toISOString() },
    });
    expect(rec.status).toBe(201);
    const submitted = await submitDraft(strapi.url, staff.jwt, rec.body.data.documentId);
    return submitted.body.data as { documentId: string; reference: string };
  };
  const download = async (documentId: string) => {
    const res = await fetch(`${strapi.url}/eas/records/${documentId}/pdf`, { headers: { Authorization: `Bearer ${editor.token}` } });
    return { status: res.status, buffer: Buffer.from(await res.arrayBuffer()) };
  };

  beforeAll(async () => {
    tsa = await startTsa();
    strapi = await startStrapi({ db, env: { TSA_URL: tsa.url, EAS_TSA_TIMEOUT_MS: '1500' } });
    const admin = await registerAdmin(strapi.url);
    editor = await createEditor(strapi.url, admin.token);
    staff = await createFieldStaff(strapi.url, admin.token);
    await createAndPublishForm(strapi.url, admin.token, {
      name: 'Sealed',
      slug: 'sealed',
      fields: [{ key: 'site', label: 'Site', type: 'text', required: true }],
      frontPhoto: { enabled: false },
      backPhoto: { enabled: false },
      signatures: [],
    });
  }, 180_000);

  afterAll(async () => {
    await strapi?.stop();
    await tsa?.close();
  });

  it('a record PDF from the API validates in pdfsig, carries the TSA timestamp and still reads as the record', async () => {
    tsa.setMode('ok');
    const rec = await record(1);
    const asked = tsa.requests();
    const { status, buffer } = await download(rec.documentId);
    expect(status).toBe(200);
    expect(tsa.requests()).toBe(asked + 1);
    const lines = pdfsig(buffer);
    expect(lines).toContain('  - Signer Certificate Common Name: EAS test seal');
    expect(lines).toContain('  - Signature Type: ETSI.CAdES.detached');
    expect(lines).toContain('  - Total document signed');
    expect(lines).toContain('  - Signature Validation: Signature is Valid.');
    const own = await checkPdfSeal(buffer);
    expect(own).toMatchObject({ valid: true, wholeDocument: true, signer: 'EAS test seal' });
    expect(own.timestampedAt).toBeInstanceOf(Date);
    expect((await readPdf(buffer)).flat).toContain('Depot 1');
  });

  it('the verify page takes an uploaded PDF: this EAS’s intact seal and a matching record; a changed byte, a look-alike seal, no PDF', async () => {
    tsa.setMode('ok');
    const rec = await record(7);
    const { status, buffer } = await download(rec.documentId);
    expect(status).toBe(200);
    const upload = (bytes: Buffer, path = '/api/eas/verify/pdf', accept = 'application/json') => {
      const form = new FormData();
      form.append('pdf', new Blob([new Uint8Array(bytes)], { type: 'application/pdf' }), 'record.pdf');
      return fetch(`${strapi.url}${path}`, { method: 'POST', body: form, headers: { Accept: accept } });
    };

    const ok = await upload(buffer);
    expect(ok.status).toBe(200);
    const answer = (await ok.json()).data;
    expect(answer.seal).toMatchObject({ seal: 'valid', reference: rec.reference });
    expect(answer.record).toMatchObject({ reference: rec.reference, result: 'match' });

    const page = await upload(buffer, '/verify?lang=en', 'text/html');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('The PDF carries this EAS’s seal, intact');
    expect(html).toContain('The document matches the record');

    // One byte of the document's information changed after sealing: the seal says so and no record is named.
    const changed = Buffer.from(buffer);
    changed[changed.lastIndexOf('/Producer') + 2] ^= 1;
    const altered = await (await upload(changed)).json();
    expect(altered.data).toMatchObject({ seal: { seal: 'invalid', reference: null }, record: null });

    // The same PDF sealed again by someone else's certificate with the same name: not this EAS's seal.
    const forger = await createSelfSignedCertificate('EAS development seal');
    const resealed = await createPdfSealer(await loadSealIdentity(forger.keyPem, forger.certPem), null).seal(buffer);
    const foreign = await (await upload(resealed)).json();
    expect(foreign.data).toMatchObject({ seal: { seal: 'foreign', reference: null }, record: null });

    const notPdf = await upload(Buffer.from('GIF89a not a pdf'));
    expect(notPdf.status).toBe(400);
    expect((await notPdf.json()).error.message).toBe('pdf: the file is not a PDF (it must start with %PDF-)');
    const nothing = await fetch(`${strapi.url}/api/eas/verify/pdf`, { method: 'POST', body: new FormData() });
    expect(nothing.status).toBe(400);
  });

  it('a TSA that is slow or sends garbage: the PDF is a 503 naming the cause, never an unsealed PDF', async () => {
    const rec = await record(2);
    tsa.setMode('slow');
    const slow = await download(rec.documentId);
    expect(slow.status).toBe(503);
    const origin = new URL(tsa.url).origin;
    expect(JSON.parse(slow.buffer.toString()).error).toMatchObject({
      status: 503,
      message: `The evidence PDF could not be sealed: the time-stamping authority at ${origin} did not answer within 1500 ms. No unsealed PDF is handed out; try again in a moment`,
      details: { code: 'tsa_unavailable' },
    });
    tsa.setMode('garbage');
    const garbage = await download(rec.documentId);
    expect(garbage.status).toBe(503);
    expect(JSON.parse(garbage.buffer.toString()).error.details).toEqual({ code: 'tsa_invalid_response' });
    tsa.setMode('ok');
  });

  it('in a bulk export, a record whose seal fails is listed in the failures and left out of the ZIP', async () => {
    const recs = [await record(3), await record(4)];
    tsa.setMode('garbage');
    const start = await http(`${strapi.url}/eas/exports`, {
      method: 'POST',
      token: editor.token,
      json: { documentIds: recs.map((r) => r.documentId) },
    });
    expect(start.status).toBe(202);
    let progress;
    for (let i = 0; i < 120; i++) {
      progress = await http(`${strapi.url}/eas/exports/${start.body.data.id}`, { token: editor.token });
      if (progress.body.data.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 250));
    }
    tsa.setMode('ok');
    const origin = new URL(tsa.url).origin;
    const error = `the time-stamping authority at ${origin} sent no usable timestamp: the answer is not a TimeStampResp`;
    expect(progress!.body.data).toMatchObject({ status: 'done', total: 2, done: 2 });
    expect(
      [...progress!.body.data.failed].sort((a: { reference: string }, b: { reference: string }) => a.reference.localeCompare(b.reference))
    ).toEqual(recs.map((r) => ({ reference: r.reference, error })).sort((a, b) => a.reference.localeCompare(b.reference)));
  });
});

describe('the sealing key as a PKCS#12 file (EAS_SEAL_P12_FILE)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eas-p12-boot-'));
  const p12 = path.join(dir, 'seal.p12');
  const password = path.join(dir, 'password');
  const env = { EAS_SEAL_KEY: '', EAS_SEAL_CERT: '', EAS_SEAL_P12_FILE: p12, EAS_SEAL_P12_PASSWORD_FILE: password };

  beforeAll(() => {
    const run = (...args: string[]) => {
      const r = spawnSync('openssl', args, { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`openssl ${args[0]}: ${r.stderr}`);
    };
    run(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      path.join(dir, 'k.pem'),
      '-out',
      path.join(dir, 'c.pem'),
      '-days',
      '30',
      '-subj',
      '/CN=EAS seal from a p12'
    );
    run(
      'pkcs12',
      '-export',
      '-inkey',
      path.join(dir, 'k.pem'),
      '-in',
      path.join(dir, 'c.pem'),
      '-out',
      p12,
      '-passout',
      'pass:right horse'
    );
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a wrong password stops the boot with the reason; the right one seals PDFs with that certificate', async () => {
    fs.writeFileSync(password, 'wrong horse\n');
    await expect(startStrapi({ db: 'sqlite', env, bootTimeoutMs: 90_000 })).rejects.toThrow(
      /the PKCS#12 file could not be opened \(wrong password, or damaged\)/
    );
    fs.writeFileSync(password, 'right horse\n');
    const strapi = await startStrapi({ db: 'sqlite', env });
    try {
      const admin = await registerAdmin(strapi.url);
      const editor = await createEditor(strapi.url, admin.token);
      const staff = await createFieldStaff(strapi.url, admin.token);
      await createAndPublishForm(strapi.url, admin.token, {
        name: 'Sealed p12',
        slug: 'sealed-p12',
        fields: [{ key: 'site', label: 'Site', type: 'text', required: true }],
        frontPhoto: { enabled: false },
        backPhoto: { enabled: false },
        signatures: [],
      });
      const rec = await http(`${strapi.url}/api/eas/records`, {
        method: 'POST',
        token: staff.jwt,
        json: { clientId: randomUUID(), form: 'sealed-p12', formVersion: 1, data: { site: 'Depot' }, capturedAt: new Date().toISOString() },
      });
      expect(rec.status).toBe(201);
      const res = await fetch(`${strapi.url}/eas/records/${rec.body.data.documentId}/pdf`, {
        headers: { Authorization: `Bearer ${editor.token}` },
      });
      expect(res.status).toBe(200);
      const check = await checkPdfSeal(Buffer.from(await res.arrayBuffer()));
      expect([check.valid, check.wholeDocument, check.signer]).toEqual([true, true, 'EAS seal from a p12']);
    } finally {
      await strapi.stop();
    }
  });
});
