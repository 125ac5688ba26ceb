/**
 * Content credentials on stored photos (services/evidence.ts withCredentials, utils/content-credentials.ts) on a real
 * Strapi whose sealing certificate qualifies for C2PA (issued by a CA, documentSigning): the stored display photo
 * carries a manifest signed with it — the record, what EAS did, the device original by its SHA-256 — that verifies
 * with c2pa-rs, and the hash EAS recorded is the hash of those very bytes. The other integration suites run with a
 * sealing certificate without that key usage: their photos carry none (and nothing else changes).
 */
import { createHash, randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContentCredentials } from '../../src/plugins/eas/server/src/utils/content-credentials';
import { loadSealIdentity } from '../../src/plugins/eas/server/src/utils/seal-cert';
import { createAndPublishForm, createFieldStaff, http, putMultipart, registerAdmin, startStrapi, type StrapiInstance } from '../harness';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eas-c2pa-it-'));
const at = (name: string) => path.join(dir, name);
const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });

describe('content credentials on stored photos (SQLite)', () => {
  let strapi: StrapiInstance;
  let staff: Awaited<ReturnType<typeof createFieldStaff>>;
  const slug = `c2pa-${Math.random().toString(36).slice(2, 8)}`;

  beforeAll(async () => {
    openssl(
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      at('ca.key'),
      '-out',
      at('ca.pem'),
      '-days',
      '30',
      '-subj',
      '/CN=Test seal CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign'
    );
    openssl(
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      at('seal.key'),
      '-out',
      at('seal.csr'),
      '-subj',
      '/CN=EAS seal (C2PA)/O=EAS'
    );
    fs.writeFileSync(
      at('seal.ext'),
      'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=1.3.6.1.5.5.7.3.36\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n'
    );
    openssl(
      'x509',
      '-req',
      '-in',
      at('seal.csr'),
      '-CA',
      at('ca.pem'),
      '-CAkey',
      at('ca.key'),
      '-CAcreateserial',
      '-days',
      '30',
      '-sha256',
      '-extfile',
      at('seal.ext'),
      '-out',
      at('seal.pem')
    );
    fs.writeFileSync(at('chain.pem'), fs.readFileSync(at('seal.pem'), 'utf8') + fs.readFileSync(at('ca.pem'), 'utf8'));
    strapi = await startStrapi({
      db: 'sqlite',
      env: { EAS_SEAL_KEY: '', EAS_SEAL_CERT: '', EAS_SEAL_KEY_FILE: at('seal.key'), EAS_SEAL_CERT_FILE: at('chain.pem') },
    });
    const admin = await registerAdmin(strapi.url);
    staff = await createFieldStaff(strapi.url, admin.token);
    await createAndPublishForm(strapi.url, admin.token, {
      name: 'Credentials',
      slug,
      fields: [{ key: 'site', label: 'Site', type: 'text' }],
      frontPhoto: { enabled: true, required: true, label: 'Front' },
      backPhoto: { enabled: false },
      signatures: [],
    });
  }, 180_000);

  afterAll(async () => {
    await strapi?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the stored photo verifies as EAS’s, names the record and the original, and is the file EAS hashed', async () => {
    const rec = await http(`${strapi.url}/api/eas/records`, {
      method: 'POST',
      token: staff.jwt,
      json: { clientId: randomUUID(), form: slug, formVersion: 1, data: { site: 'Gate 4' }, capturedAt: new Date().toISOString() },
    });
    expect(rec.status).toBe(201);
    // Larger than the display copy (2048 px), so EAS resizes it.
    const original = await sharp({ create: { width: 3000, height: 2000, channels: 3, background: '#4a7' } })
      .jpeg({ quality: 90 })
      .toBuffer();
    const put = await putMultipart(
      `${strapi.url}/api/eas/records/${rec.body.data.documentId}/photos/front`,
      staff.jwt,
      { buffer: original, filename: 'front.jpg' },
      { originalSha256: sha(original), metadata: JSON.stringify({ takenAt: '2026-12-03T08:00:00.000Z', device: 'Test phone' }) }
    );
    expect(put.status, JSON.stringify(put.body)).toBe(201);
    const stored = put.body.data.photos[0] as { sha256: string; url: string };
    const bytes = Buffer.from(await (await fetch(new URL(stored.url, strapi.url))).arrayBuffer());
    expect(sha(bytes)).toBe(stored.sha256);

    const identity = await loadSealIdentity(fs.readFileSync(at('seal.key'), 'utf8'), fs.readFileSync(at('chain.pem'), 'utf8'));
    const report = await createContentCredentials({ identity }).read(bytes);
    expect([report.valid, report.state, report.problems]).toEqual([true, 'Trusted', []]);
    expect(report.signer?.commonName).toBe('EAS seal (C2PA)');
    const record = report.assertions.find((a) => a.label === 'org.eas.record')?.data;
    expect(record).toEqual({
      reference: rec.body.data.reference,
      side: 'front',
      capturedAt: '2026-12-03T08:00:00.000Z',
      device: 'Test phone',
    });
    const actions = report.assertions.find((a) => a.label.startsWith('c2pa.actions'))?.data as { actions: { action: string }[] };
    expect(actions.actions.map((a) => a.action)).toEqual(['c2pa.opened', 'c2pa.resized', 'c2pa.transcoded', 'c2pa.edited.metadata']);
    expect(report.ingredients).toEqual([expect.objectContaining({ relationship: 'parentOf', instanceId: `sha256:${sha(original)}` })]);

    // The record's integrity check re-hashes that file: it matches.
    const verify = await http(`${strapi.url}/api/eas/verify/${rec.body.data.reference}?hash=${put.body.data.integrityHash}`);
    expect(verify.body.data.result).toBe('match');
  });
});
