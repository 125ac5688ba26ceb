/**
 * No side doors: Strapi's built-in admin roles, a Super Admin, the Media Library and the Content Manager, tried as a
 * careless administrator or a hostile insider would — and the only legitimate way personal data leaves a record, an
 * audited redaction. Plus the public verify page, in the viewer's language and without personal data.
 */
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fx from '../../src/plugins/eas/server/src/utils/__tests__/image-fixtures';
import { openDb, type DbAccess } from '../db-access';
import {
  createAndPublishForm,
  createEditor,
  createFieldStaff,
  dbKinds,
  http,
  putMultipart,
  putSignature,
  registerAdmin,
  startStrapi,
  submitDraft,
  type StrapiInstance,
} from '../harness';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const CONSENT = 'I confirm the visit.';
const CM = 'content-manager/collection-types';

describe.each(dbKinds())('no side doors to evidence on %s', (db) => {
  let strapi: StrapiInstance;
  let admin: Awaited<ReturnType<typeof registerAdmin>>;
  let staff: Awaited<ReturnType<typeof createFieldStaff>>;
  let strapiEditor: Awaited<ReturnType<typeof createEditor>>;
  let easEditor: Awaited<ReturnType<typeof createEditor>>;
  let sql: DbAccess;
  let formId: string;
  let slug: string;

  const storedFiles = () => {
    const root = strapi.env.EAS_EVIDENCE_DIR;
    return fs.existsSync(root)
      ? (fs.readdirSync(root, { recursive: true, withFileTypes: true }) as fs.Dirent[]).filter((d) => d.isFile()).length
      : 0;
  };
  /** A submitted record with a front photo and a signature. */
  const record = async (data: Record<string, unknown> = { visitor: 'Grace Hopper', notes: 'Door forced' }) => {
    const rec = await http(`${strapi.url}/api/eas/records`, {
      method: 'POST',
      token: staff.jwt,
      json: { clientId: randomUUID(), form: slug, formVersion: 1, data, capturedAt: new Date().toISOString() },
    });
    expect(rec.status).toBe(201);
    const id = rec.body.data.documentId as string;
    const jpeg = await fx.jpeg(320, 240);
    expect(
      (
        await putMultipart(
          `${strapi.url}/api/eas/records/${id}/photos/front`,
          staff.jwt,
          { buffer: jpeg, filename: 'door.jpg' },
          { originalSha256: sha(jpeg) }
        )
      ).status
    ).toBe(201);
    expect(
      (
        await putSignature(strapi.url, staff.jwt, id, 'visitor', {
          png: await fx.uniqueSignaturePng(),
          signerName: 'Grace Hopper',
          consentText: CONSENT,
        })
      ).status
    ).toBe(201);
    const done = await submitDraft(strapi.url, staff.jwt, id);
    expect(done.status).toBe(200);
    return done.body.data as { documentId: string; reference: string; integrityHash: string; photos: { url: string }[] };
  };
  const rows = async (reference: string) => (await sql.query('select id from eas_records where reference = ?', [reference])).length;
  const historyOf = async (reference: string) =>
    (await sql.query<{ action: string }>('select action from eas_audit_log where reference = ? order by seq', [reference])).map(
      (r) => r.action
    );

  beforeAll(async () => {
    strapi = await startStrapi({ db });
    admin = await registerAdmin(strapi.url);
    staff = await createFieldStaff(strapi.url, admin.token);
    strapiEditor = await createEditor(strapi.url, admin.token, 'Editor');
    easEditor = await createEditor(strapi.url, admin.token);
    slug = `visit-${Math.random().toString(36).slice(2, 8)}`;
    formId = await createAndPublishForm(strapi.url, admin.token, {
      name: 'Visit',
      slug,
      fields: [
        { key: 'visitor', label: 'Visitor', type: 'text', required: true },
        { key: 'notes', label: 'Notes', type: 'textarea' },
      ],
      frontPhoto: { enabled: true, required: true, label: 'Door' },
      backPhoto: { enabled: false },
      signatures: [{ key: 'visitor', role: 'Visitor', consentText: CONSENT, required: true }],
    });
    sql = await openDb(strapi);
  });

  afterAll(async () => {
    await sql?.close();
    await strapi?.stop();
  });

  it("Strapi's built-in Editor role sees no EAS content anywhere and deletes nothing", async () => {
    const rec = await record();
    const token = strapiEditor.token;
    const mine = await http(`${strapi.url}/admin/users/me/permissions`, { token });
    expect(mine.status).toBe(200);
    expect(mine.body.data.filter((p: { subject: string | null }) => p.subject?.startsWith('plugin::eas.'))).toEqual([]);
    expect((await http(`${strapi.url}/${CM}/plugin::eas.record`, { token })).status).toBe(403);
    expect((await http(`${strapi.url}/${CM}/plugin::eas.form`, { token })).status).toBe(403);
    expect((await http(`${strapi.url}/${CM}/plugin::eas.record/${rec.documentId}`, { token })).status).toBe(403);
    expect((await http(`${strapi.url}/${CM}/plugin::eas.record/${rec.documentId}`, { method: 'DELETE', token })).status).toBe(403);
    expect((await http(`${strapi.url}/eas/records/${rec.documentId}`, { token })).status).toBe(403);
    // Evidence is not in the Media Library at all: nothing to list, nothing to delete.
    const library = await http(`${strapi.url}/upload/files?pageSize=100`, { token: admin.token });
    expect(library.body.results).toEqual([]);
    expect(storedFiles()).toBeGreaterThanOrEqual(3);
    expect(await rows(rec.reference)).toBe(1);
  });

  it('a permission on EAS content granted to a role without an EAS permission is taken away again, and the audit log says so', async () => {
    const roles = await http(`${strapi.url}/admin/roles`, { token: admin.token });
    const editorRole = roles.body.data.find((r: { code: string }) => r.code === 'strapi-editor');
    const current = await http(`${strapi.url}/admin/roles/${editorRole.id}/permissions`, { token: admin.token });
    const keep = current.body.data.map((p: { action: string; subject: string | null; properties: unknown; conditions: unknown }) => ({
      action: p.action,
      subject: p.subject,
      properties: p.properties,
      conditions: p.conditions,
    }));
    const granted = await http(`${strapi.url}/admin/roles/${editorRole.id}/permissions`, {
      method: 'PUT',
      token: admin.token,
      json: {
        permissions: [
          ...keep,
          {
            action: 'plugin::content-manager.explorer.read',
            subject: 'plugin::eas.record',
            properties: { fields: ['reference', 'data'] },
            conditions: [],
          },
        ],
      },
    });
    expect(granted.status).toBe(200);
    const deadline = Date.now() + 10_000;
    let list = 200;
    while (
      Date.now() < deadline &&
      (list = (await http(`${strapi.url}/${CM}/plugin::eas.record`, { token: strapiEditor.token })).status) !== 403
    ) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(list).toBe(403);
    const restricted = await sql.query<{ details: string | object }>(
      "select details from eas_audit_log where action = 'roles.restricted' order by seq desc"
    );
    const details = restricted.map((r) => (typeof r.details === 'string' ? JSON.parse(r.details) : r.details));
    expect(details).toContainEqual({ role: 'Editor', removed: ['plugin::content-manager.explorer.read plugin::eas.record'] });
  });

  it('a Super Admin cannot change or delete a record, one by one or in bulk, and the EAS editor reads but never writes', async () => {
    const rec = await record();
    for (const token of [admin.token, easEditor.token]) {
      expect((await http(`${strapi.url}/${CM}/plugin::eas.record/${rec.documentId}`, { method: 'DELETE', token })).status).toBe(403);
      expect(
        (
          await http(`${strapi.url}/${CM}/plugin::eas.record/actions/bulkDelete`, {
            method: 'POST',
            token,
            json: { documentIds: [rec.documentId] },
          })
        ).status
      ).toBe(403);
      expect(
        (await http(`${strapi.url}/${CM}/plugin::eas.record/${rec.documentId}`, { method: 'PUT', token, json: { state: 'approved' } }))
          .status
      ).toBe(403);
    }
    expect((await http(`${strapi.url}/${CM}/plugin::eas.record/${rec.documentId}`, { token: easEditor.token })).status).toBe(200);
    expect(await rows(rec.reference)).toBe(1);
    expect(await historyOf(rec.reference)).toEqual(['record.created', 'photo.stored', 'signature.stored', 'record.submitted']);
    // The file id in a signed media URL is not a Media Library file: the upload plugin cannot delete it.
    const fileId = Number(new URL(rec.photos[0].url, strapi.url).pathname.split('/').pop());
    expect((await http(`${strapi.url}/upload/files/${fileId}`, { method: 'DELETE', token: admin.token })).status).toBe(404);
    expect((await fetch(`${strapi.url}${rec.photos[0].url}`)).status).toBe(200);
  });

  it('a form with records and a field-staff account with records cannot be deleted (archive or block them instead)', async () => {
    await record();
    const form = await http(`${strapi.url}/${CM}/plugin::eas.form/${formId}`, { method: 'DELETE', token: admin.token });
    expect(form.status).toBe(400);
    expect(form.body.error.message).toMatch(/This form has records, so it cannot be deleted: archive it instead/);
    expect((await http(`${strapi.url}/api/eas/forms/${slug}`, { token: staff.jwt })).status).toBe(200);
    const [user] = await sql.query<{ document_id: string }>('select document_id from up_users where id = ?', [staff.id]);
    const gone = await http(`${strapi.url}/${CM}/plugin::users-permissions.user/${user.document_id}`, {
      method: 'DELETE',
      token: admin.token,
    });
    expect(gone.status).toBe(400);
    expect(gone.body.error.message).toMatch(/This account has captured records, so it cannot be deleted: block it instead/);
    expect((await sql.query('select id from up_users where id = ?', [staff.id])).length).toBe(1);
  });

  it("Strapi's remote data transfer, which writes around EAS, is switched off", async () => {
    // No transfer token can be made or listed, so nobody can open a push or pull.
    expect(
      (
        await http(`${strapi.url}/admin/transfer/tokens`, {
          method: 'POST',
          token: admin.token,
          json: { name: 'x', permissions: ['push'], lifespan: null },
        })
      ).status
    ).toBe(404);
    expect((await http(`${strapi.url}/admin/transfer/tokens`, { token: admin.token })).status).toBe(404);
  });

  it('an API token can neither delete the author of records nor act as field staff', async () => {
    const rec = await record();
    const created = await http(`${strapi.url}/admin/api-tokens`, {
      method: 'POST',
      token: admin.token,
      json: { name: `full-${randomUUID().slice(0, 8)}`, type: 'full-access', lifespan: null },
    });
    expect(created.status).toBe(201);
    const apiToken = created.body.data.accessKey as string;
    const gone = await http(`${strapi.url}/api/users/${staff.id}`, { method: 'DELETE', token: apiToken });
    expect(gone.status).toBe(400);
    expect(gone.body.error.message).toMatch(/This account has captured records, so it cannot be deleted: block it instead/);
    expect((await sql.query('select id from up_users where id = ?', [staff.id])).length).toBe(1);
    // Refused means refused: the worker is not signed out either (users-permissions ends sessions before deleting).
    expect((await http(`${strapi.url}/api/eas/records`, { token: staff.jwt })).status).toBe(200);
    expect((await http(`${strapi.url}/api/eas/verify/${rec.reference}?hash=${rec.integrityHash}`)).body.data.result).toBe('match');
    // Field-staff routes need a person: an API token has none (403, not a 500).
    expect((await http(`${strapi.url}/api/eas/records`, { token: apiToken })).status).toBe(403);
    const post = await http(`${strapi.url}/api/eas/records`, {
      method: 'POST',
      token: apiToken,
      json: { clientId: randomUUID(), form: slug, formVersion: 1, data: { visitor: 'x' }, capturedAt: new Date().toISOString() },
    });
    expect(post.status).toBe(403);
  });

  it('a redaction removes the named personal data and files, keeps the record, its hashes and its history, and is audited', async () => {
    const rec = await record({ visitor: 'Grace Hopper', notes: 'Lives at 12 Elm St' });
    const redact = (token: string, json: unknown) =>
      http(`${strapi.url}/eas/records/${rec.documentId}/redact`, { method: 'POST', token, json });
    expect((await redact(easEditor.token, { reason: 'DPR-1', fields: ['notes'] })).status).toBe(403);
    const noReason = await redact(admin.token, { fields: ['notes'] });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.message).toMatch(/^reason: /);
    const unknown = await redact(admin.token, { reason: 'DPR-1', fields: ['address'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/fields: "address" is not a field of this form/);

    const files = storedFiles();
    const done = await redact(admin.token, {
      reason: 'Data-protection request DPR-2026-17',
      fields: ['notes'],
      photos: ['front'],
      signatures: ['visitor'],
    });
    expect(done.status).toBe(200);
    expect(done.body.data).toMatchObject({
      data: { visitor: 'Grace Hopper' },
      integrityHash: rec.integrityHash,
      redactedAt: expect.any(String),
    });
    expect(done.body.data.signatures[0]).toMatchObject({ signerName: null, url: '' });
    expect(storedFiles()).toBe(files - 3); // display copy, thumbnail, signature image
    expect((await fetch(`${strapi.url}${rec.photos[0].url}`)).status).toBe(404);

    const details = (await http(`${strapi.url}/eas/records/${rec.documentId}`, { token: admin.token })).body.data;
    expect(details.integrity).toMatchObject({ status: 'redacted', findings: [] });
    expect(details.history.find((h: { action: string }) => h.action === 'record.redacted')).toMatchObject({
      actor: { kind: 'admin', name: 'Ada Admin' },
    });
    const [entry] = await sql.query<{ details: string | object }>(
      "select details from eas_audit_log where reference = ? and action = 'record.redacted'",
      [rec.reference]
    );
    const d = typeof entry.details === 'string' ? JSON.parse(entry.details) : entry.details;
    // Free text is a note beside the chain (so a later redaction can remove it); the entry holds its hash.
    expect(d).toMatchObject({
      fields: ['notes'],
      photoSides: ['front'],
      signatureSlots: ['visitor'],
      reasonSha256: sha(Buffer.from('Data-protection request DPR-2026-17')),
    });
    expect(JSON.stringify(d)).not.toContain('Elm St');
    expect(JSON.stringify(d)).not.toContain('DPR-2026-17');
    expect(details.history.find((h: { action: string }) => h.action === 'record.redacted').comment).toBe(
      'Data-protection request DPR-2026-17'
    );
    expect(await rows(rec.reference)).toBe(1);

    const verify = await http(`${strapi.url}/api/eas/verify/${rec.reference}?hash=${rec.integrityHash}`);
    expect(verify.body.data).toMatchObject({ result: 'redacted', match: false, redactedAt: expect.any(String) });
    // Redacted is not a licence: changing what is left is still caught.
    await sql.query('update eas_records set data = ? where reference = ?', [JSON.stringify({ visitor: 'Someone else' }), rec.reference]);
    expect((await http(`${strapi.url}/api/eas/verify/${rec.reference}?hash=${rec.integrityHash}`)).body.data).toMatchObject({
      result: 'altered',
      altered: ['data'],
    });
  });

  it('review comments are notes beside the chain: a redaction removes them from the record and its history, the chain keeps only their hash', async () => {
    const rec = await record();
    const comment = 'Grace lives at 12 Elm St, photograph the door again';
    const rejected = await http(`${strapi.url}/eas/records/${rec.documentId}/review`, {
      method: 'POST',
      token: admin.token,
      json: { decision: 'reject', comment },
    });
    expect(rejected.status).toBe(200);
    const entries = await sql.query<{ details: string | object }>(
      "select details from eas_audit_log where reference = ? and action = 'record.reviewed'",
      [rec.reference]
    );
    const d = typeof entries[0].details === 'string' ? JSON.parse(entries[0].details) : entries[0].details;
    expect(d.commentSha256).toBe(sha(Buffer.from(comment)));
    expect(JSON.stringify(d)).not.toContain('Elm St');
    const before = (await http(`${strapi.url}/eas/records/${rec.documentId}`, { token: admin.token })).body.data;
    expect(before.history.find((h: { action: string }) => h.action === 'record.reviewed').comment).toBe(comment);

    const done = await http(`${strapi.url}/eas/records/${rec.documentId}/redact`, {
      method: 'POST',
      token: admin.token,
      json: { reason: 'DPR-2026-18', comments: true, location: false },
    });
    expect(done.status).toBe(200);
    expect(done.body.data.reviewComment).toBeNull();
    const after = (await http(`${strapi.url}/eas/records/${rec.documentId}`, { token: admin.token })).body.data;
    expect(after.history.find((h: { action: string }) => h.action === 'record.reviewed').comment).toBeNull();
    expect(after.integrity).toMatchObject({ status: 'redacted', findings: [] });
    const notes = await sql.query<{ text: string | null }>(
      'select text from eas_audit_notes where record_id = (select id from eas_records where reference = ?) and kind = ?',
      [rec.reference, 'comment']
    );
    expect(notes).toEqual([{ text: null }]);
    // The database refuses to put text back into a redacted note, or to delete one.
    await expect(sql.query("update eas_audit_notes set text = 'x' where kind = 'comment'")).rejects.toThrow(
      /an audit note can only be redacted/
    );
    await expect(sql.query('delete from eas_audit_notes')).rejects.toThrow(/audit notes are kept/);
  });

  it('the verify page speaks the viewer’s language, shows no personal data and says what to do', async () => {
    const rec = await record({ visitor: 'Grace Hopper', notes: 'Door forced' });
    const page = async (query: string, headers: Record<string, string> = {}) => {
      const res = await fetch(`${strapi.url}/verify/${rec.reference}${query}`, { headers: { Accept: 'text/html', ...headers } });
      return {
        status: res.status,
        type: res.headers.get('content-type'),
        csp: res.headers.get('content-security-policy'),
        html: await res.text(),
      };
    };
    const fr = await page(`?hash=${rec.integrityHash}`, { 'Accept-Language': 'fr-FR,fr;q=0.9,en;q=0.5' });
    expect(fr.status).toBe(200);
    expect(fr.type).toBe('text/html; charset=utf-8');
    expect(fr.csp).toMatch(/default-src 'none'/);
    expect(fr.html).toContain('<html lang="fr" dir="ltr">');
    expect(fr.html).toContain('Le document correspond à l’enregistrement');
    expect(fr.html).not.toMatch(/<script/i);
    const ar = await page(`?hash=${'0'.repeat(64)}`, { 'Accept-Language': 'ar' });
    expect(ar.html).toContain('<html lang="ar" dir="rtl">');
    expect(ar.html).toContain('المستند لا يطابق هذا السجل');
    expect((await page('?hash=nope')).html).toContain('Enter the integrity hash printed on the document');
    // An unknown reference reads exactly like a wrong hash: the page is no oracle on which references exist.
    const missing = await fetch(`${strapi.url}/verify/EAS-1999-999999?hash=${'0'.repeat(64)}&lang=en`, {
      headers: { Accept: 'text/html' },
    });
    expect(missing.status).toBe(200);
    expect(await missing.text()).toContain('The document does not match this record');

    await sql.query('update eas_records set data = ? where reference = ?', [
      JSON.stringify({ visitor: 'Grace Hopper', notes: 'Nothing happened' }),
      rec.reference,
    ]);
    const altered = await page(`?hash=${rec.integrityHash}&lang=en`);
    expect(altered.html).toContain('Warning: the record has been altered');
    expect(altered.html).toContain('<li>the recorded information</li>');
    expect(altered.html).toContain('Do not rely on this document');
    for (const personal of ['Grace', 'Door forced', 'Nothing happened', staff.username]) expect(altered.html).not.toContain(personal);
    const json = await http(`${strapi.url}/verify/${rec.reference}?hash=${rec.integrityHash}`, { headers: { Accept: 'application/json' } });
    expect(json.body.data).toMatchObject({ reference: rec.reference, result: 'altered', altered: ['data', 'signature:visitor'] });
  });
});

describe.runIf(dbKinds().includes('postgres'))('one audit chain across two instances on PostgreSQL', () => {
  let a: StrapiInstance;
  let b: StrapiInstance;

  beforeAll(async () => {
    a = await startStrapi({ db: 'postgres' });
    b = await startStrapi({ db: 'postgres', shareWith: a });
  });
  afterAll(async () => {
    await b?.kill();
    await a?.stop();
  });

  it('stays one unbroken chain when both instances write at the same moment', async () => {
    const admin = await registerAdmin(a.url);
    const staff = await createFieldStaff(a.url, admin.token);
    await createAndPublishForm(a.url, admin.token, {
      name: 'Count',
      slug: 'count',
      fields: [{ key: 'n', label: 'N', type: 'number', required: true }],
      frontPhoto: { enabled: false },
      backPhoto: { enabled: false },
      signatures: [],
    });
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        http(`${(i % 2 ? b : a).url}/api/eas/records`, {
          method: 'POST',
          token: staff.jwt,
          json: { clientId: randomUUID(), form: 'count', formVersion: 1, data: { n: i }, capturedAt: new Date().toISOString() },
        })
      )
    );
    expect(results.map((r) => r.status)).toEqual(Array(40).fill(201));
    const sql = await openDb(a);
    try {
      const seqs = (await sql.query<{ seq: number }>('select seq from eas_audit_log order by seq')).map((r) => Number(r.seq));
      expect(seqs).toEqual(seqs.map((_, i) => i + 1));
      // Each entry points at the one before it: no two appends read the same head.
      expect(
        await sql.query(
          'select count(*)::int as n from eas_audit_log e join eas_audit_log p on p.seq = e.seq - 1 where e.prev_hash <> p.hash'
        )
      ).toEqual([{ n: 0 }]);
      expect(await sql.query("select count(*)::int as n from eas_audit_log where action = 'record.created'")).toEqual([{ n: 40 }]);
    } finally {
      await sql.close();
    }
    const verify = await http(`${b.url}/api/eas/verify/${results[0].body.data.reference}?hash=${results[0].body.data.integrityHash}`);
    expect(verify.body.data.result).toBe('match');
  });
});
