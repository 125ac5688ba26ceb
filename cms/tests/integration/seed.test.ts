import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { http, startStrapi, type StrapiInstance } from '../harness';

const exec = promisify(execFile);
const SEED = path.resolve(__dirname, '../../../scripts/seed.mjs');

const seed = (env: Record<string, string>, args: string[] = []) =>
  exec(process.execPath, [SEED, ...args], { env: { ...process.env, DATABASE_URL: '', ...env }, timeout: 120_000 }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr })
  );

describe('npm run seed (first run for a newcomer)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eas-seed-'));
  const file = path.join(dir, 'data.db');
  let strapi: StrapiInstance | undefined;

  afterAll(async () => {
    await strapi?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses to create demo accounts in production', async () => {
    const res = await seed({ NODE_ENV: 'production', DATABASE_FILENAME: file });
    expect(res.code).not.toBe(0);
    expect(res.out).toMatch(/refusing to create demo content with NODE_ENV=production/);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('creates a published example form and a field-staff user whose password is printed once', async () => {
    const first = await seed({ NODE_ENV: 'development', DATABASE_FILENAME: file });
    expect(first.code, first.out).toBe(0);
    const password = first.out.match(/field-staff user: field\.demo\s+password: (\S+)/)?.[1];
    expect(password).toBeTruthy();

    const again = await seed({ NODE_ENV: 'development', DATABASE_FILENAME: file });
    expect(again.code, again.out).toBe(0);
    expect(again.out).toMatch(/"field\.demo" already exists/);
    expect(again.out).not.toContain(password!);

    strapi = await startStrapi({ sqliteFile: file });
    const login = await http(`${strapi.url}/api/auth/local`, {
      method: 'POST',
      json: { identifier: 'field.demo', password },
    });
    expect(login.status).toBe(200);
    const forms = await http(`${strapi.url}/api/eas/forms`, { token: login.body.jwt });
    expect(forms.status).toBe(200);
    const demo = forms.body.data.find((f: { slug: string }) => f.slug === 'site-inspection');
    expect(demo).toMatchObject({ name: 'Site inspection', version: 1 });
    expect(demo.definition.photos.map((p: { side: string }) => p.side)).toEqual(['front', 'back']);
    expect(demo.definition.signatures[0].role).toBe('Site manager');
  }, 180_000);
});
