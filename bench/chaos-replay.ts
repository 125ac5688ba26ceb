/**
 * Reliability: chaos replay. N submissions (record + front photo + back photo + signature, small images) from D
 * concurrent simulated devices, while a share of requests is sent twice, a share of responses is dropped (the device
 * times out and retries), the Strapi process is killed and restarted once mid-run, and — on a private PostgreSQL, when
 * this machine can run one — the database server is stopped and started once mid-run. At the end every record must
 * exist exactly once, complete, with the hashes the devices computed. Prints lost / duplicated / incomplete and exits
 * non-zero unless all are 0, or if any answer was a 5xx other than 503 (a clean "retry").
 *
 *   npm run test:reliability -- --records=1000 --devices=20
 */
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import sharp from 'sharp';
import { createAndPublishForm, createFieldStaff, registerAdmin, servicesRequired, startStrapi } from '../cms/tests/harness';
import { privatePostgresUnavailable, startPrivatePostgres, type PrivatePostgres } from '../cms/tests/private-postgres';
import { arg, serverErrorExcerpts } from './lib';

const RECORDS = arg('records', 1000);
const DEVICES = arg('devices', 20);
const DUPLICATE_SHARE = 0.1;
const DROP_SHARE = 0.1;
const CONSENT = 'I confirm this record.';
const ORPHAN_SECONDS = 20;

/** Evidence files (private names) that no photo or signature points at. */
const unlinkedFiles = async (url: string) => {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const res = await c.query(
      "select count(*)::int as n from files f where f.hash like 'eas_private_%' and not exists (select 1 from files_related_mph r where r.file_id = f.id)"
    );
    return res.rows[0].n as number;
  } finally {
    await c.end();
  }
};
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const stats = { requests: 0, duplicated: 0, dropped: 0, failedAttempts: 0, unclean: new Map<number, number>() };

const image = (i: number, salt: number) =>
  sharp({ create: { width: 64, height: 48, channels: 3, background: { r: i % 256, g: (i >> 8) % 256, b: salt } } }).jpeg({ quality: 80 }).toBuffer();
const signature = (i: number) =>
  sharp({ create: { width: 200, height: 80, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
    .composite([{ input: { create: { width: 20 + (i % 150), height: 10, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 1 } } }, left: 5, top: 30 }])
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
        void send().then((r) => r.arrayBuffer()).catch(() => undefined);
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
  const strapi = await startStrapi(db ? { db: 'postgres', postgresUrl: db.url, env } : { db: process.env.DATABASE_URL ? 'postgres' : 'sqlite', env });
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
    const sent: { clientId: string; device: number; front: string; back: string }[] = [];
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
        sent.push({ clientId, device: d, front: sha(front), back: sha(back) });
        // A device sends exactly the same body on every retry (its capture time is stored with the draft).
        const body = JSON.stringify({ clientId, form: 'chaos', formVersion: 1, data: { n: i }, capturedAt: new Date().toISOString() });
        const created = await reliably(() =>
          fetch(`${strapi.url}/api/eas/records`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body })
        );
        if (created.status !== 200 && created.status !== 201) throw new Error(`create ${i}: ${created.status} ${JSON.stringify(created.body)}`);
        const id = created.body.data.documentId;
        for (const [side, bytes] of [['front', front], ['back', back]] as const) {
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
          form.set('strokes', JSON.stringify([{ points: [{ x: 1, y: 1, time: 1 }] }]));
          form.set('signerName', `Signer ${i}`);
          form.set('consentText', CONSENT);
          form.set('signedAt', signedAt);
          form.set('file', new Blob([sig], { type: 'image/png' }), 'signature.png');
          return fetch(`${strapi.url}/api/eas/records/${id}/signatures/client`, { method: 'PUT', headers: auth, body: form });
        });
        if (signed.status !== 200 && signed.status !== 201) throw new Error(`signature ${i}: ${signed.status} ${JSON.stringify(signed.body)}`);
      }
    };
    await Promise.all(Array.from({ length: DEVICES }, (_, d) => device(d)));
    const sending = Date.now() - started;

    // What the server holds, as each device's user sees it.
    const held = new Map<string, any[]>();
    for (const d of devices) {
      for (let page = 1; ; page++) {
        const res = await fetch(`${strapi.url}/api/eas/records?pageSize=100&page=${page}`, { headers: { Authorization: `Bearer ${d.jwt}` } });
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
      if (
        r &&
        (r.status !== 'submitted' ||
          r.photos.length !== 2 ||
          r.signatures.length !== 1 ||
          r.photos.find((p: any) => p.side === 'front')?.originalSha256 !== s.front ||
          r.photos.find((p: any) => p.side === 'back')?.originalSha256 !== s.back)
      ) {
        incomplete++;
      }
    }
    const extra = [...held.keys()].filter((k) => !sent.some((s) => s.clientId === k)).length;
    console.log(
      `chaos-replay: ${RECORDS} records from ${DEVICES} devices in ${(sending / 1000).toFixed(1)} s; ` +
        `${stats.requests} requests (${stats.duplicated} sent twice, ${stats.dropped} responses dropped, ${stats.failedAttempts} retried); ` +
        `Strapi killed and restarted once (${(restartMs / 1000).toFixed(1)} s down)` +
        (db ? `; database server (private PostgreSQL) stopped and started once (${(dbDownMs / 1000).toFixed(1)} s down)` : `; database not restarted (${noPrivateServer})`)
    );
    const unclean = [...stats.unclean].map(([status, n]) => `${n}× ${status}`).join(', ');
    console.log(`lost ${lost} / duplicated ${duplicated} / incomplete ${incomplete} (unknown records on the server: ${extra}); 5xx other than 503: ${unclean || 'none'}`);
    if (stats.unclean.size) console.log(`server log around the 5xx answers:\n${serverErrorExcerpts(strapi.logs(Infinity))}`);
    let leftBehind = 0;
    if (strapi.env.DATABASE_URL) {
      // Failed attempts whose cleanup could not reach the database leave files; the sweep must remove every one.
      const atEnd = await unlinkedFiles(strapi.env.DATABASE_URL);
      const deadline = Date.now() + (ORPHAN_SECONDS * 2 + 10) * 1000;
      leftBehind = atEnd;
      while (leftBehind && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 2000));
        leftBehind = await unlinkedFiles(strapi.env.DATABASE_URL);
      }
      console.log(`files of failed uploads: ${atEnd} unlinked at the end of the run, ${leftBehind} left after the sweep`);
    }
    if (lost || duplicated || incomplete || extra || leftBehind || !restarted || (db && !dbRestarted) || stats.unclean.size) process.exitCode = 1;
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
