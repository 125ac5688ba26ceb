import { execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import * as fx from '../../src/plugins/eas/server/src/utils/__tests__/image-fixtures';
import { createAndPublishForm, createFieldStaff, http, putMultipart, registerAdmin, servicesRequired, startStrapi } from '../harness';

const exec = promisify(execFile);
const ROOT = path.resolve(__dirname, '../../..');
const run = (script: string, args: string[], env: Record<string, string>) =>
  exec('bash', [path.join(ROOT, 'database', script), ...args], { env: { ...process.env, ...env }, timeout: 120_000 }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr })
  );
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const withDb = (url: string, name: string) => Object.assign(new URL(url), { pathname: `/${name}` }).toString();

const enabled = Boolean(process.env.DATABASE_URL);
if (!enabled && servicesRequired()) throw new Error('EAS_REQUIRE_SERVICES=1 but DATABASE_URL is not set');

describe.skipIf(!enabled)('backup and restore drill (real PostgreSQL)', () => {
  it(
    'restores records and evidence into a fresh database with identical rows, file hashes and a chain that verifies',
    { timeout: 240_000 },
    async () => {
      const strapi = await startStrapi({ db: 'postgres' });
      const backups = fs.mkdtempSync(path.join(os.tmpdir(), 'eas-backups-'));
      const restoredMedia = fs.mkdtempSync(path.join(os.tmpdir(), 'eas-media-'));
      const restoredEvidence = fs.mkdtempSync(path.join(os.tmpdir(), 'eas-evidence-'));
      const target = `eas_restore_${Date.now().toString(36)}`;
      const adminUrl = process.env.DATABASE_URL!;
      const counts = async (url: string) => {
        const c = new pg.Client({ connectionString: url });
        c.on('error', () => undefined);
        await c.connect();
        try {
          const out: Record<string, number> = {};
          for (const t of [
            'eas_records',
            'eas_photos',
            'eas_signatures',
            'eas_audit_log',
            'eas_audit_checkpoints',
            'eas_evidence_files',
            'eas_form_versions',
            'up_users',
            'admin_users',
          ]) {
            out[t] = Number((await c.query(`select count(*) from ${t}`)).rows[0].count);
          }
          const photos = (
            await c.query(
              `select p.sha_256 as sha256, f.storage_key as key from eas_photos p join eas_photos_file_lnk l on l.photo_id = p.id join eas_evidence_files f on f.id = l.evidence_file_id`
            )
          ).rows as { sha256: string; key: string }[];
          return { out, photos };
        } finally {
          await c.end();
        }
      };
      try {
        const admin = await registerAdmin(strapi.url);
        const staff = await createFieldStaff(strapi.url, admin.token);
        await createAndPublishForm(strapi.url, admin.token, {
          name: 'Drill',
          slug: 'drill',
          fields: [{ key: 'n', label: 'N', type: 'number' }],
          frontPhoto: { enabled: true, required: true },
          backPhoto: { enabled: false },
          signatures: [],
        });
        for (let i = 0; i < 3; i++) {
          const rec = await http(`${strapi.url}/api/eas/records`, {
            method: 'POST',
            token: staff.jwt,
            json: { clientId: randomUUID(), form: 'drill', formVersion: 1, data: { n: i }, capturedAt: new Date().toISOString() },
          });
          const img = await fx.jpeg(300 + i, 200);
          const up = await putMultipart(
            `${strapi.url}/api/eas/records/${rec.body.data.documentId}/photos/front`,
            staff.jwt,
            { buffer: img, filename: 'f.jpg' },
            { originalSha256: sha(img) }
          );
          expect(up.status).toBe(201);
        }
        const before = await counts(strapi.env.DATABASE_URL);
        expect(before.out.eas_photos).toBe(3);

        // Old backups to be pruned, a recent one to keep.
        const old = path.join(backups, 'eas-db-20000101T000000Z.dump');
        const recent = path.join(backups, 'eas-db-recent.dump');
        fs.writeFileSync(old, 'old');
        fs.writeFileSync(recent, 'recent');
        const fortyDaysAgo = new Date(Date.now() - 40 * 86_400_000);
        fs.utimesSync(old, fortyDaysAgo, fortyDaysAgo);

        const backup = await run('backup.sh', [], {
          DATABASE_URL: strapi.env.DATABASE_URL,
          BACKUP_DIR: backups,
          BACKUP_RETENTION_DAYS: '30',
          EVIDENCE_DIR: strapi.env.EAS_EVIDENCE_DIR,
        });
        expect(backup.code, backup.out).toBe(0);
        expect(fs.existsSync(old)).toBe(false);
        expect(fs.existsSync(recent)).toBe(true);
        expect(backup.out).toMatch(/removed 1 backup file/);
        const dump = fs.readdirSync(backups).find((f) => /^eas-db-\d{8}T\d{6}Z\.dump$/.test(f))!;
        const media = fs.readdirSync(backups).find((f) => /^eas-media-.*\.tar\.gz$/.test(f))!;
        const evidence = fs.readdirSync(backups).find((f) => /^eas-evidence-.*\.tar\.gz$/.test(f))!;
        expect(dump && media && evidence).toBeTruthy();
        // Personal data: the evidence archive is readable by its owner only.
        expect(fs.statSync(path.join(backups, evidence)).mode & 0o077).toBe(0);

        const c = new pg.Client({ connectionString: adminUrl });
        await c.connect();
        await c.query(`CREATE DATABASE "${target}"`);
        await c.end();
        const restore = await run('restore.sh', [path.join(backups, dump), path.join(backups, media), path.join(backups, evidence)], {
          DATABASE_URL: withDb(adminUrl, target),
          MEDIA_DIR: restoredMedia,
          EVIDENCE_DIR: restoredEvidence,
        });
        expect(restore.code, restore.out).toBe(0);

        const after = await counts(withDb(adminUrl, target));
        expect(after.out).toEqual(before.out);
        expect(after.photos).toHaveLength(3);
        for (const p of after.photos) {
          expect(sha(fs.readFileSync(path.join(restoredEvidence, p.key)))).toBe(p.sha256);
        }
        // EAS on the restored database and evidence, with the same signing key, finds every record intact.
        const restored = await startStrapi({
          db: 'postgres',
          env: {
            DATABASE_URL: withDb(adminUrl, target),
            EAS_EVIDENCE_DIR: restoredEvidence,
            EAS_SIGNING_KEY: strapi.env.EAS_SIGNING_KEY,
            APP_KEYS: strapi.env.APP_KEYS,
          },
        });
        try {
          const token = (
            await http(`${restored.url}/admin/login`, { method: 'POST', json: { email: admin.email, password: admin.password } })
          ).body.data.token;
          const list = await http(`${restored.url}/content-manager/collection-types/plugin::eas.record?pageSize=10`, { token });
          expect(list.body.results).toHaveLength(3);
          for (const r of list.body.results) {
            const details = await http(`${restored.url}/eas/records/${r.documentId}`, { token });
            expect(details.body.data.integrity).toMatchObject({ status: 'intact', filesChecked: 2 });
          }
        } finally {
          await restored.stop();
        }

        // Restoring over a database that already has tables is refused.
        const again = await run('restore.sh', [path.join(backups, dump)], { DATABASE_URL: withDb(adminUrl, target) });
        expect(again.code).not.toBe(0);
        expect(again.out).toMatch(/not empty/);
      } finally {
        await strapi.stop();
        const c = new pg.Client({ connectionString: adminUrl });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS "${target}" WITH (FORCE)`);
        await c.end();
        fs.rmSync(backups, { recursive: true, force: true });
        fs.rmSync(restoredMedia, { recursive: true, force: true });
        fs.rmSync(restoredEvidence, { recursive: true, force: true });
      }
    }
  );

  it('fails with a message when the database cannot be reached', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eas-backups-'));
    const res = await run('backup.sh', [], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', BACKUP_DIR: dir });
    expect(res.code).not.toBe(0);
    expect(res.out).toMatch(/\[eas-backup\] FAILED/);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.dump'))).toEqual([]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
