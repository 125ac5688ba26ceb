import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blurred, recropped, scene } from '../../src/plugins/eas/server/src/utils/__tests__/photo-fixtures';
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

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const CAPTURED = '2026-05-01T10:00:00.000Z';
const PLACE = { lat: 52.52, lng: 13.405 };

describe.each(dbKinds())('photo quality gates on %s', (db) => {
  let strapi: StrapiInstance;
  let admin: Awaited<ReturnType<typeof registerAdmin>>;
  let staff: Awaited<ReturnType<typeof createFieldStaff>>;
  let other: Awaited<ReturnType<typeof createFieldStaff>>;
  let slug: string;
  let original: Buffer;

  const newRecord = async (token = staff.jwt) => {
    const res = await http(`${strapi.url}/api/eas/records`, {
      method: 'POST',
      token,
      json: { clientId: randomUUID(), form: slug, formVersion: 1, data: { note: 'x' }, capturedAt: CAPTURED, location: PLACE },
    });
    expect(res.status).toBe(201);
    return res.body.data as { documentId: string; reference: string };
  };
  const photo = (docId: string, side: string, buffer: Buffer, metadata?: object, token = staff.jwt) =>
    putMultipart(
      `${strapi.url}/api/eas/records/${docId}/photos/${side}`,
      token,
      { buffer, filename: 'p.jpg' },
      {
        originalSha256: sha(buffer),
        ...(metadata ? { metadata: JSON.stringify(metadata) } : {}),
      }
    );
  const details = (docId: string, token = admin.token) => http(`${strapi.url}/eas/records/${docId}`, { token });
  const flagged = (flag: string, token = admin.token) => http(`${strapi.url}/eas/records?photoFlag=${encodeURIComponent(flag)}`, { token });

  beforeAll(async () => {
    strapi = await startStrapi({ db });
    admin = await registerAdmin(strapi.url);
    staff = await createFieldStaff(strapi.url, admin.token);
    other = await createFieldStaff(strapi.url, admin.token);
    slug = `pq-${Math.random().toString(36).slice(2, 8)}`;
    await createAndPublishForm(strapi.url, admin.token, {
      name: `Quality ${slug}`,
      slug,
      fields: [{ key: 'note', label: 'Note', type: 'text', required: false }],
      frontPhoto: { enabled: true, required: true, label: 'Site', minWidth: 1024, minHeight: 768 },
      backPhoto: { enabled: true, required: false, label: 'Detail', allowOverride: false },
    });
    original = await scene(0);
  });

  afterAll(async () => {
    await strapi?.stop();
  });

  it('stores the measures and no flags for a good photo taken where and when the record says', async () => {
    const rec = await newRecord();
    const res = await photo(rec.documentId, 'front', original, {
      takenAt: '2026-05-01T10:05:00.000Z',
      gps: { lat: 52.5201, lng: 13.4051 },
    });
    expect(res.status).toBe(201);
    const q = res.body.data.photos[0].quality;
    expect(q.flags).toEqual([]);
    expect(q.measures).toMatchObject({ width: 1600, height: 1200 });
    expect(q.measures.sharpness).toBeGreaterThan(60);
  });

  it('flags a blurred photo with EXIF an hour and 5 km off, and records the override the person chose', async () => {
    const rec = await newRecord();
    // Another scene: a blurred copy of `original` would also be its near-duplicate.
    const res = await photo(rec.documentId, 'front', await blurred(await scene(20)), {
      takenAt: '2026-05-01T11:00:00.000Z',
      gps: { lat: 52.565, lng: 13.405 },
      qualityOverride: ['blurred'],
    });
    expect(res.status).toBe(201);
    const d = await details(rec.documentId);
    expect(d.status).toBe(200);
    expect(d.body.data.photos[0].quality).toMatchObject({ flags: ['blurred', 'time_mismatch', 'gps_mismatch'], overridden: ['blurred'] });
  });

  it('refuses an override naming an unknown warning with a 400 naming the field', async () => {
    const rec = await newRecord();
    const res = await photo(rec.documentId, 'front', original, { qualityOverride: ['looks_fine'] });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.error)).toContain('qualityOverride');
  });

  it('flags a cropped, re-encoded copy submitted for another record and the back photo that repeats the front', async () => {
    const first = await newRecord();
    const unique = await scene(40);
    expect((await photo(first.documentId, 'front', unique)).status).toBe(201);
    const second = await newRecord(other.jwt);
    const copy = await photo(second.documentId, 'front', await recropped(unique), undefined, other.jwt);
    expect(copy.status).toBe(201);
    // The person who sent the copy sees the flag, not which record holds the original.
    expect(copy.body.data.photos[0].quality).toMatchObject({ flags: ['duplicate_of_other_record'], duplicateOf: [] });
    const d = await details(second.documentId);
    expect(d.body.data.photos[0].quality.duplicateOf).toContain(first.reference);

    const back = await photo(first.documentId, 'back', await recropped(unique));
    expect(back.status).toBe(201);
    expect(back.body.data.photos.find((p: { side: string }) => p.side === 'back').quality.flags).toContain('same_as_other_side');
  });

  it('lets editors filter records by flag, refuses an unknown flag, and is closed to field staff', async () => {
    const rec = await newRecord();
    await photo(rec.documentId, 'front', await blurred(original));
    const res = await flagged('blurred');
    expect(res.status).toBe(200);
    const refs = res.body.data.map((r: { reference: string }) => r.reference);
    expect(refs).toContain(rec.reference);
    expect(res.body.data.every((r: { photos: { flags: string[] }[] }) => r.photos.some((p) => p.flags.includes('blurred')))).toBe(true);
    expect((await flagged('gps_mismatch')).body.data.map((r: { reference: string }) => r.reference)).not.toContain(rec.reference);
    const bad = await flagged('blurry');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error)).toContain('photoFlag');
    // Field staff's token is no admin token; Strapi's default Editor role lacks plugin::eas.read.
    expect((await flagged('blurred', staff.jwt)).status).toBe(401);
    const editor = await createEditor(strapi.url, admin.token, 'Editor');
    expect((await flagged('blurred', editor.token)).status).toBe(403);
  });
});
