/**
 * Chain of custody, tried the way an insider with database or disk access, a careless admin or a hostile client
 * would: alter a record behind EAS's back, swap a stored photo, edit or delete history, rewrite the whole chain,
 * change values after a signature — and check that the verifier, the editor's view, the verify page, new PDFs,
 * the sweep, /health and `npm run verify` all say so.
 */
import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fx from '../../src/plugins/eas/server/src/utils/__tests__/image-fixtures';
import { openDb, type DbAccess } from '../db-access';
import { appendForged } from '../insider';
import { dataPart } from '../../src/plugins/eas/server/src/utils/record-state';
import {
  createAndPublishForm,
  createFieldStaff,
  dbKinds,
  http,
  putMultipart,
  registerAdmin,
  startStrapi,
  type StrapiInstance,
} from '../harness';
import sharp from 'sharp';
import { readPdf } from '../pdf-reader';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const CONSENT = 'I confirm the amount and consent to its storage.';

const form = (slug: string) => ({
  name: `Refund ${slug}`,
  slug,
  fields: [
    { key: 'payee', label: 'Payee', type: 'text', required: true },
    { key: 'amount', label: 'Amount', type: 'number', required: true },
  ],
  frontPhoto: { enabled: true, required: true, label: 'Receipt' },
  backPhoto: { enabled: false },
  signatures: [{ key: 'payee', role: 'Payee', consentText: CONSENT, required: true }],
});

const ROOT = path.resolve(__dirname, '../../..');
/** Another photo, as an insider would swap in. */
const otherJpeg = (color: string) =>
  sharp({ create: { width: 320, height: 240, channels: 3, background: color } })
    .jpeg()
    .toBuffer();

/** `npm run verify -- --json` against this instance's database and evidence store. */
const runVerify = (strapi: StrapiInstance) =>
  new Promise<{ code: number; report: any; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'scripts/verify.mjs'), '--json'], {
      cwd: ROOT,
      env: strapi.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      try {
        resolve({ code: code ?? -1, report: JSON.parse(out), stderr: err });
      } catch {
        reject(new Error(`verify printed no JSON (exit ${code}):\n${out}\n${err}`));
      }
    });
  });

describe.each(dbKinds())('chain of custody on %s', (db) => {
  let strapi: StrapiInstance;
  let admin: Awaited<ReturnType<typeof registerAdmin>>;
  let staff: Awaited<ReturnType<typeof createFieldStaff>>;
  let sql: DbAccess;
  let slug: string;

  const api = (p: string) => `${strapi.url}/api/eas${p}`;
  const get = async (documentId: string) => (await http(api(`/records/${documentId}`), { token: staff.jwt })).body.data;
  const create = async (data: Record<string, unknown> = { payee: 'Ada', amount: 120 }) => {
    const res = await http(api('/records'), {
      method: 'POST',
      token: staff.jwt,
      json: { clientId: randomUUID(), form: slug, formVersion: 1, data, capturedAt: new Date().toISOString() },
    });
    expect(res.status).toBe(201);
    return res.body.data as { documentId: string; reference: string; contentHash: string };
  };
  const photo = async (documentId: string, buffer?: Buffer) => {
    const bytes = buffer ?? (await fx.jpeg(320, 240));
    const res = await putMultipart(
      api(`/records/${documentId}/photos/front`),
      staff.jwt,
      { buffer: bytes, filename: 'receipt.jpg' },
      { originalSha256: sha(bytes) }
    );
    expect([200, 201]).toContain(res.status);
    return res;
  };
  const sign = async (documentId: string, contentHash?: string, image?: Buffer) =>
    putMultipart(
      api(`/records/${documentId}/signatures/payee`),
      staff.jwt,
      { buffer: image ?? (await fx.uniqueSignaturePng()), filename: 'signature.png', type: 'image/png' },
      {
        strokes: JSON.stringify(fx.uniqueStrokes()),
        signerName: 'Ada Lovelace',
        consentText: CONSENT,
        signedAt: new Date().toISOString(),
        contentHash: contentHash ?? (await get(documentId)).contentHash,
      }
    );
  const submit = (documentId: string) => http(api(`/records/${documentId}/submit`), { method: 'POST', token: staff.jwt });
  /** A complete, submitted record. */
  const submitted = async () => {
    const rec = await create();
    await photo(rec.documentId);
    expect((await sign(rec.documentId)).status).toBe(201);
    const res = await submit(rec.documentId);
    expect(res.status).toBe(200);
    return res.body.data as { documentId: string; reference: string; integrityHash: string; id?: number };
  };
  const verify = async (reference: string, hash: string) => (await http(api(`/verify/${reference}?hash=${hash}`))).body.data;
  const details = async (documentId: string) => (await http(`${strapi.url}/eas/records/${documentId}`, { token: admin.token })).body.data;
  const recordId = async (reference: string) =>
    (await sql.query<{ id: number }>('select id from eas_records where reference = ?', [reference]))[0].id;
  const evidencePath = async (reference: string, purpose: 'photo' | 'signature') => {
    const table = purpose === 'photo' ? 'eas_photos' : 'eas_signatures';
    const single = purpose === 'photo' ? 'photo' : 'signature';
    const rows = await sql.query<{ storage_key: string }>(
      `select f.storage_key from eas_evidence_files f join ${table}_file_lnk l on l.evidence_file_id = f.id join ${table}_record_lnk r on r.${single}_id = l.${single}_id where r.record_id = ?`,
      [await recordId(reference)]
    );
    return path.join(strapi.env.EAS_EVIDENCE_DIR, rows[0].storage_key);
  };
  const pdf = async (documentId: string) => {
    const res = await fetch(`${strapi.url}/eas/records/${documentId}/pdf`, { headers: { Authorization: `Bearer ${admin.token}` } });
    expect(res.status).toBe(200);
    return readPdf(Buffer.from(await res.arrayBuffer()));
  };

  beforeAll(async () => {
    strapi = await startStrapi({ db });
    admin = await registerAdmin(strapi.url);
    staff = await createFieldStaff(strapi.url, admin.token);
    slug = `refund-${Math.random().toString(36).slice(2, 8)}`;
    await createAndPublishForm(strapi.url, admin.token, form(slug));
    sql = await openDb(strapi);
  });

  afterAll(async () => {
    await sql?.close();
    await strapi?.stop();
  });

  it('a record changed directly in the database no longer verifies, and every view says what changed', async () => {
    const rec = await submitted();
    expect(await verify(rec.reference, rec.integrityHash)).toMatchObject({ result: 'match', match: true });

    // An insider raises the amount in the database.
    const [row] = await sql.query<{ data: string | object }>('select data from eas_records where reference = ?', [rec.reference]);
    const data = typeof row.data === 'string' ? JSON.parse(row.data) : row.data;
    await sql.query(`update eas_records set data = ? where reference = ?`, [JSON.stringify({ ...data, amount: 9120 }), rec.reference]);

    // The data no longer is what was recorded, and the signature no longer endorses the record as it is.
    const answer = await verify(rec.reference, rec.integrityHash);
    expect(answer).toMatchObject({ result: 'altered', match: false, altered: ['data', 'signature:payee'] });
    expect(JSON.stringify(answer)).not.toContain('9120');
    const view = await details(rec.documentId);
    expect(view.integrity).toMatchObject({
      status: 'altered',
      findings: [
        { part: 'data', problem: 'changed' },
        { part: 'signature:payee', problem: 'unbound' },
      ],
      recordedHash: rec.integrityHash,
    });
    const printed = await pdf(rec.documentId);
    expect(printed.flat).toContain('Integrity check failed.');
    expect(printed.dense).not.toContain(`/verify/${rec.reference}?hash=`);
    // An altered record cannot be approved.
    const approve = await http(`${strapi.url}/eas/records/${rec.documentId}/review`, {
      method: 'POST',
      token: admin.token,
      json: { decision: 'approve' },
    });
    expect(approve.status).toBe(409);
    expect(approve.body.error.message).toMatch(/no longer matches what EAS recorded \(data, signature:payee\); it cannot be approved/);
  });

  it('recomputing the stored integrity hash after the edit does not help: the audit chain remembers the recorded one', async () => {
    const rec = await submitted();
    const [row] = await sql.query<{ data: string | object }>('select data from eas_records where reference = ?', [rec.reference]);
    const data = typeof row.data === 'string' ? JSON.parse(row.data) : row.data;
    await sql.query('update eas_records set data = ?, integrity_hash = ? where reference = ?', [
      JSON.stringify({ ...data, payee: 'Mallory' }),
      'f'.repeat(64),
      rec.reference,
    ]);
    // A hash EAS never recorded for the record earns no detail at all; the one it recorded shows the change.
    expect(await verify(rec.reference, 'f'.repeat(64))).toEqual({
      reference: rec.reference,
      result: 'unknown',
      match: false,
      checkedAt: expect.any(String),
    });
    expect(await verify(rec.reference, rec.integrityHash)).toMatchObject({ result: 'altered', altered: ['data', 'signature:payee'] });
  });

  it('a stored photo file replaced on disk is detected, naming the photo', async () => {
    const rec = await submitted();
    const file = await evidencePath(rec.reference, 'photo');
    fs.writeFileSync(file, await otherJpeg('#00ff00'));
    expect(await verify(rec.reference, rec.integrityHash)).toMatchObject({ result: 'altered', altered: ['photo:front'] });
    expect((await details(rec.documentId)).integrity.findings).toEqual([{ part: 'photo:front', problem: 'file' }]);
    fs.rmSync(file);
    expect((await details(rec.documentId)).integrity.findings).toEqual([{ part: 'photo:front', problem: 'missing' }]);
  });

  it('a swapped photo whose hashes were rewritten in the database too is still detected', async () => {
    const rec = await submitted();
    const file = await evidencePath(rec.reference, 'photo');
    const swapped = await otherJpeg('#ffff00');
    fs.writeFileSync(file, swapped);
    const id = await recordId(rec.reference);
    await sql.query('update eas_evidence_files set sha_256 = ? where storage_key = ?', [
      sha(swapped),
      path.relative(strapi.env.EAS_EVIDENCE_DIR, file).split(path.sep).join('/'),
    ]);
    await sql.query('update eas_photos set sha_256 = ? where id in (select photo_id from eas_photos_record_lnk where record_id = ?)', [
      sha(swapped),
      id,
    ]);
    expect(await verify(rec.reference, rec.integrityHash)).toMatchObject({ result: 'altered', altered: ['photo:front'] });
  });

  it('values changed after the signature make it stale: the record cannot be submitted until it is signed again', async () => {
    const rec = await create({ payee: 'Ada', amount: 120 });
    // Signed first, while the receipt photo is still missing…
    const first = await fx.uniqueSignaturePng();
    const signed = await sign(rec.documentId, undefined, first);
    expect(signed.status).toBe(201);
    // …then the amount is changed and the photo added.
    const changed = await http(api(`/records/${rec.documentId}`), {
      method: 'PUT',
      token: staff.jwt,
      json: { data: { payee: 'Ada', amount: 9120 } },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.data.missing.staleSignatures).toEqual(['payee']);
    expect(changed.body.data.signatures[0].bound).toBe(false);
    await photo(rec.documentId);
    const refused = await submit(rec.documentId);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/the signature of the Payee \("payee"\) was given over different content/);
    expect(refused.body.error.details.missing.staleSignatures).toEqual(['payee']);
    expect((await get(rec.documentId)).status).toBe('draft');

    // The same upload again is a retry (answered as is); a new signature over content the server does not hold is
    // refused at once.
    expect((await sign(rec.documentId, signed.body.data.contentHash, first)).status).toBe(200);
    const wrong = await sign(rec.documentId, signed.body.data.contentHash, await fx.signaturePng(500, 250));
    expect(wrong.status).toBe(409);
    expect(wrong.body.error.details).toMatchObject({ code: 'signature_content_mismatch', slot: 'payee' });

    // Signed again over the record as it is: it can be submitted, and the PDF says what the signature covers.
    expect((await sign(rec.documentId)).status).toBe(200);
    const done = await submit(rec.documentId);
    expect(done.status).toBe(200);
    const printed = await pdf(rec.documentId);
    expect(printed.flat).toMatch(/Given over the content of this record as printed/);
    expect(printed.flat).toContain('9120');
    expect(printed.dense).toContain(`/verify/${done.body.data.reference}?hash=${done.body.data.integrityHash}`);
  });

  it('the sweep finds altered records and reports them to /health and the dashboard, counts only', async () => {
    const rec = await submitted();
    await sql.query('update eas_records set state = ? where reference = ?', ['approved', rec.reference]);
    const { code, report } = await runVerify(strapi);
    expect(code).toBe(1);
    expect(report.altered).toContainEqual({
      reference: rec.reference,
      documentId: rec.documentId,
      findings: [{ part: 'status', problem: 'changed' }],
    });
    expect(report.chain.breaks).toEqual([]);
    expect(report.chain.checkpointProblems).toEqual([]);
    const health = await http(`${strapi.url}/health`);
    expect(health.body.integrity).toMatchObject({ status: 'altered', altered: report.alteredCount, chainBreaks: 0 });
    expect(JSON.stringify(health.body)).not.toContain(rec.reference);
    const dashboard = await http(`${strapi.url}/eas/dashboard`, { token: admin.token });
    expect(dashboard.body.data.integrity).toMatchObject({ status: 'altered', altered: report.alteredCount });
  });

  it('a chain rewritten consistently after its last signed checkpoint is caught by the checkpoint', async () => {
    await submitted();
    const first = await runVerify(strapi);
    expect(first.report.chain.checkpoints).toBeGreaterThan(0);
    const head = first.report.chain.head as { seq: number };
    // The insider rewrites the newest entry and re-hashes it, so the chain itself is consistent again.
    await sql.withoutTriggers('eas_audit_log', async () => {
      const [entry] = await sql.query<Record<string, unknown>>('select * from eas_audit_log where seq = ?', [head.seq]);
      const { entryHash } = await import('../../src/plugins/eas/server/src/utils/audit-chain');
      const forged = {
        seq: head.seq,
        at: new Date(entry.at as string | number).toISOString(),
        action: entry.action as string,
        actorKind: entry.actor_kind as 'system',
        actorId: (entry.actor_id as number | null) ?? null,
        actorName: 'Mallory',
        recordId: (entry.record_id as number | null) ?? null,
        reference: (entry.reference as string | null) ?? null,
        details: typeof entry.details === 'string' ? JSON.parse(entry.details) : (entry.details as Record<string, unknown>),
        prevHash: entry.prev_hash as string,
      };
      await sql.query('update eas_audit_log set actor_name = ?, hash = ? where seq = ?', ['Mallory', entryHash(forged), head.seq]);
    });
    // Without the signing key the re-hashed entry is not signed, and the checkpoint signed its old hash.
    const second = await runVerify(strapi);
    expect(second.code).toBe(1);
    expect(second.report.chain.breaks).toEqual([{ seq: head.seq, problem: 'unsigned' }]);
    expect(second.report.chain.checkpointProblems).toContainEqual({ seq: head.seq, problem: 'hash-differs' });
  });
  it('the database refuses to change or delete history and to delete records; a direct edit that bypasses it breaks the chain at that position', async () => {
    const rec = await submitted();
    const entries = await sql.query<{ seq: number; action: string }>(
      'select seq, action from eas_audit_log where record_id = ? order by seq',
      [await recordId(rec.reference)]
    );
    expect(entries.map((e) => e.action)).toEqual(['record.created', 'photo.stored', 'signature.stored', 'record.submitted']);
    await expect(sql.query('update eas_audit_log set actor_name = ? where seq = ?', ['Mallory', entries[1].seq])).rejects.toThrow(
      /the audit log is append-only/
    );
    await expect(sql.query('delete from eas_audit_log where seq = ?', [entries[1].seq])).rejects.toThrow(/the audit log is append-only/);
    await expect(sql.query('delete from eas_records where reference = ?', [rec.reference])).rejects.toThrow(/records are never deleted/);
    // Nor the evidence of a submitted record: its photo, its files, its links, its owner.
    const id = await recordId(rec.reference);
    await expect(
      sql.query('delete from eas_photos where id in (select photo_id from eas_photos_record_lnk where record_id = ?)', [id])
    ).rejects.toThrow(/the photos of a submitted record are kept/);
    await expect(sql.query('delete from eas_photos_record_lnk where record_id = ?', [id])).rejects.toThrow(
      /the photos of a submitted record are kept/
    );
    await expect(sql.query('delete from eas_signatures_record_lnk where record_id = ?', [id])).rejects.toThrow(
      /the signatures of a submitted record are kept/
    );
    await expect(sql.query('delete from eas_records_owner_lnk where record_id = ?', [id])).rejects.toThrow(/a record keeps its owner/);
    await expect(
      sql.query(
        'delete from eas_evidence_files where id in (select evidence_file_id from eas_photos_file_lnk l join eas_photos_record_lnk r on r.photo_id = l.photo_id where r.record_id = ?)',
        [id]
      )
    ).rejects.toThrow(/evidence files of a submitted record are kept/);
    await expect(sql.query('delete from eas_form_versions')).rejects.toThrow(/form versions are frozen/);

    // An owner of the database drops the triggers and edits the submission entry, then deletes the upload entry.
    await sql.withoutTriggers('eas_audit_log', async () => {
      await sql.query('update eas_audit_log set actor_name = ? where seq = ?', ['Mallory', entries[3].seq]);
    });
    expect(await verify(rec.reference, rec.integrityHash)).toMatchObject({
      result: 'altered',
      altered: expect.arrayContaining(['history']),
    });
    await sql.withoutTriggers('eas_audit_log', async () => {
      await sql.query('delete from eas_audit_log where seq = ?', [entries[1].seq]);
    });
    const { code, report } = await runVerify(strapi);
    expect(code).toBe(1);
    expect(report.chain.breaks).toEqual(
      expect.arrayContaining([
        { seq: entries[3].seq, problem: 'edited' },
        { seq: entries[2].seq, problem: 'missing' },
      ])
    );
    expect(report.altered.map((r: { reference: string }) => r.reference)).toContain(rec.reference);
  });

  it('an entry appended at the head by anyone but EAS counts for nothing, also after a checkpoint signed the head', async () => {
    const rec = await submitted();
    const id = await recordId(rec.reference);
    const view = await get(rec.documentId);
    const forgedData = { ...view.data, payee: 'Mallory', amount: 9120 };
    await sql.query('update eas_records set data = ? where id = ?', [JSON.stringify(forgedData), id]);
    // Chained exactly as EAS chains entries, disguised as an ordinary change and as an editor's view.
    const part = dataPart({ data: forgedData, capturedAt: view.capturedAt, location: view.location });
    await appendForged(strapi, sql, {
      action: 'record.updated',
      actorKind: 'field-staff',
      actorId: staff.id,
      actorName: staff.username,
      recordId: id,
      reference: rec.reference,
      details: { data: part, integrityHash: rec.integrityHash },
    });
    const disguised = await appendForged(strapi, sql, {
      action: 'record.viewed',
      actorKind: 'admin',
      actorId: 1,
      actorName: 'Ada Admin',
      recordId: id,
      reference: rec.reference,
      details: { data: part },
    });
    expect(await verify(rec.reference, rec.integrityHash)).toMatchObject({
      result: 'altered',
      altered: expect.arrayContaining(['history', 'data']),
    });
    const { code, report } = await runVerify(strapi);
    expect(code).toBe(1);
    expect(report.chain.breaks).toEqual(
      expect.arrayContaining([
        { seq: disguised.seq - 1, problem: 'unsigned' },
        { seq: disguised.seq, problem: 'unsigned' },
      ])
    );
    // The sweep signed the head meanwhile; the forged entries still carry no EAS signature, and still count for nothing.
    const [{ seq: signed }] = await sql.query<{ seq: number }>('select max(seq) as seq from eas_audit_checkpoints');
    expect(Number(signed)).toBeGreaterThanOrEqual(disguised.seq);
    expect((await runVerify(strapi)).report.chain.breaks).toEqual(expect.arrayContaining([{ seq: disguised.seq, problem: 'unsigned' }]));
    expect(await verify(rec.reference, rec.integrityHash)).toMatchObject({ result: 'altered' });
  });

  it('marking a file redacted in the database does not hide its removal', async () => {
    const rec = await submitted();
    const file = await evidencePath(rec.reference, 'photo');
    const key = path.relative(strapi.env.EAS_EVIDENCE_DIR, file).split(path.sep).join('/');
    await sql.query('update eas_evidence_files set redacted_at = ? where storage_key = ?', [
      strapi.db === 'sqlite' ? Date.now() : new Date().toISOString(),
      key,
    ]);
    fs.rmSync(file);
    await sql.query('update eas_records set redacted_at = ? where reference = ?', [
      strapi.db === 'sqlite' ? Date.now() : new Date().toISOString(),
      rec.reference,
    ]);
    const answer = await verify(rec.reference, rec.integrityHash);
    expect(answer).toMatchObject({ result: 'altered', altered: expect.arrayContaining(['status', 'photo:front']) });
  });

  it('everything the PDF prints is covered: capture metadata, role, consent text, strokes — and a renamed account does not change who captured it', async () => {
    const alter = async (statement: string, params: (id: number) => unknown[], part: string) => {
      const rec = await submitted();
      await sql.query(statement, params(await recordId(rec.reference)));
      expect(await verify(rec.reference, rec.integrityHash), statement).toMatchObject({ result: 'altered', altered: [part] });
    };
    const inPhotos = 'id in (select photo_id from eas_photos_record_lnk where record_id = ?)';
    const inSignatures = 'id in (select signature_id from eas_signatures_record_lnk where record_id = ?)';
    await alter(
      `update eas_photos set metadata = ? where ${inPhotos}`,
      (id) => [JSON.stringify({ takenAt: '2020-01-01T00:00:00Z' }), id],
      'photo:front'
    );
    await alter(`update eas_signatures set role = ? where ${inSignatures}`, (id) => ['Inspector', id], 'signature:payee');
    await alter(
      `update eas_signatures set consent_text = ? where ${inSignatures}`,
      (id) => ['I agree to anything.', id],
      'signature:payee'
    );
    await alter(
      `update eas_signatures set strokes = ? where ${inSignatures}`,
      (id) => [JSON.stringify([{ points: [{ x: 9, y: 9, time: 1 }] }]), id],
      'signature:payee'
    );

    const rec = await submitted();
    const [user] = await sql.query<{ document_id: string }>('select document_id from up_users where id = ?', [staff.id]);
    const renamed = await http(`${strapi.url}/content-manager/collection-types/plugin::users-permissions.user/${user.document_id}`, {
      method: 'PUT',
      token: admin.token,
      json: { username: 'somebody-else' },
    });
    expect(renamed.status).toBe(200);
    expect(await verify(rec.reference, rec.integrityHash)).toMatchObject({ result: 'match' });
    const printed = await pdf(rec.documentId);
    expect(printed.flat).toContain(`Captured by ${staff.username}`);
    expect(printed.flat).not.toContain('somebody-else');
    await http(`${strapi.url}/content-manager/collection-types/plugin::users-permissions.user/${user.document_id}`, {
      method: 'PUT',
      token: admin.token,
      json: { username: staff.username },
    });
  });

  it('a record inserted without any history is never vouched for, nor approved', async () => {
    const rec = await submitted();
    const [row] = await sql.query<Record<string, unknown>>('select * from eas_records where reference = ?', [rec.reference]);
    const reference = rec.reference.replace(/\d{6}$/, '999999');
    const ts = strapi.db === 'sqlite' ? Date.now() : new Date().toISOString();
    await sql.query(
      `insert into eas_records (document_id, reference, client_id, form_slug, state, data, captured_at, submitted_at, integrity_hash, captured_by, created_at, updated_at, published_at)
       values (?, ?, ?, ?, 'submitted', ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        'forged0000000000000000000',
        reference,
        randomUUID(),
        row.form_slug,
        typeof row.data === 'string' ? row.data : JSON.stringify(row.data),
        ts,
        ts,
        rec.integrityHash,
        staff.username,
        ts,
        ts,
        ts,
      ]
    );
    const [{ id: forgedId }] = await sql.query<{ id: number }>('select id from eas_records where reference = ?', [reference]);
    await sql.query(
      'insert into eas_records_form_version_lnk (record_id, form_version_id) select ?, form_version_id from eas_records_form_version_lnk where record_id = ?',
      [forgedId, row.id]
    );
    await sql.query(
      'insert into eas_records_owner_lnk (record_id, user_id) select ?, user_id from eas_records_owner_lnk where record_id = ?',
      [forgedId, row.id]
    );
    // No hash of it was ever recorded: the page knows nothing; the editor's view says it has no history.
    expect(await verify(reference, rec.integrityHash)).toMatchObject({ result: 'unknown' });
    const view = await details('forged0000000000000000000');
    expect(view.integrity).toMatchObject({ status: 'altered' });
    expect(view.integrity.findings).toContainEqual({ part: 'history', problem: 'missing' });
  });

  it('a junk checkpoint row does not stop EAS from signing the chain', async () => {
    const ts = strapi.db === 'sqlite' ? Date.now() : new Date().toISOString();
    await sql.query(
      `insert into eas_audit_checkpoints (document_id, seq, hash, at, key_id, signature, created_at, updated_at, published_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ['junk00000000000000000000', 1_000_000, 'f'.repeat(64), ts, '0000000000000000', 'AAAA', ts, ts, ts]
    );
    await submitted();
    const before = Number((await sql.query<{ n: number | string }>('select count(*) as n from eas_audit_checkpoints'))[0].n);
    const { report } = await runVerify(strapi);
    expect(report.chain.checkpoints).toBe(before + 1);
    expect(report.chain.checkpointProblems).toContainEqual({ seq: 1_000_000, problem: 'untrusted-key' });
  });

  it('a drawing is a signature once: the same one again over other content, or on another record, is refused', async () => {
    const first = await fx.uniqueSignaturePng();
    const strokes = JSON.stringify(fx.uniqueStrokes());
    const signWith = async (documentId: string) =>
      putMultipart(
        api(`/records/${documentId}/signatures/payee`),
        staff.jwt,
        { buffer: first, filename: 'signature.png', type: 'image/png' },
        {
          strokes,
          signerName: 'Ada Lovelace',
          consentText: CONSENT,
          signedAt: new Date().toISOString(),
          contentHash: (await get(documentId)).contentHash,
        }
      );
    const rec = await create();
    await photo(rec.documentId);
    expect((await signWith(rec.documentId)).status).toBe(201);
    await http(api(`/records/${rec.documentId}`), { method: 'PUT', token: staff.jwt, json: { data: { payee: 'Ada', amount: 9120 } } });
    const again = await signWith(rec.documentId);
    expect(again.status).toBe(409);
    expect(again.body.error.details).toMatchObject({ code: 'signature_reused', slot: 'payee' });
    const other = await create();
    await photo(other.documentId);
    expect((await signWith(other.documentId)).body.error.details).toMatchObject({ code: 'signature_reused' });
    // A signature dated before the record was captured is refused too.
    const early = await putMultipart(
      api(`/records/${other.documentId}/signatures/payee`),
      staff.jwt,
      { buffer: await fx.uniqueSignaturePng(), filename: 's.png', type: 'image/png' },
      {
        strokes: JSON.stringify(fx.uniqueStrokes()),
        signerName: 'Ada Lovelace',
        consentText: CONSENT,
        signedAt: new Date(Date.now() - 3_600_000).toISOString(),
        contentHash: (await get(other.documentId)).contentHash,
      }
    );
    expect(early.status).toBe(400);
    expect(early.body.error.message).toMatch(/^signedAt: is before the record was captured/);
  });

  it("a record's history shows every change and its latest reads, however many there are", async () => {
    const rec = await submitted();
    for (let i = 0; i < 55; i++) await http(`${strapi.url}/eas/records/${rec.documentId}`, { token: admin.token });
    const view = await details(rec.documentId);
    const actions = view.history.map((h: { action: string }) => h.action);
    expect(actions.filter((a: string) => a !== 'record.viewed')).toEqual([
      'record.created',
      'photo.stored',
      'signature.stored',
      'record.submitted',
    ]);
    expect(actions.filter((a: string) => a === 'record.viewed')).toHaveLength(50);
    expect(view.history[view.history.length - 1].actor).toMatchObject({ kind: 'admin', id: expect.any(Number) });
  });

  it('media and decisions land only on the content they were made on, when requests race', async () => {
    for (let i = 0; i < 6; i++) {
      const rec = await create();
      await photo(rec.documentId);
      expect((await sign(rec.documentId)).status).toBe(201);
      // A new photo and the submission at once: one of them wins, never both.
      const big = await otherJpeg(i % 2 ? '#334455' : '#556677');
      const [replaced, submittedNow] = await Promise.all([
        putMultipart(
          api(`/records/${rec.documentId}/photos/front`),
          staff.jwt,
          { buffer: big, filename: 'again.jpg' },
          { originalSha256: sha(big) }
        ),
        submit(rec.documentId),
      ]);
      const now = await get(rec.documentId);
      if (now.status === 'submitted') {
        expect((await details(rec.documentId)).integrity).toMatchObject({ status: 'intact' });
        expect(now.signatures[0].bound).toBe(true);
        expect([replaced.status, submittedNow.status]).toEqual([409, 200]);
      } else {
        expect(submittedNow.status).toBe(409);
        expect(replaced.status).toBe(200);
      }
    }
  });
});
