#!/usr/bin/env node
// `npm run seed`: loads demo content into the embedded (or configured) database — one published example form and
// one field-staff user whose generated password is printed once. `--reset-password` prints a new one.
// Refuses to run with NODE_ENV=production.
import { createRequire } from 'node:module';
import path from 'node:path';
import { buildAll } from './build.mjs';
import { CMS, ensureSecrets, log } from './lib.mjs';

if (process.env.NODE_ENV === 'production') {
  log('refusing to create demo content with NODE_ENV=production');
  process.exit(1);
}

ensureSecrets();
await buildAll();

// Strapi reads cms/.env when it is first required, relative to the working directory.
// A one-off command, not a server: it takes no background jobs (cms/config/plugins.ts).
process.env.EAS_PROCESS_ROLE = 'tool';
process.chdir(CMS);
const require = createRequire(path.join(CMS, 'package.json'));
const { createStrapi } = require('@strapi/strapi');
const app = await createStrapi({ appDir: CMS, distDir: path.join(CMS, 'dist'), logger: { level: 'warn' } }).load();
let code = 0;
try {
  await app.plugin('eas').service('setup').afterPluginsBootstrap();
  const result = await app
    .plugin('eas')
    .service('demo')
    .seed({ resetPassword: process.argv.includes('--reset-password') });
  log(`demo form "${result.form}" ${result.formCreated ? 'created and published' : 'already there'}`);
  if (result.password) {
    log(`field-staff user: ${result.username}   password: ${result.password}`);
    log('this password is shown once; run `npm run seed -- --reset-password` for a new one');
  } else {
    log(`field-staff user "${result.username}" already exists (run \`npm run seed -- --reset-password\` for a new password)`);
  }
} catch (err) {
  log(`seed failed: ${err.message}`);
  code = 1;
} finally {
  await app.destroy();
}
process.exit(code);
