/**
 * Content credentials on a stored photo, with the real c2pa-rs (WebAssembly) on real sharp JPEGs and certificates
 * made by openssl: the manifest reads back with its actions, the record assertion and the original as parent
 * ingredient, trusted against the sealing CA; one changed pixel or flipped byte is reported as a hash mismatch.
 */
import { execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContentCredentials, RECORD_ASSERTION, type ContentCredentials, type PhotoClaim } from '../content-credentials';
import { createSelfSignedCertificate, loadSealIdentity } from '../seal-cert';
import { jpeg } from './image-fixtures';
import { scene } from './photo-fixtures';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eas-c2pa-'));
const at = (name: string) => path.join(dir, name);
const read = (name: string) => fs.readFileSync(at(name), 'utf8');
const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });

/** A CA (P-256) and, per call, a sealing certificate it issued with the key usages C2PA asks for. */
const makeCa = (name: string) =>
  openssl(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    at(`${name}.key`),
    '-out',
    at(`${name}.pem`),
    '-days',
    '30',
    '-subj',
    `/CN=${name}/O=EAS tests`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign'
  );
const makeLeaf = (name: string, newkey: string[], eku: string) => {
  openssl('req', '-newkey', ...newkey, '-nodes', '-keyout', at(`${name}.key`), '-out', at(`${name}.csr`), '-subj', `/CN=${name}/O=EAS`);
  fs.writeFileSync(
    at(`${name}.ext`),
    `basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=${eku}\n` +
      'subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n'
  );
  openssl(
    'x509',
    '-req',
    '-in',
    at(`${name}.csr`),
    '-CA',
    at('ca.pem'),
    '-CAkey',
    at('ca.key'),
    '-CAcreateserial',
    '-days',
    '30',
    '-sha256',
    '-extfile',
    at(`${name}.ext`),
    '-out',
    at(`${name}.pem`)
  );
  return loadSealIdentity(read(`${name}.key`), read(`${name}.pem`) + read('ca.pem'));
};

/** JPEG segments before the scan: [marker, start, end]. */
const segments = (img: Buffer) => {
  const out: [number, number, number][] = [];
  for (let i = 2; img[i] === 0xff && img[i + 1] !== 0xda; ) {
    const end = i + 2 + img.readUInt16BE(i + 2);
    out.push([img[i + 1], i, end]);
    i = end;
  }
  return out;
};
const scanStart = (img: Buffer) => segments(img).at(-1)![2];

const claim: PhotoClaim = {
  title: 'REC-2026-0042-front.jpg',
  reference: 'REC-2026-0042',
  side: 'front',
  capturedAt: '2026-12-01T09:30:00.000Z',
  device: 'Pixel 8 / EAS 1.4',
  location: { latitude: 51.5, longitude: -0.12, accuracy: 8 },
  original: { sha256: 'ab'.repeat(32), format: 'image/jpeg' },
  actions: ['c2pa.orientation', 'c2pa.resized', 'c2pa.transcoded', 'c2pa.edited.metadata'],
};

let credentials: ContentCredentials;
let photo: Buffer;
let signed: Buffer;

beforeAll(async () => {
  makeCa('ca');
  credentials = createContentCredentials({
    identity: await makeLeaf('EAS seal', ['ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], 'emailProtection'),
  });
  photo = await scene(1, 2048, 1536);
  signed = await credentials.embed(photo, claim);
}, 60_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('content credentials on a stored photo', () => {
  it('should read back as trusted, with the actions, the record and the original as parent ingredient', async () => {
    const report = await credentials.read(signed);

    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ valid: true, state: 'Trusted', signer: { commonName: 'EAS seal', alg: 'Es256' } });
    const actions = report.assertions.find((a) => a.label === 'c2pa.actions.v2')?.data as { actions: { action: string }[] };
    expect(actions.actions.map((a) => a.action)).toEqual(['c2pa.opened', ...claim.actions]);
    expect(report.assertions.find((a) => a.label === RECORD_ASSERTION)?.data).toEqual({
      reference: claim.reference,
      side: 'front',
      capturedAt: claim.capturedAt,
      device: claim.device,
      location: claim.location,
    });
    expect(report.ingredients).toEqual([
      expect.objectContaining({ relationship: 'parentOf', instanceId: `sha256:${claim.original.sha256}` }),
    ]);
  });

  it('should leave the picture itself alone', async () => {
    const [before, after] = await Promise.all([photo, signed].map((img) => sharp(img).raw().toBuffer()));
    expect(after.equals(before)).toBe(true);
    expect(signed.length - photo.length).toBeLessThan(8_000);
  });

  it('should report a hash mismatch if one byte of the image data is changed', async () => {
    const edited = Buffer.from(signed);
    edited[scanStart(edited) + 10_000] ^= 0x01;

    const report = await credentials.read(edited);

    expect(report).toMatchObject({ valid: false, state: 'Invalid' });
    expect(report.problems.join('\n')).toMatch(/^assertion\.dataHash\.mismatch: .*Hashes do not match/m);
  });

  it('should report a hash mismatch if one pixel is changed and the manifest copied onto the re-encoded photo', async () => {
    const { data, info } = await sharp(signed).raw().toBuffer({ resolveWithObject: true });
    data[0] ^= 0xff;
    const reencoded = await sharp(data, { raw: info }).jpeg({ quality: 90 }).toBuffer();
    const manifest = segments(signed).filter(([marker]) => marker === 0xeb); // APP11: the JUMBF manifest store
    const forged = Buffer.concat([reencoded.subarray(0, 2), ...manifest.map(([, s, e]) => signed.subarray(s, e)), reencoded.subarray(2)]);

    const report = await credentials.read(forged);

    expect(report.valid).toBe(false);
    expect(report.problems.join('\n')).toMatch(/assertion\.dataHash\.mismatch/);
  });

  it('should say so if a photo carries no manifest', async () => {
    expect(await credentials.read(await jpeg())).toEqual({
      valid: false,
      state: null,
      signer: null,
      assertions: [],
      ingredients: [],
      problems: ['no content credentials (C2PA manifest) in the image'],
    });
  });

  it('should not trust a manifest whose signer does not chain to the trust anchors', async () => {
    makeCa('other-ca');
    const elsewhere = createContentCredentials({
      identity: await makeLeaf('EAS seal 2', ['ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], 'emailProtection'),
      trustAnchors: read('other-ca.pem'),
    });

    const report = await elsewhere.read(signed);

    expect(report).toMatchObject({ valid: false, state: 'Valid' });
    expect(report.problems).toEqual(['signingCredential.untrusted: signing certificate untrusted']);
  });

  it('should sign with an RSA sealing key as PS256', async () => {
    const rsa = createContentCredentials({ identity: await makeLeaf('EAS seal RSA', ['rsa:2048'], '1.3.6.1.5.5.7.3.36') });

    const report = await rsa.read(await rsa.embed(await jpeg(), claim));

    expect(report).toMatchObject({ valid: true, signer: { commonName: 'EAS seal RSA', alg: 'Ps256' } });
  });

  it('should refuse a sealing certificate without an extended key usage C2PA accepts', async () => {
    const { keyPem, certPem } = await createSelfSignedCertificate('EAS dev seal');
    const dev = createContentCredentials({ identity: await loadSealIdentity(keyPem, certPem) });

    await expect(dev.embed(await jpeg(), claim)).rejects.toThrow(/not accepted for C2PA/);
  });
});
