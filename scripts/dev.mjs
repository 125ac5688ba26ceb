#!/usr/bin/env node
// `npm run dev`: Strapi in watch mode (admin at :1337/admin, plugin admin live), the plugin's server code compiled
// on change (restart picks it up), and the Astro dev server at :4321 proxying /api to Strapi.
// For browser tests and measurements use the production builds (`npm start`), not this.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { CMS, PLUGIN, SITE, bin, ensureSecrets, log, run } from './lib.mjs';

ensureSecrets();
await run(process.execPath, [bin.tsc, '-p', path.join(PLUGIN, 'tsconfig.server.json')], { cwd: PLUGIN });

const children = [
  spawn(process.execPath, [bin.tsc, '-p', path.join(PLUGIN, 'tsconfig.server.json'), '--watch', '--preserveWatchOutput'], {
    cwd: PLUGIN,
    stdio: 'inherit',
  }),
  spawn(process.execPath, [bin.strapi, 'develop'], {
    cwd: CMS,
    stdio: 'inherit',
    env: { STRAPI_TELEMETRY_DISABLED: 'true', ...process.env },
  }),
  spawn(process.execPath, [bin.astro, 'dev', '--port', '4321'], {
    cwd: SITE,
    stdio: 'inherit',
    env: { ASTRO_TELEMETRY_DISABLED: '1', ...process.env },
  }),
];
log('dev: admin http://127.0.0.1:1337/admin · site http://127.0.0.1:4321/ (API proxied to :1337)');

const stop = (signal) => {
  for (const child of children) child.kill(signal);
};
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stop(signal));
for (const child of children)
  child.on('exit', (code) => {
    stop('SIGTERM');
    process.exitCode = code ?? 0;
  });
