#!/usr/bin/env node
// Builds what is missing or stale: the plugin's server code (tsc), the Strapi app and admin (strapi build), and
// the capture site (astro build). `npm run build` passes --force to rebuild everything.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CMS, PLUGIN, SITE, bin, buildIfStale, log, run } from './lib.mjs';

const SHARED = path.join(PLUGIN, 'shared');

export const targets = [
  {
    name: 'plugin server (tsc)',
    inputs: [path.join(PLUGIN, 'server'), SHARED, path.join(PLUGIN, 'tsconfig.server.json'), path.join(PLUGIN, 'package.json')],
    output: path.join(PLUGIN, 'dist'),
    build: (stdio) => {
      // A clean output: files of removed sources must not linger in dist.
      fs.rmSync(path.join(PLUGIN, 'dist'), { recursive: true, force: true });
      return run(process.execPath, [bin.tsc, '-p', path.join(PLUGIN, 'tsconfig.server.json')], { cwd: PLUGIN, stdio });
    },
  },
  {
    name: 'cms app and admin (strapi build)',
    inputs: [
      path.join(CMS, 'config'),
      path.join(CMS, 'src/index.ts'),
      path.join(CMS, 'src/admin'),
      path.join(CMS, 'src/components'),
      path.join(CMS, 'src/middlewares'),
      path.join(CMS, 'src/extensions'),
      path.join(PLUGIN, 'admin'),
      SHARED,
      path.join(PLUGIN, 'package.json'),
      path.join(CMS, 'package.json'),
      path.join(CMS, 'tsconfig.json'),
    ],
    output: path.join(CMS, 'dist/build/index.html'),
    stampDir: path.join(CMS, 'dist'),
    build: (stdio) =>
      run(process.execPath, [bin.strapi, 'build', '--minify'], {
        cwd: CMS,
        stdio,
        env: { ...process.env, NODE_ENV: 'production', STRAPI_TELEMETRY_DISABLED: 'true' },
      }),
  },
  {
    name: 'capture site (astro build)',
    inputs: [
      path.join(SITE, 'src'),
      path.join(SITE, 'public'),
      path.join(SITE, 'astro.config.mjs'),
      path.join(SITE, 'package.json'),
      SHARED,
    ],
    output: path.join(SITE, 'dist/index.html'),
    stampDir: path.join(SITE, 'dist'),
    build: (stdio) =>
      run(process.execPath, [bin.astro, 'build'], {
        cwd: SITE,
        stdio,
        env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
      }),
  },
];

/** `quiet`: everything the build prints goes to stderr (for commands whose stdout is data, such as `verify --json`). */
export const buildAll = async ({ force = false, quiet = false } = {}) => {
  const stdout = process.stdout.write.bind(process.stdout);
  if (quiet) process.stdout.write = process.stderr.write.bind(process.stderr);
  try {
    for (const target of targets) await buildIfStale({ ...target, force, stdio: quiet ? ['ignore', 2, 2] : 'inherit' });
  } finally {
    process.stdout.write = stdout;
  }
};

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  buildAll({ force: process.argv.includes('--force') }).catch((err) => {
    log(`build failed: ${err.message}`);
    process.exit(1);
  });
}
