/**
 * Evidence files left behind by a failed upload (stored, but never linked to a record because the database went away
 * before the cleanup could run) are personal data: they are removed after EAS_ORPHAN_MINUTES, and nothing a record
 * points at is ever touched.
 *
 * The orphan is made the way a failed upload leaves it — an evidence-file row and its bytes in the private store,
 * linked to no photo or signature — by copying a real evidence file in the SQLite database and on disk.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fx from '../../src/plugins/eas/server/src/utils/__tests__/image-fixtures';
import { createAndPublishForm, createFieldStaff, http, putMultipart, registerAdmin, startStrapi, type StrapiInstance } from '../harness';

describe('evidence files of failed uploads', () => {
  let strapi: StrapiInstance;
  let staff: Awaited<ReturnType<typeof createFieldStaff>>;

  beforeAll(async () => {
    // 0.05 minutes: orphans older than 3 s go, swept every 1.5 s.
    strapi = await startStrapi({ env: { EAS_ORPHAN_MINUTES: '0.05' } });
    const admin = await registerAdmin(strapi.url);
    staff = await createFieldStaff(strapi.url, admin.token);
    await createAndPublishForm(strapi.url, admin.token, {
      name: 'Orphans',
      slug: 'orphans',
      fields: [{ key: 'note', label: 'Note', type: 'text' }],
      frontPhoto: { enabled: true, required: false },
      backPhoto: { enabled: false },
      signatures: [],
    });
  });

  afterAll(async () => {
    await strapi?.stop();
  });

  it('are removed once they are old enough, while the files records point at stay served', async () => {
    const rec = await http(`${strapi.url}/api/eas/records`, {
      method: 'POST',
      token: staff.jwt,
      json: { clientId: randomUUID(), form: 'orphans', formVersion: 1, data: { note: 'x' }, capturedAt: new Date().toISOString() },
    });
    const jpeg = await fx.jpeg();
    const put = await putMultipart(
      `${strapi.url}/api/eas/records/${rec.body.data.documentId}/photos/front`,
      staff.jwt,
      { buffer: jpeg, filename: 'front.jpg' },
      {
        originalSha256: createHash('sha256').update(jpeg).digest('hex'),
      }
    );
    expect(put.status).toBe(201);
    const linkedUrl = put.body.data.photos[0].url as string;
    const linkedId = Number(new URL(linkedUrl, strapi.url).pathname.split('/').pop());

    const db = new Database(strapi.env.DATABASE_FILENAME);
    const root = strapi.env.EAS_EVIDENCE_DIR;
    const id = randomBytes(16).toString('hex');
    const orphanKey = `${id.slice(0, 2)}/${id}.jpg`;
    try {
      const linked = db.prepare('select storage_key from eas_evidence_files where id = ?').get(linkedId) as { storage_key: string };
      fs.mkdirSync(path.dirname(path.join(root, orphanKey)), { recursive: true });
      fs.copyFileSync(path.join(root, linked.storage_key), path.join(root, orphanKey));
      db.prepare(
        `insert into eas_evidence_files (document_id, storage_key, purpose, mime, bytes, width, height, sha_256, created_at, updated_at, published_at)
         select ?, ?, purpose, mime, bytes, width, height, sha_256, created_at, updated_at, published_at from eas_evidence_files where id = ?`
      ).run(randomBytes(12).toString('hex'), orphanKey, linkedId);
      const orphanFile = path.join(root, orphanKey);
      expect(fs.existsSync(orphanFile)).toBe(true);

      const deadline = Date.now() + 20_000;
      const orphanRow = () => db.prepare('select 1 from eas_evidence_files where storage_key = ?').get(orphanKey);
      while (Date.now() < deadline && (fs.existsSync(orphanFile) || orphanRow())) {
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(orphanRow()).toBeUndefined();
      expect(fs.existsSync(orphanFile)).toBe(false);

      // What the record points at is untouched: the photo and its thumbnail are still served.
      expect(db.prepare('select count(*) as n from eas_evidence_files where id = ?').get(linkedId)).toEqual({ n: 1 });
      expect((await fetch(`${strapi.url}${linkedUrl}`)).status).toBe(200);
      expect((await fetch(`${strapi.url}${put.body.data.photos[0].thumbnailUrl}`)).status).toBe(200);
      expect(strapi.logs()).toContain('removed 1 evidence file(s) left behind by failed uploads');
    } finally {
      db.close();
    }
  }, 60_000);
});
