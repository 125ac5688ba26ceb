#!/usr/bin/env node
// `npm start`: EAS on the embedded defaults (SQLite, local media) or on what the environment configures.
// Generates development secrets once, builds what is missing, then runs Strapi as this process's child.
import { spawn } from 'node:child_process';
import { buildAll } from './build.mjs';
import { CMS, bin, ensureSecrets, loadRootEnv, log } from './lib.mjs';

loadRootEnv();
try {
  const generated = ensureSecrets();
  if (generated.length) log(`generated development secrets in cms/.env: ${generated.join(', ')}`);
  await buildAll();
} catch (err) {
  log(err.message);
  process.exit(1);
}

const host = process.env.HOST ?? '127.0.0.1';
const port = process.env.PORT ?? '1337';
const origin = process.env.PUBLIC_URL || `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
log(`starting Strapi — capture site ${origin}/  ·  admin ${origin}/admin  ·  stop with Ctrl+C`);

const child = spawn(process.execPath, [bin.strapi, 'start'], {
  cwd: CMS,
  stdio: 'inherit',
  env: { STRAPI_TELEMETRY_DISABLED: 'true', ...process.env },
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
