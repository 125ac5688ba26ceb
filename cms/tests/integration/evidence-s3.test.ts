import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fx from '../../src/plugins/eas/server/src/utils/__tests__/image-fixtures';
import {
  createAndPublishForm,
  createFieldStaff,
  freePort,
  http,
  putMultipart,
  registerAdmin,
  startStrapi,
  type StrapiInstance,
} from '../harness';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const BUCKET = 'eas-evidence';

/** Lists the object keys in s3rver's bucket folder (s3rver stores each object as <key>._S3rver_object). */
const objectsIn = (dir: string) =>
  fs.existsSync(path.join(dir, BUCKET))
    ? (fs.readdirSync(path.join(dir, BUCKET), { recursive: true }) as string[])
        .filter((f) => f.endsWith('._S3rver_object'))
        .map((f) => f.replace('._S3rver_object', '').split(path.sep).join('/'))
    : [];

describe('evidence on S3 (s3rver, a real S3 wire-protocol server on 127.0.0.1)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eas-s3-'));
  let s3: S3rver;
  let strapi: StrapiInstance;
  let staff: Awaited<ReturnType<typeof createFieldStaff>>;
  let admin: Awaited<ReturnType<typeof registerAdmin>>;
  let endpoint: string;

  beforeAll(async () => {
    const port = await freePort();
    s3 = new S3rver({ port, address: '127.0.0.1', directory: dir, silent: true, configureBuckets: [{ name: BUCKET, configs: [] }] });
    await s3.run();
    endpoint = `http://127.0.0.1:${port}`;
    strapi = await startStrapi({
      env: {
        S3_BUCKET: BUCKET,
        S3_ENDPOINT: endpoint,
        S3_REGION: 'us-east-1',
        S3_FORCE_PATH_STYLE: 'true',
        S3_ACCESS_KEY_ID: 'S3RVER',
        S3_SECRET_ACCESS_KEY: 'S3RVER',
      },
    });
    admin = await registerAdmin(strapi.url);
    staff = await createFieldStaff(strapi.url, admin.token);
    await createAndPublishForm(strapi.url, admin.token, {
      name: 'S3 form',
      slug: 's3-form',
      fields: [],
      frontPhoto: { enabled: true, required: true },
      backPhoto: { enabled: false },
      signatures: [],
    });
  });

  afterAll(async () => {
    await strapi?.stop();
    await s3?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stores photos under the private evidence prefix of the bucket, outside the Media Library, served through signed EAS URLs', async () => {
    const rec = await http(`${strapi.url}/api/eas/records`, {
      method: 'POST',
      token: staff.jwt,
      json: { clientId: randomUUID(), form: 's3-form', formVersion: 1, data: {}, capturedAt: new Date().toISOString() },
    });
    const id = rec.body.data.documentId;
    const input = await fx.jpeg(1200, 900);
    const put = await putMultipart(
      `${strapi.url}/api/eas/records/${id}/photos/front`,
      staff.jwt,
      { buffer: input, filename: 'front.jpg' },
      { originalSha256: sha(input) }
    );
    expect(put.status).toBe(201);
    expect(put.body.data.status).toBe('draft');
    const photo = put.body.data.photos[0];

    const keys = objectsIn(dir);
    expect(keys).toHaveLength(2); // display copy and thumbnail
    expect(keys.every((k) => /^evidence\/[0-9a-f]{2}\/[0-9a-f]{32}\.jpg$/.test(k))).toBe(true);
    expect((await http(`${strapi.url}/upload/files?pageSize=10`, { token: admin.token })).body.pagination.total).toBe(0);
    // Nothing on the local disk: the bucket is the store.
    expect(fs.existsSync(strapi.env.EAS_EVIDENCE_DIR)).toBe(false);

    const served = await fetch(`${strapi.url}${photo.url}`);
    expect(served.status).toBe(200);
    expect(sha(Buffer.from(await served.arrayBuffer()))).toBe(photo.sha256);

    // The integrity check re-hashes the objects in the bucket.
    const details = await http(`${strapi.url}/eas/records/${id}`, { token: admin.token });
    expect(details.body.data.integrity).toMatchObject({ status: 'intact', filesChecked: 2 });
    const [display] = keys.filter((k) => fs.statSync(path.join(dir, BUCKET, `${k}._S3rver_object`)).size === photo.bytes);
    fs.writeFileSync(path.join(dir, BUCKET, `${display}._S3rver_object`), await fx.png(50, 50));
    const altered = await http(`${strapi.url}/eas/records/${id}`, { token: admin.token });
    expect(altered.body.data.integrity.findings).toEqual([{ part: 'photo:front', problem: 'file' }]);
  });

  it('removes the old objects when a draft’s photo is replaced', async () => {
    await createAndPublishForm(strapi.url, admin.token, {
      name: 'S3 draft form',
      slug: 's3-draft',
      fields: [],
      frontPhoto: { enabled: true, required: true },
      backPhoto: { enabled: true, required: true },
      signatures: [],
    });
    const rec = await http(`${strapi.url}/api/eas/records`, {
      method: 'POST',
      token: staff.jwt,
      json: { clientId: randomUUID(), form: 's3-draft', formVersion: 1, data: {}, capturedAt: new Date().toISOString() },
    });
    const id = rec.body.data.documentId;
    const before = objectsIn(dir).length;
    const first = await fx.jpeg(300, 300);
    await putMultipart(
      `${strapi.url}/api/eas/records/${id}/photos/front`,
      staff.jwt,
      { buffer: first, filename: 'a.jpg' },
      { originalSha256: sha(first) }
    );
    expect(objectsIn(dir).length).toBe(before + 2);
    const second = await fx.png(300, 200);
    const res = await putMultipart(
      `${strapi.url}/api/eas/records/${id}/photos/front`,
      staff.jwt,
      { buffer: second, filename: 'b.png' },
      { originalSha256: sha(second) }
    );
    expect(res.status).toBe(200);
    expect(objectsIn(dir).length).toBe(before + 2);
  });
});
