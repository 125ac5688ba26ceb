/**
 * Reliability: chaos replay. N submissions (record + front photo + back photo + signature, small images) from D
 * concurrent simulated devices, while a share of requests is sent twice, a share of responses is dropped (the device
 * times out and retries), the Strapi process is killed and restarted once mid-run, and — on a private PostgreSQL, when
 * this machine can run one — the database server is stopped and started once mid-run. Each device does what the
 * capture site does: the draft, both photos, the signature over the content hash it computes itself (the same on
 * every retry), then POST …/submit. At the end every record must exist exactly once, submitted, with the hashes the
 * devices computed and its signature bound to that content; no evidence file of a failed upload may be left behind
 * (eas_evidence_files rows linked from nothing, files in the evidence folder without a row, rows without their bytes);
 * and `npm run verify` must find every record intact and the audit chain unbroken. Prints lost / duplicated /
 * incomplete and exits non-zero unless all are 0, if any answer was a 5xx other than 503 (a clean "retry"), or if a
 * submit was answered 409 although the record was submitted (the capture site would show it as failed).
 *
 *   npm run test:reliability -- --records=1000 --devices=20
 */
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import sharp from 'sharp';
import { contentDocument } from '../cms/src/plugins/eas/shared/integrity';
import { openDb } from '../cms/tests/db-access';
import {
  createAndPublishForm,
  createFieldStaff,
  registerAdmin,
  servicesRequired,
  startStrapi,
  type StrapiInstance,
} from '../cms/tests/harness';
import { privatePostgresUnavailable, startPrivatePostgres, type PrivatePostgres } from '../cms/tests/private-postgres';
import { arg, evidenceFiles, runVerify, serverErrorExcerpts, verifyFindings } from './lib';

const RECORDS = arg('records', 1000);
const DEVICES = arg('devices', 20);
const DUPLICATE_SHARE = 0.1;
const DROP_SHARE = 0.1;
const CONSENT = 'I confirm this record.';
const ORPHAN_SECONDS = 20;

/**
 * Evidence a failed upload can leave behind: rows of eas_evidence_files that no photo, thumbnail or signature links
 * (and that were not redacted), files in the instance's evidence folder that no row names (bytes no sweep would
 * ever find, `.part` files of a write cut short included), and rows whose bytes are not in the folder.
 */
const evidenceLeftovers = async (strapi: StrapiInstance) => {
  const db = await openDb(strapi);
  try {
    const unlinked = await db.query<{ n: number | string }>(
      `select count(*) as n from eas_evidence_files f where f.redacted_at is null
         and not exists (select 1 from eas_photos_file_lnk l where l.evidence_file_id = f.id)
         and not exists (select 1 from eas_photos_thumbnail_lnk l where l.evidence_file_id = f.id)
         and not exists (select 1 from eas_signatures_file_lnk l where l.evidence_file_id = f.id)`
    );
    const keys = new Set(
      (await db.query<{ storage_key: string }>('select storage_key from eas_evidence_files where redacted_at is null')).map(
        (r) => r.storage_key
      )
    );
    const onDisk = new Set(evidenceFiles(strapi.env.EAS_EVIDENCE_DIR));
    return {
      unlinkedRows: Number(unlinked[0].n),
      filesWithoutRow: [...onDisk].filter((f) => !keys.has(f)).length,
      rowsWithoutFile: [...keys].filter((k) => !onDisk.has(k)).length,
    };
  } finally {
    await db.close();
  }
};
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let seed = 42;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const stats = {
  requests: 0,
  duplicated: 0,
  dropped: 0,
  failedAttempts: 0,
  unclean: new Map<number, number>(),
  submitConflicts: [] as string[],
};

const image = (i: number, salt: number) =>
  sharp({ create: { width: 64, height: 48, channels: 3, background: { r: i % 256, g: (i >> 8) % 256, b: salt } } })
    .jpeg({ quality: 80 })
    .toBuffer();
const signature = (i: number) =>
  sharp({ create: { width: 200, height: 80, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
    .composite([
      {
        input: { create: { width: 20 + (i % 150), height: 10, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 1 } } },
        left: 5,
        top: 10 + (Math.floor(i / 150) % 60),
      },
    ]) // a different drawing for each of 9000 records
    .png()
    .toBuffer();

/**
 * One logical request as a flaky network delivers it: sometimes sent twice, sometimes its answer never arrives (the
 * device gives up and tries again), sometimes the server is down. Retries until the server gives an answer.
 */
const reliably = async (send: () => Promise<Response>): Promise<{ status: number; body: any }> => {
  for (let attempt = 0; ; attempt++) {
    try {
      stats.requests++;
      if (random() < DUPLICATE_SHARE) {
        stats.duplicated++;
        stats.requests++;
        void send()
          .then((r) => r.arrayBuffer())
          .catch(() => undefined);
      }
      const res = await send();
      const body = await res.json().catch(() => null);
      if (random() < DROP_SHARE) {
        stats.dropped++;
        throw new Error('response dropped');
      }
      if (res.status >= 500 && res.status !== 503) stats.unclean.set(res.status, (stats.unclean.get(res.status) ?? 0) + 1);
      if (res.status >= 500 || res.status === 429) throw new Error(`server answered ${res.status}`);
      return { status: res.status, body };
    } catch {
      stats.failedAttempts++;
      await new Promise((r) => setTimeout(r, Math.min(2000, 100 * 2 ** Math.min(attempt, 4)) * (0.5 + random())));
    }
  }
};

const main = async () => {
  const started = Date.now();
  // A private PostgreSQL can be restarted for real; otherwise the machine's (DATABASE_URL) or SQLite, without that fault.
  const noPrivateServer = privatePostgresUnavailable();
  if (noPrivateServer && servicesRequired()) throw new Error(`EAS_REQUIRE_SERVICES=1 but ${noPrivateServer}`);
  const db: PrivatePostgres | null = noPrivateServer ? null : await startPrivatePostgres();
  // Files of failed uploads that nothing points at are swept after 20 s here (default 60 min), so the run can check
  // that none are left behind.
  const env = { EAS_ORPHAN_MINUTES: String(ORPHAN_SECONDS / 60) };
  const strapi = await startStrapi(
    db ? { db: 'postgres', postgresUrl: db.url, env } : { db: process.env.DATABASE_URL ? 'postgres' : 'sqlite', env }
  );
  try {
    const admin = await registerAdmin(strapi.url);
    await createAndPublishForm(strapi.url, admin.token, {
      name: 'Chaos',
      slug: 'chaos',
      fields: [{ key: 'n', label: 'N', type: 'number', required: true }],
      frontPhoto: { enabled: true, required: true },
      backPhoto: { enabled: true, required: true },
      signatures: [{ key: 'client', role: 'Client', consentText: CONSENT, required: true }],
    });
    const devices = await Promise.all(Array.from({ length: DEVICES }, () => createFieldStaff(strapi.url, admin.token)));
    const sent: { clientId: string; device: number; front: string; back: string; contentHash: string }[] = [];
    let next = 0;
    let restarted = false;
    let restartMs = 0;
    let dbRestarted = false;
    let dbDownMs = 0;

    const device = async (d: number) => {
      const { jwt } = devices[d];
      const auth = { Authorization: `Bearer ${jwt}` };
      while (next < RECORDS) {
        const i = next++;
        if (!restarted && i >= RECORDS * 0.4) {
          restarted = true;
          const t0 = Date.now();
          // Kill mid-run: requests in flight fail, devices retry until it is back.
          void strapi.restart().then(() => (restartMs = Date.now() - t0));
        }
        if (db && !dbRestarted && i >= RECORDS * 0.7) {
          dbRestarted = true;
          // The database server goes away for 3 s: requests answer 503 and devices retry until it is back.
          void (async () => {
            const t0 = Date.now();
            db.down();
            await new Promise((r) => setTimeout(r, 3000));
            db.up();
            dbDownMs = Date.now() - t0;
          })();
        }
        const clientId = randomUUID();
        const [front, back, sig] = [await image(i, 10), await image(i, 200), await signature(i)];
        const capturedAt = new Date().toISOString();
        // What the signer is shown, hashed on the device as the capture site does (shared/integrity.ts): the data
        // and capture time it sends and the SHA-256 of each photo it sends. Every retry carries the same hash.
        const contentHash = sha(
          Buffer.from(
            contentDocument({
              clientId,
              form: 'chaos',
              formVersion: 1,
              data: { n: i },
              capturedAt,
              location: null,
              photos: [
                { side: 'front', sha256: sha(front) },
                { side: 'back', sha256: sha(back) },
              ],
            })
          )
        );
        sent.push({ clientId, device: d, front: sha(front), back: sha(back), contentHash });
        // A device sends exactly the same body on every retry (its capture time is stored with the draft).
        const body = JSON.stringify({ clientId, form: 'chaos', formVersion: 1, data: { n: i }, capturedAt });
        const created = await reliably(() =>
          fetch(`${strapi.url}/api/eas/records`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body })
        );
        if (created.status !== 200 && created.status !== 201)
          throw new Error(`create ${i}: ${created.status} ${JSON.stringify(created.body)}`);
        const id = created.body.data.documentId;
        for (const [side, bytes] of [
          ['front', front],
          ['back', back],
        ] as const) {
          const res = await reliably(() => {
            const form = new FormData();
            form.set('originalSha256', sha(bytes));
            form.set('file', new Blob([bytes], { type: 'image/jpeg' }), `${side}.jpg`);
            return fetch(`${strapi.url}/api/eas/records/${id}/photos/${side}`, { method: 'PUT', headers: auth, body: form });
          });
          if (res.status !== 200 && res.status !== 201) throw new Error(`${side} ${i}: ${res.status} ${JSON.stringify(res.body)}`);
        }
        const signedAt = new Date().toISOString();
        const signed = await reliably(() => {
          const form = new FormData();
          form.set('strokes', JSON.stringify([{ points: [{ x: 1, y: 1, time: i + 1 }] }])); // one drawing per record: a copy is refused
          form.set('signerName', `Signer ${i}`);
          form.set('consentText', CONSENT);
          form.set('signedAt', signedAt);
          form.set('contentHash', contentHash);
          form.set('file', new Blob([sig], { type: 'image/png' }), 'signature.png');
          return fetch(`${strapi.url}/api/eas/records/${id}/signatures/client`, { method: 'PUT', headers: auth, body: form });
        });
        if (signed.status !== 200 && signed.status !== 201)
          throw new Error(`signature ${i}: ${signed.status} ${JSON.stringify(signed.body)}`);
        // Photos and then the signature are in: the device submits (a retry of an answered submit is a 200 too).
        const submitted = await reliably(() => fetch(`${strapi.url}/api/eas/records/${id}/submit`, { method: 'POST', headers: auth }));
        if (submitted.status === 409) {
          // A wrong answer the capture site cannot tell from a real conflict (it marks the record failed): counted,
          // and the run goes on with what the server holds.
          stats.submitConflicts.push(`${i}: ${submitted.body?.error?.message}`);
          const now = await reliably(() => fetch(`${strapi.url}/api/eas/records/${id}`, { headers: auth }));
          if (now.body?.data?.status !== 'submitted')
            throw new Error(`submit ${i}: 409 ${JSON.stringify(submitted.body)}, and the record is ${now.body?.data?.status}`);
        } else if (submitted.status !== 200 || submitted.body?.data?.status !== 'submitted')
          throw new Error(`submit ${i}: ${submitted.status} ${JSON.stringify(submitted.body)}`);
      }
    };
    await Promise.all(Array.from({ length: DEVICES }, (_, d) => device(d)));
    const sending = Date.now() - started;

    // What the server holds, as each device's user sees it.
    const held = new Map<string, any[]>();
    for (const d of devices) {
      for (let page = 1; ; page++) {
        const res = await fetch(`${strapi.url}/api/eas/records?pageSize=100&page=${page}`, {
          headers: { Authorization: `Bearer ${d.jwt}` },
        });
        const body = await res.json();
        for (const r of body.data) held.set(r.clientId, [...(held.get(r.clientId) ?? []), r]);
        if (page >= body.meta.pagination.pageCount) break;
      }
    }
    let lost = 0;
    let duplicated = 0;
    let incomplete = 0;
    for (const s of sent) {
      const copies = held.get(s.clientId) ?? [];
      if (copies.length === 0) lost++;
      if (copies.length > 1) duplicated++;
      const r = copies[0];
      // Submitted, both photos as the device took them, and the signature bound to the content the device hashed
      // (the server's own content hash of the record is that same hash).
      if (
        r &&
        (r.status !== 'submitted' ||
          r.photos.length !== 2 ||
          r.signatures.length !== 1 ||
          r.photos.find((p: any) => p.side === 'front')?.originalSha256 !== s.front ||
          r.photos.find((p: any) => p.side === 'back')?.originalSha256 !== s.back ||
          r.contentHash !== s.contentHash ||
          r.signatures[0].contentHash !== s.contentHash ||
          r.signatures[0].bound !== true)
      ) {
        incomplete++;
      }
    }
    const extra = [...held.keys()].filter((k) => !sent.some((s) => s.clientId === k)).length;
    console.log(
      `chaos-replay: ${RECORDS} records from ${DEVICES} devices in ${(sending / 1000).toFixed(1)} s; ` +
        `${stats.requests} requests (${stats.duplicated} sent twice, ${stats.dropped} responses dropped, ${stats.failedAttempts} retried); ` +
        `Strapi killed and restarted once (${(restartMs / 1000).toFixed(1)} s down)` +
        (db
          ? `; database server (private PostgreSQL) stopped and started once (${(dbDownMs / 1000).toFixed(1)} s down)`
          : `; database not restarted (${noPrivateServer})`)
    );
    const unclean = [...stats.unclean].map(([status, n]) => `${n}× ${status}`).join(', ');
    console.log(
      `lost ${lost} / duplicated ${duplicated} / incomplete ${incomplete} (unknown records on the server: ${extra}); 5xx other than 503: ${unclean || 'none'}`
    );
    if (stats.unclean.size) console.log(`server log around the 5xx answers:\n${serverErrorExcerpts(strapi.logs(Infinity))}`);
    if (stats.submitConflicts.length) {
      console.log(
        `POST …/submit answered 409 to ${stats.submitConflicts.length} device(s) whose record was submitted all the same (by another copy of the same request): ` +
          `${stats.submitConflicts.slice(0, 3).join('; ')}`
      );
    }
    // Failed attempts whose cleanup could not reach the database leave rows (and bytes) behind; the sweep must
    // remove every one, and nothing else may be missing or stray.
    const atEnd = await evidenceLeftovers(strapi);
    let left = atEnd;
    const deadline = Date.now() + (ORPHAN_SECONDS * 2 + 10) * 1000;
    while ((left.unlinkedRows || left.filesWithoutRow || left.rowsWithoutFile) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 2000));
      left = await evidenceLeftovers(strapi);
    }
    const leftBehind = left.unlinkedRows + left.filesWithoutRow + left.rowsWithoutFile;
    console.log(
      `files of failed uploads: ${atEnd.unlinkedRows} unlinked evidence rows at the end of the run, ${left.unlinkedRows} left after the sweep; ` +
        `files in the evidence folder without a row: ${left.filesWithoutRow}; rows without their file: ${left.rowsWithoutFile}`
    );
    // Every record and file as the audit chain recorded it, and the chain itself whole, after the kill and restarts.
    const verified = await runVerify(strapi);
    const findings = verifyFindings(verified);
    console.log(
      `npm run verify: ${verified.report.records} records, ${verified.report.files} files, ${verified.report.chain.entries} audit entries: ${findings || 'everything intact, chain unbroken'}`
    );
    const unverified = verified.report.records !== RECORDS;
    if (unverified) console.log(`npm run verify checked ${verified.report.records} records, not ${RECORDS}`);
    if (
      lost ||
      duplicated ||
      incomplete ||
      extra ||
      leftBehind ||
      findings ||
      unverified ||
      stats.submitConflicts.length ||
      verified.code !== 0 ||
      !restarted ||
      (db && !dbRestarted) ||
      stats.unclean.size
    )
      process.exitCode = 1;
  } finally {
    // EAS_BENCH_LOGS=file keeps Strapi's log of the run (for finding the cause of a failed check).
    if (process.env.EAS_BENCH_LOGS) fs.writeFileSync(process.env.EAS_BENCH_LOGS, strapi.logs(Infinity));
    await strapi.stop();
    db?.destroy();
  }
};

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
