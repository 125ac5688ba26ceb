#!/usr/bin/env node
// `npm test`: unit tests of every workspace, then (on fresh builds) integration tests that boot a real Strapi on
// SQLite and — when DATABASE_URL is set — PostgreSQL, then the Playwright journeys in real Chromium.
// `npm test -- unit|integration|e2e` runs a subset. Ends with one summary line: "N passed, N failed".
import fs from 'node:fs';
import path from 'node:path';
import { buildAll } from './build.mjs';
import { CMS, E2E, ROOT, bin, log, run } from './lib.mjs';

const ALL = ['unit', 'integration', 'e2e'];
const requested = process.argv.slice(2).filter((a) => ALL.includes(a));
const phases = requested.length ? requested : ALL;
// EAS_TEST_RESULTS_DIR: somewhere else (scripts/node24.mjs keeps the main run's results apart from its own).
const RESULTS = path.resolve(ROOT, process.env.EAS_TEST_RESULTS_DIR ?? 'test-results');
fs.mkdirSync(RESULTS, { recursive: true });

const readJson = (file) => {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
};

// The failing tests by name, so that the last lines of a CI log say which test broke (CI keeps only the tail).
const vitestFailures = (file) =>
  (readJson(file)?.testResults ?? []).flatMap((f) =>
    (f.assertionResults ?? [])
      .filter((t) => t.status === 'failed')
      .map(
        (t) =>
          `${path.relative(ROOT, f.name)} › ${t.fullName}: ${String(t.failureMessages?.[0] ?? '')
            .split('\n')[0]
            .slice(0, 300)}`
      )
      .concat(
        f.status === 'failed' && !(f.assertionResults ?? []).length
          ? [`${path.relative(ROOT, f.name)}: ${String(f.message).split('\n')[0]}`]
          : []
      )
  );

const playwrightFailures = (file) => {
  const out = [];
  const walk = (suite, titles) => {
    for (const s of suite.suites ?? []) walk(s, [...titles, s.title]);
    for (const spec of suite.specs ?? [])
      for (const t of spec.tests ?? [])
        if (t.status === 'unexpected') {
          const error = t.results?.at(-1)?.error?.message ?? '';
          out.push(`${[...titles, spec.title].filter(Boolean).join(' › ')}: ${error.split('\n')[0].slice(0, 300)}`);
        }
  };
  const r = readJson(file);
  if (r) walk(r, []);
  return out;
};

const vitestCounts = (file) => {
  const r = readJson(file);
  return r ? { passed: r.numPassedTests, failed: r.numFailedTests, skipped: r.numPendingTests + (r.numTodoTests ?? 0) } : null;
};

const playwrightCounts = (file) => {
  const r = readJson(file);
  return r ? { passed: r.stats.expected + r.stats.flaky, failed: r.stats.unexpected, skipped: r.stats.skipped } : null;
};

const PHASES = {
  unit: {
    results: path.join(RESULTS, 'unit.json'),
    counts: vitestCounts,
    failed: vitestFailures,
    run: (out) => run(process.execPath, [bin.vitest, 'run', '--reporter=default', '--reporter=json', `--outputFile=${out}`], { cwd: ROOT }),
  },
  integration: {
    needsBuild: true,
    results: path.join(RESULTS, 'integration.json'),
    counts: vitestCounts,
    failed: vitestFailures,
    run: (out) =>
      run(
        process.execPath,
        [bin.vitest, 'run', '--config', 'vitest.integration.config.ts', '--reporter=default', '--reporter=json', `--outputFile=${out}`],
        { cwd: CMS }
      ),
  },
  e2e: {
    needsBuild: true,
    results: path.join(E2E, 'test-results/results.json'),
    counts: playwrightCounts,
    failed: playwrightFailures,
    run: () => run(process.execPath, [bin.playwright, 'test'], { cwd: E2E }),
  },
};

const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];
const failedTests = [];
let built = false;

for (const name of phases) {
  const phase = PHASES[name];
  log(`── ${name} tests ──`);
  fs.rmSync(phase.results, { force: true });
  try {
    if (phase.needsBuild && !built) {
      await buildAll();
      built = true;
    }
    await phase.run(phase.results);
  } catch (err) {
    failures.push(`${name}: ${err.message}`);
  }
  const counts = phase.counts(phase.results);
  if (counts) {
    for (const k of Object.keys(totals)) totals[k] += counts[k];
    log(`${name}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
    for (const test of phase.failed(phase.results)) failedTests.push(`${name}: ${test}`);
  } else if (!failures.some((f) => f.startsWith(`${name}:`))) {
    failures.push(`${name}: no results were written`);
  }
}

for (const test of failedTests) log(`FAILED TEST ${test}`);
for (const failure of failures) log(`FAILED ${failure}`);
const failed = totals.failed + (failures.length && totals.failed === 0 ? failures.length : 0);
process.stdout.write(`\nTests: ${totals.passed} passed, ${failed} failed, ${totals.skipped} skipped\n`);
process.exit(failures.length || totals.failed ? 1 : 0);
