#!/usr/bin/env node
// `npm run worker`: a job worker without HTTP — Strapi loaded (database, plugins, services) but not listening, taking
// background jobs (bulk PDF exports, …) from the Redis queues, so PDF rendering can be scaled apart from the API.
// Needs REDIS_URL and the same database, secrets and evidence store as the HTTP instances (docs/jobs.md).
// `-- --no-build` skips the build check (the tests and benchmarks have built already).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { buildAll } from './build.mjs';
import { CMS, ensureSecrets, loadRootEnv, log } from './lib.mjs';

loadRootEnv();
// Read by cms/config/plugins.ts: no socket.io, workers on whatever EAS_JOB_WORKERS says.
process.env.EAS_PROCESS_ROLE = 'worker';
try {
  if (process.env.NODE_ENV !== 'production') ensureSecrets();
  if (!process.argv.includes('--no-build')) await buildAll();
} catch (err) {
  log(err.message);
  process.exit(2);
}

// Strapi reads cms/.env when it is first required, relative to the working directory.
process.chdir(CMS);
const require = createRequire(path.join(CMS, 'package.json'));
const { createStrapi } = require('@strapi/strapi');
let app;
try {
  // load(): register and bootstrap every plugin, without listen().
  app = await createStrapi({ appDir: CMS, distDir: path.join(CMS, 'dist') }).load();
} catch (err) {
  log(`worker could not start: ${err.message}`);
  process.exit(1);
}
// A heartbeat the container's healthcheck reads (docker-compose.yml): the event loop of this worker still turns.
const heartbeat = path.join(os.tmpdir(), 'eas-worker-heartbeat');
const beat = () => fs.writeFileSync(heartbeat, String(Date.now()));
beat();
setInterval(beat, 10_000).unref();
log(`worker ${process.pid} is taking jobs (stop with Ctrl+C; a job it is running is resumed by another worker)`);

let stopping = false;
const stop = async (signal) => {
  if (stopping) return;
  stopping = true;
  log(`worker ${process.pid}: ${signal}, stopping`);
  const timer = setTimeout(() => process.exit(1), 15_000);
  timer.unref();
  try {
    await app.destroy();
  } finally {
    process.exit(0);
  }
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => void stop(signal));
