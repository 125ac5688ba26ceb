#!/usr/bin/env node
// `npm run verify`: re-checks every record, every evidence file and the whole audit chain against what EAS recorded
// (services/integrity.ts, the same check as the periodic sweep), prints a report and exits 1 on any finding, so it
// can run from cron or a monitoring job. `-- --json` prints the report as JSON. Uses the configured database and
// evidence store (cms/.env or the environment), like `npm start`.
import { createRequire } from 'node:module';
import path from 'node:path';
import { buildAll } from './build.mjs';
import { CMS, ensureSecrets, loadRootEnv, log } from './lib.mjs';

const json = process.argv.includes('--json');
loadRootEnv();
try {
  if (process.env.NODE_ENV !== 'production') ensureSecrets();
  await buildAll({ quiet: json });
} catch (err) {
  log(err.message);
  process.exit(2);
}

// With --json, stdout carries the report only: Strapi's own log lines go to stderr.
const print = process.stdout.write.bind(process.stdout);
if (json) process.stdout.write = process.stderr.write.bind(process.stderr);

// Strapi reads cms/.env when it is first required, relative to the working directory.
// A one-off command, not a server: it takes no background jobs (cms/config/plugins.ts).
process.env.EAS_PROCESS_ROLE = 'tool';
process.chdir(CMS);
const require = createRequire(path.join(CMS, 'package.json'));
const { createStrapi } = require('@strapi/strapi');
const app = await createStrapi({ appDir: CMS, distDir: path.join(CMS, 'dist'), logger: { level: 'error' } }).load();
let code;
try {
  const report = await app.plugin('eas').service('integrity').sweep();
  const problems = report.alteredCount + report.chain.breaks.length + report.chain.checkpointProblems.length;
  code = problems ? 1 : 0;
  if (json) print(`${JSON.stringify(report, null, 2)}\n`);
  else {
    const mb = (report.bytes / 1048576).toFixed(1);
    const lines = [
      `EAS integrity report — ${report.finishedAt}`,
      `records checked: ${report.records} (${report.files} files, ${mb} MB re-hashed)${report.unrecorded ? `; ${report.unrecorded} from before the audit chain (not covered)` : ''}`,
      `audit chain: ${report.chain.entries} entries${report.chain.head ? `, head ${report.chain.head.seq} ${report.chain.head.hash}` : ''}, ${report.chain.checkpoints} signed checkpoint(s)`,
      `altered records: ${report.alteredCount || 'none'}`,
      ...report.altered.map((r) => `  ${r.reference}: ${r.findings.map((f) => `${f.part} (${f.problem})`).join(', ')}`),
      `audit-chain breaks: ${report.chain.breaks.length ? report.chain.breaks.map((b) => `at ${b.seq} (${b.problem})`).join(', ') : 'none'}`,
      `checkpoint problems: ${report.chain.checkpointProblems.length ? report.chain.checkpointProblems.map((p) => `at ${p.seq} (${p.problem})`).join(', ') : 'none'}`,
      problems
        ? 'RESULT: ALTERED — investigate before relying on the records listed above'
        : 'RESULT: everything matches what EAS recorded',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
} catch (err) {
  log(`verify failed: ${err.message}`);
  code = 2;
} finally {
  await app.destroy();
}
process.exit(code);
