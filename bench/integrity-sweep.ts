/**
 * Benchmark (not a test): the integrity sweep (services/integrity.ts) against the floor of hashing the same bytes.
 * Boots a Strapi, creates N submitted records with front and back photos (~2 MP JPEGs, so bytes dominate) and a
 * signature, then per round:
 *  - runs the sweep through `npm run verify -- --json` (scripts/verify.mjs, its own Strapi on the same database and
 *    evidence folder) and times the sweep itself from its report (startedAt → finishedAt: Strapi's boot excluded);
 *  - runs plain `sha256sum` over every file of the instance's evidence folder — exactly the files the sweep
 *    re-hashes — timed with process.hrtime, and `openssl dgst -sha256` over the same files (see FLOORS).
 * Prints records/s and MB/s of each and the ratios (goal: sweep ≥ 0.8× the sha256sum floor), on SQLite and on
 * PostgreSQL when DATABASE_URL is set. Exits non-zero if a record cannot be made, the sweep reports any finding, or the two did not
 * read the same files (count, bytes, and sha256sum's hashes against the ones EAS stored).
 *
 *   npm run bench:integrity -- --records=200 [--rounds=2]
 */
import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { uniqueSignaturePng } from '../cms/src/plugins/eas/server/src/utils/__tests__/image-fixtures';
import { openDb } from '../cms/tests/db-access';
import {
  createAndPublishForm,
  createFieldStaff,
  http,
  putMultipart,
  putSignature,
  registerAdmin,
  startStrapi,
  submitDraft,
  type DbKind,
  type StrapiInstance,
} from '../cms/tests/harness';
import { arg, evidenceFiles, load, runVerify, table, verifyFindings, type VerifyReport } from './lib';

const RECORDS = arg('records', 200);
const ROUNDS = arg('rounds', 2);
const GOAL = 0.8;
const CONSENT = 'I confirm the inspection.';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

/** Photo-like ~2 MP JPEGs (blurred noise compresses like a real scene: ~0.6 MB each), a few distinct ones. */
const photos = async (n: number) =>
  Promise.all(
    Array.from({ length: n }, async (_, i) =>
      sharp(
        await sharp({
          create: { width: 1600, height: 1200, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128 + i, sigma: 40 } },
        })
          .blur(0.8)
          .png()
          .toBuffer()
      )
        .jpeg({ quality: 88 })
        .toBuffer()
    )
  );

/**
 * The floors: hashing the same files and nothing else. `sha256sum` (GNU coreutils; 9.1 here hashes in plain C,
 * without the CPU's SHA instructions) is the goal's reference; `openssl dgst -sha256` hashes with them, as Node's
 * crypto (OpenSSL) does in the sweep, so it is the tighter floor.
 */
const FLOORS = [
  { name: 'sha256sum', command: 'sha256sum', args: ['--'] },
  { name: 'openssl dgst -sha256', command: 'openssl', args: ['dgst', '-sha256', '-r'] },
] as const;

/** One floor over the given files (relative to `cwd`): the hash of each, and the time it took. */
const hashFiles = (floor: (typeof FLOORS)[number], cwd: string, files: string[]) =>
  new Promise<{ hashes: Map<string, string>; seconds: number }>((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(floor.command, [...floor.args, ...files], { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      const elapsed = seconds(t0);
      if (code !== 0) return reject(new Error(`${floor.name} exited ${code}`));
      // "<hash>  <file>" (sha256sum) or "<hash> *<file>" (openssl -r).
      const hashes = new Map(
        out
          .trim()
          .split('\n')
          .map((line) => [line.slice(66), line.slice(0, 64)] as [string, string])
      );
      resolve({ hashes, seconds: elapsed });
    });
  });

/** N submitted records as devices make them: draft, both photos, the signature over that content, submit. */
const makeRecords = async (strapi: StrapiInstance) => {
  const admin = await registerAdmin(strapi.url);
  const staff = await createFieldStaff(strapi.url, admin.token);
  await createAndPublishForm(strapi.url, admin.token, {
    name: 'Bench integrity',
    slug: 'bench-integrity',
    fields: [
      { key: 'site', label: 'Site', type: 'text', required: true },
      { key: 'notes', label: 'Notes', type: 'textarea' },
    ],
    frontPhoto: { enabled: true, required: true, label: 'Front' },
    backPhoto: { enabled: true, required: true, label: 'Back' },
    signatures: [{ key: 'inspector', role: 'Inspector', consentText: CONSENT, required: true }],
  });
  const images = await photos(6);
  const expect = <T extends { status: number; body: unknown }>(i: number, what: string, res: T, ...ok: number[]): T => {
    if (!ok.includes(res.status)) throw new Error(`record ${i}: ${what} answered ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
    return res;
  };
  const made = await load(RECORDS, 3, async (i) => {
    const rec = expect(
      i,
      'create',
      await http(`${strapi.url}/api/eas/records`, {
        method: 'POST',
        token: staff.jwt,
        json: {
          clientId: randomUUID(),
          form: 'bench-integrity',
          formVersion: 1,
          data: { site: `Depot ${i}`, notes: 'Routine visit.' },
          capturedAt: new Date().toISOString(),
        },
      }),
      201
    );
    const id = rec.body.data.documentId as string;
    for (const [side, image] of [
      ['front', images[i % images.length]],
      ['back', images[(i + 3) % images.length]],
    ] as const) {
      expect(
        i,
        `${side} photo`,
        await putMultipart(
          `${strapi.url}/api/eas/records/${id}/photos/${side}`,
          staff.jwt,
          { buffer: image, filename: `${side}.jpg`, type: 'image/jpeg' },
          { originalSha256: sha(image) }
        ),
        201
      );
    }
    expect(
      i,
      'signature',
      await putSignature(strapi.url, staff.jwt, id, 'inspector', {
        png: await uniqueSignaturePng(),
        signerName: `Inspector ${i}`,
        consentText: CONSENT,
      }),
      201
    );
    const submitted = expect(i, 'submit', await submitDraft(strapi.url, staff.jwt, id), 200);
    if (submitted.body.data.status !== 'submitted') throw new Error(`record ${i}: ${submitted.body.data.status} after submit`);
    return 200;
  });
  return made.perSecond;
};

async function run(db: DbKind) {
  // No periodic sweep in the instance itself while the benchmark runs (it would compete for the CPU).
  const strapi = await startStrapi({ db, env: { EAS_INTEGRITY_SWEEP_MINUTES: '0' } });
  try {
    const madePerSecond = await makeRecords(strapi);
    const root = strapi.env.EAS_EVIDENCE_DIR;
    const files = evidenceFiles(root);
    const bytes = files.reduce((a, f) => a + fs.statSync(path.join(root, f)).size, 0);
    const sql = await openDb(strapi);
    const stored = new Map(
      (
        await sql.query<{ storage_key: string; sha_256: string }>(
          'select storage_key, sha_256 from eas_evidence_files where redacted_at is null'
        )
      ).map((r) => [r.storage_key, r.sha_256])
    );
    await sql.close();

    const problems: string[] = [];
    const rounds: { sweep: number; wall: number; floors: Record<string, number> }[] = [];
    let report: VerifyReport | undefined;
    for (let round = 0; round < ROUNDS; round++) {
      const v = await runVerify(strapi);
      report = v.report;
      const sweep = (Date.parse(v.report.finishedAt) - Date.parse(v.report.startedAt)) / 1000;
      const findings = verifyFindings(v);
      if (findings || v.code !== 0) problems.push(`round ${round + 1}: verify exited ${v.code}: ${findings}`);
      const floors: Record<string, number> = {};
      for (const floor of FLOORS) {
        const f = await hashFiles(floor, root, files);
        floors[floor.name] = f.seconds;
        const differs = [...f.hashes].filter(([file, hash]) => stored.get(file) !== hash).length;
        if (differs || f.hashes.size !== stored.size)
          problems.push(
            `round ${round + 1}: ${floor.name} hashed ${f.hashes.size} files, ${differs} of them unlike the ${stored.size} hashes EAS stored`
          );
      }
      rounds.push({ sweep, wall: v.wallSeconds, floors });
    }
    if (report && (report.records !== RECORDS || report.files !== files.length || report.bytes !== bytes)) {
      problems.push(
        `the sweep checked ${report.records} records, ${report.files} files, ${report.bytes} bytes; the folder holds ${files.length} files, ${bytes} bytes for ${RECORDS} records`
      );
    }
    return { db, madePerSecond, files: files.length, bytes, entries: report?.chain.entries ?? 0, rounds, problems };
  } finally {
    await strapi.stop();
  }
}

const main = async () => {
  const kinds: DbKind[] = process.env.DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
  console.log(
    `integrity-sweep: ${RECORDS} submitted records (front + back ~2 MP photo, thumbnails, a signature), ${ROUNDS} round(s), ${kinds.join(' + ')}`
  );
  const rows: Record<string, string | number>[] = [];
  const verdicts: string[] = [];
  const problems: string[] = [];
  for (const db of kinds) {
    const r = await run(db);
    const mb = r.bytes / 1048576;
    console.log(
      `${db}: ${r.files} files, ${mb.toFixed(1)} MB, ${r.entries} audit entries (records made at ${r.madePerSecond.toFixed(1)}/s)`
    );
    r.rounds.forEach((x, i) => {
      rows.push({
        db,
        round: i + 1,
        pass: 'sweep (npm run verify)',
        s: x.sweep,
        'records/s': RECORDS / x.sweep,
        'MB/s': mb / x.sweep,
        'verify wall s (with boot)': x.wall,
      });
      for (const [name, t] of Object.entries(x.floors))
        rows.push({
          db,
          round: i + 1,
          pass: `${name} (floor)`,
          s: t,
          'records/s': RECORDS / t,
          'MB/s': mb / t,
          'verify wall s (with boot)': '',
        });
    });
    // The best round of each: the machine is shared, and noise only ever adds time.
    const best = (times: number[]) => Math.min(...times);
    const sweep = best(r.rounds.map((x) => x.sweep));
    const floor = (name: string) => best(r.rounds.map((x) => x.floors[name]));
    const goalFloor = floor(FLOORS[0].name);
    verdicts.push(
      `${db}: sweep ${(mb / sweep).toFixed(1)} MB/s (${(RECORDS / sweep).toFixed(0)} records/s); ` +
        FLOORS.map((f) => `${f.name} ${(mb / floor(f.name)).toFixed(1)} MB/s → sweep = ${(floor(f.name) / sweep).toFixed(2)}× it`).join(
          '; '
        ) +
        ` (best rounds); goal ≥ ${GOAL}× sha256sum: ${goalFloor / sweep >= GOAL ? 'met' : 'MISSED'}`
    );
    problems.push(...r.problems.map((p) => `${db}: ${p}`));
  }
  const fmt = rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([k, v]) => [k, typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(k === 's' ? 3 : 1) : v])
    )
  );
  console.log(`\n${table(fmt)}\n`);
  for (const v of verdicts) console.log(v);
  if (problems.length) {
    console.log(`\nintegrity-sweep: ${problems.length} problem(s)\n  - ${problems.join('\n  - ')}`);
    process.exitCode = 1;
  }
};

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
