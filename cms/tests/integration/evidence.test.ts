import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fx from '../../src/plugins/eas/server/src/utils/__tests__/image-fixtures';
import { noise } from '../../src/plugins/eas/server/src/utils/__tests__/polyglot-fixtures';
import {
  createAndPublishForm,
  createFieldStaff,
  dbKinds,
  http,
  putMultipart,
  registerAdmin,
  startStrapi,
  type StrapiInstance,
} from '../harness';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const CONSENT = 'I confirm the meter reading and consent to its storage.';

const evidenceForm = (slug: string) => ({
  name: `Meter ${slug}`,
  slug,
  fields: [{ key: 'reading', label: 'Reading', type: 'number', required: true }],
  frontPhoto: { enabled: true, required: true, label: 'Meter' },
  backPhoto: { enabled: true, required: false, label: 'Surroundings' },
  signatures: [{ key: 'client', role: 'Client', consentText: CONSENT, required: true }],
});

describe.each(dbKinds())('photos and signatures on %s', (db) => {
  let strapi: StrapiInstance;
  let admin: Awaited<ReturnType<typeof registerAdmin>>;
  let staff: Awaited<ReturnType<typeof createFieldStaff>>;
  let other: Awaited<ReturnType<typeof createFieldStaff>>;
  let slug: string;

  const newRecord = async (token = staff.jwt) => {
    const res = await http(`${strapi.url}/api/eas/records`, {
      method: 'POST',
      token,
      json: { clientId: randomUUID(), form: slug, formVersion: 1, data: { reading: 42 }, capturedAt: new Date().toISOString() },
    });
    expect(res.status).toBe(201);
    return res.body.data as { documentId: string; reference: string; integrityHash: string };
  };
  const photo = (docId: string, side: string, buffer: Buffer, filename = 'photo.jpg', token = staff.jwt, metadata?: object) =>
    putMultipart(
      `${strapi.url}/api/eas/records/${docId}/photos/${side}`,
      token,
      { buffer, filename },
      {
        originalSha256: sha(buffer),
        ...(metadata ? { metadata: JSON.stringify(metadata) } : {}),
      }
    );
  const get = (docId: string, token = staff.jwt) => http(`${strapi.url}/api/eas/records/${docId}`, { token });
  /** As the phone does: the signer endorses the content the record holds (its content hash). */
  const signature = async (docId: string, buffer: Buffer, fields: Record<string, string> = {}, slot = 'client') =>
    putMultipart(
      `${strapi.url}/api/eas/records/${docId}/signatures/${slot}`,
      staff.jwt,
      { buffer, filename: 'signature.png', type: 'image/png' },
      {
        strokes: JSON.stringify(fx.uniqueStrokes()),
        signerName: 'Grace Hopper',
        consentText: CONSENT,
        signedAt: new Date().toISOString(),
        contentHash: (await get(docId)).body.data?.contentHash ?? '0'.repeat(64),
        ...fields,
      }
    );
  const submit = (docId: string) => http(`${strapi.url}/api/eas/records/${docId}/submit`, { method: 'POST', token: staff.jwt });
  /** Evidence files as stored: the files in this instance's private evidence folder. */
  const storedFiles = () => {
    const root = strapi.env.EAS_EVIDENCE_DIR;
    return fs.existsSync(root)
      ? (fs.readdirSync(root, { recursive: true, withFileTypes: true }) as fs.Dirent[])
          .filter((d) => d.isFile())
          .map((d) => path.join(d.parentPath, d.name))
      : [];
  };
  const fileCount = async () => storedFiles().length;
  const fetchBytes = async (path: string) => {
    const res = await fetch(`${strapi.url}${path}`);
    return { status: res.status, type: res.headers.get('content-type'), buffer: Buffer.from(await res.arrayBuffer()) };
  };

  beforeAll(async () => {
    strapi = await startStrapi({ db });
    admin = await registerAdmin(strapi.url);
    staff = await createFieldStaff(strapi.url, admin.token);
    other = await createFieldStaff(strapi.url, admin.token);
    slug = `meter-${Math.random().toString(36).slice(2, 8)}`;
    await createAndPublishForm(strapi.url, admin.token, evidenceForm(slug));
  });

  afterAll(async () => {
    await strapi?.stop();
  });

  it('stores an upright, metadata-free photo with its hashes, and serves it only through a signed URL', async () => {
    const rec = await newRecord();
    const input = await fx.rotatedJpegWithGps(400, 200);
    const res = await photo(rec.documentId, 'front', input, 'IMG_0001.jpg', staff.jwt, {
      takenAt: '2026-05-01T09:30:00Z',
      device: 'TestPhone',
      gps: { lat: 51.5, lng: -0.12, accuracy: 5 },
    });
    expect(res.status).toBe(201);
    const p = res.body.data.photos[0];
    expect(p).toMatchObject({ side: 'front', width: 200, height: 400, originalSha256: sha(input), takenAt: '2026-05-01T09:30:00Z' });
    expect(res.body.data.missing).toEqual({ photos: [], signatures: ['client'], staleSignatures: [] });
    expect(res.body.data.status).toBe('draft');
    expect(res.body.data.integrityHash).not.toBe(rec.integrityHash);

    const served = await fetchBytes(p.url);
    expect(served.status).toBe(200);
    expect(served.type).toBe('image/jpeg');
    expect(sha(served.buffer)).toBe(p.sha256);
    const meta = await sharp(served.buffer).metadata();
    expect(meta.exif).toBeUndefined();
    expect([meta.width, meta.height]).toEqual([200, 400]);
    const thumb = await fetchBytes(p.thumbnailUrl);
    expect(thumb.status).toBe(200);
    expect(Math.max((await sharp(thumb.buffer).metadata()).width!, (await sharp(thumb.buffer).metadata()).height!)).toBeLessThanOrEqual(
      320
    );
  });

  it('keeps evidence files out of the public uploads folder and the Media Library, readable by EAS only', async () => {
    const publicUploads = path.resolve(__dirname, '../../public/uploads');
    const publicBefore = fs.readdirSync(publicUploads).length;
    const libraryBefore = (await http(`${strapi.url}/upload/files?pageSize=1`, { token: admin.token })).body.pagination.total;
    const before = storedFiles().length;
    const rec = await newRecord();
    await photo(rec.documentId, 'front', await fx.jpeg());
    await signature(rec.documentId, await fx.uniqueSignaturePng());
    // Display copy, thumbnail and signature: in the private folder, readable by the server's user only.
    const stored = storedFiles();
    expect(stored.length).toBe(before + 3);
    for (const file of stored) expect(fs.statSync(file).mode & 0o077).toBe(0);
    expect(fs.readdirSync(publicUploads).length).toBe(publicBefore);
    expect((await http(`${strapi.url}/upload/files?pageSize=1`, { token: admin.token })).body.pagination.total).toBe(libraryBefore);
  });

  it('accepts a camera photo whose compressed data spells "<svg" by chance (it used to be refused as a polyglot)', async () => {
    // Seed 4273 at quality 95: its entropy-coded data holds "<SvG" (see find-embedded-markup.test.ts).
    const rec = await newRecord();
    const res = await photo(rec.documentId, 'front', await noise(4273, 640, 480).jpeg({ quality: 95 }).toBuffer(), 'IMG_4273.jpg');
    expect(res.status).toBe(201);
    expect(res.body.data.photos[0]).toMatchObject({ side: 'front', width: 640, height: 480 });
  });

  it('refuses tampered, expired and unsigned media links', async () => {
    const rec = await newRecord();
    const url: string = (await photo(rec.documentId, 'front', await fx.jpeg())).body.data.photos[0].url;
    const u = new URL(url, strapi.url);
    const id = u.pathname.split('/').pop();
    expect((await fetch(`${strapi.url}/api/eas/media/${id}`)).status).toBe(400);
    expect((await fetch(`${strapi.url}/api/eas/media/${id}?exp=${u.searchParams.get('exp')}&sig=${'A'.repeat(43)}`)).status).toBe(403);
    expect(
      (await fetch(`${strapi.url}/api/eas/media/${Number(id) + 1}?exp=${u.searchParams.get('exp')}&sig=${u.searchParams.get('sig')}`))
        .status
    ).toBe(403);
    const past = Math.floor(Date.now() / 1000) - 10;
    expect((await fetch(`${strapi.url}/api/eas/media/${id}?exp=${past}&sig=${u.searchParams.get('sig')}`)).status).toBe(403);
  });

  it('answers a re-sent photo with the record as it is, without storing anything twice', async () => {
    const rec = await newRecord();
    const input = await fx.jpeg(800, 600);
    const first = await photo(rec.documentId, 'front', input);
    const before = await fileCount();
    const again = await photo(rec.documentId, 'front', input);
    expect(again.status).toBe(200);
    expect(again.body.data.photos).toHaveLength(1);
    expect(again.body.data.photos[0].sha256).toBe(first.body.data.photos[0].sha256);
    expect(await fileCount()).toBe(before);
  });

  it('answers copies of one upload sent at the same time (a flaky network) without a 5xx, keeping one photo and one signature', async () => {
    const rec = await newRecord();
    const input = await fx.jpeg(640, 480);
    const before = await fileCount();
    const photos = await Promise.all(Array.from({ length: 4 }, () => photo(rec.documentId, 'front', input)));
    expect(photos.map((r) => r.status).sort()).toEqual([200, 200, 200, 201]);
    const pad = await fx.uniqueSignaturePng();
    const signed = await Promise.all(Array.from({ length: 4 }, () => signature(rec.documentId, pad)));
    expect(signed.map((r) => r.status).sort()).toEqual([200, 200, 200, 201]);
    const now = (await get(rec.documentId)).body.data;
    expect(now.photos).toHaveLength(1);
    expect(now.signatures).toHaveLength(1);
    // Display + thumbnail for the photo, one file for the signature: the losers' files were removed.
    expect(await fileCount()).toBe(before + 3);
  });

  it('replaces a photo of a draft, changes the integrity hash and removes the old files', async () => {
    const rec = await newRecord();
    const first = (await photo(rec.documentId, 'front', await fx.jpeg(800, 600))).body.data;
    const before = await fileCount();
    const second = await photo(rec.documentId, 'front', await fx.png(500, 500), 'retake.png');
    expect(second.status).toBe(200);
    expect(second.body.data.photos).toHaveLength(1);
    expect(second.body.data.photos[0].sha256).not.toBe(first.photos[0].sha256);
    expect(second.body.data.integrityHash).not.toBe(first.integrityHash);
    expect(await fileCount()).toBe(before);
    expect((await fetch(`${strapi.url}${first.photos[0].url}`)).status).toBe(404);
  });

  it('keeps the record a draft after its last upload until the device submits it, then locks its media', async () => {
    const rec = await newRecord();
    await photo(rec.documentId, 'front', await fx.jpeg());
    const contentHash = (await get(rec.documentId)).body.data.contentHash;
    const pad = await fx.uniqueSignaturePng();
    const sig = await signature(rec.documentId, pad);
    expect(sig.status).toBe(201);
    expect(sig.body.data.status).toBe('draft');
    expect(sig.body.data.missing).toEqual({ photos: [], signatures: [], staleSignatures: [] });
    expect(sig.body.data.signatures[0]).toMatchObject({
      slot: 'client',
      role: 'Client',
      signerName: 'Grace Hopper',
      contentHash,
      bound: true,
    });
    const sigImage = await fetchBytes(sig.body.data.signatures[0].url);
    expect(sigImage.type).toBe('image/png');
    expect([(await sharp(sigImage.buffer).metadata()).width, (await sharp(sigImage.buffer).metadata()).height]).toEqual([200, 40]);
    const submitted = await submit(rec.documentId);
    expect(submitted.status).toBe(200);
    expect(submitted.body.data.status).toBe('submitted');
    expect(submitted.body.data.submittedAt).toBeTruthy();

    // A retry of the last upload after the record was submitted still succeeds…
    expect((await signature(rec.documentId, pad, { contentHash })).status).toBe(200);
    // …but new media are refused now.
    const replace = await photo(rec.documentId, 'front', await fx.png());
    expect(replace.status).toBe(409);
    expect(replace.body.error.message).toMatch(/is submitted; its photos can no longer be changed/);
    const optional = await photo(rec.documentId, 'back', await fx.png());
    expect(optional.status).toBe(409);
    expect((await get(rec.documentId)).body.data.integrityHash).toBe(submitted.body.data.integrityHash);

    // Editors see the evidence with the slot labels and the consent text the person signed under.
    const details = await http(`${strapi.url}/eas/records/${rec.documentId}`, { token: admin.token });
    expect(details.body.data.photos[0]).toMatchObject({ side: 'front', label: 'Meter' });
    expect(details.body.data.signatures[0]).toMatchObject({ signerName: 'Grace Hopper', consentText: CONSENT, bound: true });
    expect(details.body.data.integrityHash).toBe(submitted.body.data.integrityHash);
    expect(details.body.data.integrity).toMatchObject({ status: 'intact', findings: [], filesChecked: 3 });
    expect((await fetch(`${strapi.url}${details.body.data.photos[0].thumbnailUrl}`)).status).toBe(200);
  });

  it('verifies an integrity hash without revealing anything personal', async () => {
    const rec = await newRecord();
    await photo(rec.documentId, 'front', await fx.jpeg());
    await signature(rec.documentId, await fx.uniqueSignaturePng());
    const done = (await submit(rec.documentId)).body.data;
    const ok = await http(`${strapi.url}/api/eas/verify/${done.reference}?hash=${done.integrityHash}`);
    expect(ok.status).toBe(200);
    expect(ok.body.data).toMatchObject({ reference: done.reference, result: 'match', match: true, status: 'submitted' });
    // Nothing but the answer: no values, names, media or owner.
    expect(Object.keys(ok.body.data).sort()).toEqual(['checkedAt', 'match', 'reference', 'result', 'status', 'submittedAt']);
    expect(JSON.stringify(ok.body)).not.toContain('Grace');
    const wrong = await http(`${strapi.url}/api/eas/verify/${done.reference}?hash=${'0'.repeat(64)}`);
    expect(wrong.body.data).toEqual({ reference: done.reference, result: 'unknown', match: false, checkedAt: expect.any(String) });
    // An unknown reference answers exactly like a hash EAS never recorded: the page says nothing about what exists.
    const none = await http(`${strapi.url}/api/eas/verify/EAS-1999-999999?hash=${'0'.repeat(64)}`);
    expect([none.status, none.body.data.result]).toEqual([200, 'unknown']);
    expect((await http(`${strapi.url}/api/eas/verify/${done.reference}?hash=nope`)).status).toBe(400);
  });

  describe('bad input gets a clear 4xx naming the file, and nothing is written', () => {
    const cases: [string, () => Buffer | Promise<Buffer>, number, RegExp][] = [
      ['a HEIC photo', () => fx.heicHeader(), 415, /"IMG_1234\.HEIC" is a HEIC\/HEIF photo.*send it as JPEG/],
      ['an SVG', () => fx.svg(), 415, /an SVG drawing/],
      ['an HTML page', () => fx.html(), 415, /an HTML document/],
      ['a JPEG+HTML polyglot', () => fx.jpegHtmlPolyglot(), 415, /embedded markup/],
      ['a truncated JPEG', () => fx.truncatedJpeg(), 422, /damaged or truncated|not a readable image/],
      ['a 21 MB file', () => fx.oversize(), 413, /./],
      ['a PNG declaring 20000×20000 pixels', () => fx.pixelBombPng(), 422, /more than 50 megapixels/],
    ];
    it.each(cases)('%s', async (_name, make, status, message) => {
      const rec = await newRecord();
      const before = await fileCount();
      const filename = status === 415 && /HEIC/.test(message.source) ? 'IMG_1234.HEIC' : 'IMG_1234.jpg';
      const res = await photo(rec.documentId, 'front', await make(), filename);
      expect(res.status).toBe(status);
      expect(res.body.error.message).toMatch(message);
      if (status !== 413) expect(res.body.error.message).toContain(filename);
      const after = await get(rec.documentId);
      expect(after.body.data.photos).toEqual([]);
      expect(after.body.data.integrityHash).toBe(rec.integrityHash);
      expect(await fileCount()).toBe(before);
    });
  });

  it('refuses a signature whose consent text differs, an empty pad, a non-PNG, and an unknown slot', async () => {
    const rec = await newRecord();
    const differs = await signature(rec.documentId, await fx.uniqueSignaturePng(), { consentText: 'I agree to anything.' });
    expect(differs.status).toBe(400);
    expect(differs.body.error.message).toMatch(/consentText: differs/);
    const noStrokes = await signature(rec.documentId, await fx.uniqueSignaturePng(), { strokes: '[]' });
    expect(noStrokes.status).toBe(400);
    expect(noStrokes.body.error.message).toMatch(/strokes: is empty/);
    expect((await signature(rec.documentId, await fx.emptySignaturePng())).status).toBe(422);
    expect((await signature(rec.documentId, await fx.jpeg())).status).toBe(415);
    expect((await signature(rec.documentId, await fx.uniqueSignaturePng(), {}, 'witness')).status).toBe(404);
    expect((await get(rec.documentId)).body.data.signatures).toEqual([]);
  });

  it('keeps a record with only optional media a draft until the device submits it', async () => {
    const optional = `optional-${Math.random().toString(36).slice(2, 8)}`;
    await createAndPublishForm(strapi.url, admin.token, {
      name: 'Optional photo',
      slug: optional,
      fields: [],
      frontPhoto: { enabled: true, required: false },
      backPhoto: { enabled: false },
      signatures: [],
    });
    const rec = await http(`${strapi.url}/api/eas/records`, {
      method: 'POST',
      token: staff.jwt,
      json: { clientId: randomUUID(), form: optional, formVersion: 1, data: {}, capturedAt: new Date().toISOString() },
    });
    expect(rec.body.data).toMatchObject({ status: 'draft', missing: { photos: [], signatures: [] } });
    const up = await photo(rec.body.data.documentId, 'front', await fx.jpeg());
    expect(up.status).toBe(201);
    expect(up.body.data.status).toBe('draft');
    const submitted = await http(`${strapi.url}/api/eas/records/${rec.body.data.documentId}/submit`, { method: 'POST', token: staff.jwt });
    expect(submitted.body.data.status).toBe('submitted');
  });

  it('answers 404 for another user’s record and refuses anonymous uploads', async () => {
    const rec = await newRecord();
    expect((await photo(rec.documentId, 'front', await fx.jpeg(), 'x.jpg', other.jwt)).status).toBe(404);
    expect((await photo(rec.documentId, 'front', await fx.jpeg(), 'x.jpg', '')).status).toBe(403);
    expect((await get(rec.documentId)).body.data.photos).toEqual([]);
  });

  it('names a missing file and unknown fields', async () => {
    const rec = await newRecord();
    const noFile = await putMultipart(`${strapi.url}/api/eas/records/${rec.documentId}/photos/front`, staff.jwt, null, {
      originalSha256: 'a'.repeat(64),
    });
    expect(noFile.status).toBe(400);
    expect(noFile.body.error.message).toMatch(/file: attach the image/);
    const extra = await putMultipart(
      `${strapi.url}/api/eas/records/${rec.documentId}/photos/front`,
      staff.jwt,
      { buffer: await fx.jpeg(), filename: 'a.jpg' },
      {
        originalSha256: 'a'.repeat(64),
        owner: '1',
      }
    );
    expect(extra.status).toBe(400);
    expect(extra.body.error.message).toMatch(/owner: unknown field/);
    const side = await photo(rec.documentId, 'left', await fx.jpeg());
    expect(side.status).toBe(400);
  });
});
