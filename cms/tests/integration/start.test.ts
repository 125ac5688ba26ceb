import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const START = path.resolve(__dirname, '../../../scripts/start.mjs');

describe('npm start in production', () => {
  it('refuses to start without its secrets and names each missing one', async () => {
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      NODE_ENV: 'production',
      ENV_PATH: '/nonexistent/eas.env',
    };
    for (const name of ['APP_KEYS', 'API_TOKEN_SALT', 'ADMIN_JWT_SECRET', 'JWT_SECRET', 'TRANSFER_TOKEN_SALT', 'ENCRYPTION_KEY'])
      delete env[name];
    env.JWT_SECRET = 'set-by-the-operator';
    const result = await exec(process.execPath, [START], { env, timeout: 30_000 }).then(
      () => ({ code: 0, out: '' }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr })
    );
    expect(result.code).toBe(1);
    expect(result.out).toMatch(
      /Missing required secrets for production: APP_KEYS, API_TOKEN_SALT, ADMIN_JWT_SECRET, TRANSFER_TOKEN_SALT, ENCRYPTION_KEY/
    );
    expect(result.out).not.toMatch(/[^_]JWT_SECRET/);
  });
});
