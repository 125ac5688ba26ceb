/**
 * Reliability: hostile-input battery across the public routes. Every request below must get a clear 4xx — never a
 * 5xx — and, where another refusal could hide it, for the reason the case is about (its answer names the field or
 * code); nothing may be written (records, audit-chain entries, evidence-file rows, files in the evidence folder and
 * the Media Library stay as they were, and the records the PUT and review cases aim at are unchanged). Signature
 * cases carry the content hash of the record as it is, so they are refused for their hostile part and not for a
 * missing or stale binding. Exits non-zero otherwise.
 *
 *   npx tsx bench/hostile-input.ts
 */
import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { io } from 'socket.io-client';
import * as fx from '../cms/src/plugins/eas/server/src/utils/__tests__/image-fixtures';
import { openDb } from '../cms/tests/db-access';
import { createAndPublishForm, createFieldStaff, http, registerAdmin, startStrapi } from '../cms/tests/harness';
import { evidenceFiles } from './lib';

interface Case {
  name: string;
  send: () => Promise<{ status: number; body?: any }>;
  /** Text the answer must contain (a field name or an error code), when a refusal for another reason could pass. */
  names?: string;
}

const main = async () => {
  const strapi = await startStrapi({ db: process.env.DATABASE_URL ? 'postgres' : 'sqlite' });
  const failures: string[] = [];
  try {
    const admin = await registerAdmin(strapi.url);
    const staff = await createFieldStaff(strapi.url, admin.token);
    const other = await createFieldStaff(strapi.url, admin.token);
    await createAndPublishForm(strapi.url, admin.token, {
      name: 'Hostile',
      slug: 'hostile',
      fields: [
        { key: 'text', label: 'Text', type: 'text' },
        { key: 'n', label: 'N', type: 'number' },
        { key: 'when', label: 'When', type: 'date' },
        { key: 'pick', label: 'Pick', type: 'select', options: 'a\nb' },
      ],
      frontPhoto: { enabled: true, required: true },
      backPhoto: { enabled: false },
      signatures: [{ key: 'client', role: 'Client', consentText: 'I agree', required: true }],
    });
    await createAndPublishForm(strapi.url, admin.token, {
      name: 'Hostile review',
      slug: 'hostile-review',
      fields: [{ key: 'text', label: 'Text', type: 'text' }],
      frontPhoto: { enabled: false },
      backPhoto: { enabled: false },
      signatures: [],
    });
    const draft = await http(`${strapi.url}/api/eas/records`, {
      method: 'POST',
      token: staff.jwt,
      json: { clientId: randomUUID(), form: 'hostile', formVersion: 1, data: { text: 'ok' }, capturedAt: new Date().toISOString() },
    });
    const id = draft.body.data.documentId as string;
    const submitted = await http(`${strapi.url}/api/eas/records`, {
      method: 'POST',
      token: staff.jwt,
      json: { clientId: randomUUID(), form: 'hostile-review', formVersion: 1, data: { text: 'ok' }, capturedAt: new Date().toISOString() },
    });
    const submittedId = submitted.body.data.documentId as string;
    /** What any case could have written: counts, and the two records the PUT, upload and review cases aim at. */
    const stateOf = async (documentId: string) => {
      const r = (await http(`${strapi.url}/api/eas/records/${documentId}`, { token: staff.jwt })).body.data;
      return {
        data: r.data,
        status: r.status,
        updatedAt: r.updatedAt,
        integrityHash: r.integrityHash,
        photos: r.photos.length,
        signatures: r.signatures.length,
        reviewComment: r.reviewComment,
      };
    };
    const sql = await openDb(strapi);
    const rows = async (table: string) => Number((await sql.query<{ n: number | string }>(`select count(*) as n from ${table}`))[0].n);
    const counts = async () => ({
      records: (await http(`${strapi.url}/content-manager/collection-types/plugin::eas.record?pageSize=1`, { token: admin.token })).body
        .pagination.total,
      auditEntries: await rows('eas_audit_log'),
      evidenceRows: await rows('eas_evidence_files'),
      evidenceFolder: evidenceFiles(strapi.env.EAS_EVIDENCE_DIR).length,
      mediaLibrary: (await http(`${strapi.url}/upload/files?pageSize=1`, { token: admin.token })).body.pagination.total,
      draft: await stateOf(id),
      submitted: await stateOf(submittedId),
    });
    const before = await counts();

    const raw = (method: string, path: string, body: string | Buffer, type: string, token = staff.jwt) =>
      fetch(`${strapi.url}${path}`, {
        method,
        headers: { 'Content-Type': type, Authorization: `Bearer ${token}` },
        body: typeof body === 'string' ? body : new Uint8Array(body),
      }).then(async (r) => ({ status: r.status, body: await r.text() }));
    const post = (json: unknown, token = staff.jwt) => http(`${strapi.url}/api/eas/records`, { method: 'POST', token, json });
    const upload = (
      bytes: Buffer,
      filename: string,
      fields: Record<string, string> = { originalSha256: 'a'.repeat(64) },
      side = 'front',
      token = staff.jwt
    ) => {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.set(k, v);
      form.set('file', new Blob([new Uint8Array(bytes)]), filename);
      return http(`${strapi.url}/api/eas/records/${id}/photos/${side}`, { method: 'PUT', token, body: form });
    };
    // What the signer saw: the draft as the server holds it (no photo yet), so only the hostile field is wrong.
    const contentHash = (await http(`${strapi.url}/api/eas/records/${id}`, { token: staff.jwt })).body.data.contentHash as string;
    if (!/^[0-9a-f]{64}$/.test(contentHash ?? '')) throw new Error(`the record view has no contentHash: ${contentHash}`);
    const sign = async (fields: Record<string, string>, token: string | undefined = staff.jwt) => {
      const form = new FormData();
      const all = {
        strokes: JSON.stringify(fx.uniqueStrokes()),
        signerName: 'Grace Hopper',
        consentText: 'I agree',
        signedAt: new Date().toISOString(),
        contentHash,
        ...fields,
      };
      for (const [k, v] of Object.entries(all)) form.set(k, v);
      form.set('file', new Blob([await fx.uniqueSignaturePng()], { type: 'image/png' }), 'signature.png');
      return http(`${strapi.url}/api/eas/records/${id}/signatures/client`, { method: 'PUT', token, body: form });
    };
    const deep = (depth: number) => `${'['.repeat(depth)}"x"${']'.repeat(depth)}`;
    const MB = 1024 * 1024;
    const base = () => ({ clientId: randomUUID(), form: 'hostile', formVersion: 1, data: {}, capturedAt: new Date().toISOString() });
    const ssrf = [
      '<img src=http://127.0.0.1:1/x>',
      '<iframe src=file:///etc/passwd>',
      '<script>alert(1)</script>',
      "'; DROP TABLE eas_records; --",
      '../../../../etc/passwd',
      '\u0000\u202e',
    ];
    const expired = jwt.sign({ userId: String(staff.id), sessionId: 'x', type: 'access' }, strapi.env.JWT_SECRET, { expiresIn: -60 });
    const forged = jwt.sign({ userId: String(staff.id), sessionId: 'x', type: 'access' }, 'not-the-secret');

    const cases: Case[] = [
      { name: 'malformed JSON', send: () => raw('POST', '/api/eas/records', '{"clientId": ', 'application/json') },
      { name: 'JSON that is an array', send: () => raw('POST', '/api/eas/records', '[1,2,3]', 'application/json') },
      {
        name: 'a 2 MB JSON body',
        send: () =>
          raw('POST', '/api/eas/records', JSON.stringify({ ...base(), data: { text: 'x'.repeat(2 * 1024 * 1024) } }), 'application/json'),
      },
      { name: 'wrong types', send: () => post({ clientId: 42, form: ['hostile'], formVersion: '1', data: 'x', capturedAt: true }) },
      {
        name: 'wrong value types in data',
        send: () => post({ ...base(), data: { n: 'ten', when: 'yesterday', pick: { $ne: null }, text: ['a'] } }),
      },
      { name: 'unknown top-level fields', send: () => post({ ...base(), owner: 1, state: 'approved', __proto__: { admin: true } }) },
      {
        name: 'prototype pollution in data',
        send: () =>
          raw(
            'POST',
            '/api/eas/records',
            JSON.stringify({ ...base(), data: { __proto__: { polluted: true }, constructor: { prototype: { x: 1 } } } }),
            'application/json'
          ),
      },
      ...ssrf.map((v) => ({
        name: `hostile value ${JSON.stringify(v).slice(0, 30)} in a number/select`,
        send: () => post({ ...base(), data: { n: v, pick: v } }),
      })),
      {
        name: 'query operators in a list filter',
        send: () => http(`${strapi.url}/api/eas/records?status[$ne]=x&form[$gt]=`, { token: staff.jwt }),
      },
      { name: 'a huge page size', send: () => http(`${strapi.url}/api/eas/records?pageSize=100000`, { token: staff.jwt }) },
      { name: 'path traversal as a record id', send: () => http(`${strapi.url}/api/eas/records/..%2F..%2Fadmin`, { token: staff.jwt }) },
      { name: 'path traversal in an upload filename', send: () => upload(Buffer.from('<html></html>'), '../../../../tmp/x.html') },
      { name: 'SVG upload', send: () => upload(fx.svg(), 'x.jpg') },
      { name: 'HTML upload', send: () => upload(fx.html(), 'x.jpg') },
      { name: 'PDF upload', send: () => upload(fx.pdf(), 'x.jpg') },
      { name: 'JPEG+HTML polyglot', send: async () => upload(await fx.jpegHtmlPolyglot(), 'x.jpg') },
      { name: 'truncated JPEG', send: async () => upload(await fx.truncatedJpeg(), 'x.jpg') },
      { name: 'pixel bomb', send: () => upload(fx.pixelBombPng(), 'x.png') },
      { name: 'HEIC', send: () => upload(fx.heicHeader(), 'x.heic') },
      { name: '21 MB upload', send: () => upload(fx.oversize(), 'x.jpg') },
      { name: 'empty upload', send: () => upload(Buffer.alloc(0), 'x.jpg') },
      {
        name: 'bad metadata JSON',
        send: async () => upload(await fx.jpeg(), 'x.jpg', { originalSha256: 'a'.repeat(64), metadata: '{not json' }),
      },
      { name: 'unknown photo side', send: async () => upload(await fx.jpeg(), 'x.jpg', undefined, 'top') },
      { name: 'another user’s record', send: async () => upload(await fx.jpeg(), 'x.jpg', undefined, 'front', other.jwt) },
      { name: 'a NUL byte in a text value', send: () => post({ ...base(), data: { text: 'a\u0000b' } }) },
      { name: 'a lone surrogate in a text value', send: () => post({ ...base(), data: { text: 'a\ud800b' } }) },
      { name: 'a right-to-left override in a text value', send: () => post({ ...base(), data: { text: 'a\u202eb' } }) },
      {
        name: 'a NUL byte in a text value on PUT',
        send: () => http(`${strapi.url}/api/eas/records/${id}`, { method: 'PUT', token: staff.jwt, json: { data: { text: 'a\u0000b' } } }),
      },
      {
        name: 'data nested 10,000 levels deep',
        send: () =>
          raw(
            'POST',
            '/api/eas/records',
            JSON.stringify(base()).replace('"data":{}', `"data":{"text":${deep(10_000)}}`),
            'application/json'
          ),
      },
      {
        name: 'data nested 10,000 levels deep on PUT',
        send: () => raw('PUT', `/api/eas/records/${id}`, `{"data":{"pick":${deep(10_000)}}}`, 'application/json'),
      },
      {
        name: 'a 2 MB JSON body, anonymous',
        send: () =>
          fetch(`${strapi.url}/api/eas/records`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ ...base(), data: { text: 'x'.repeat(2 * MB) } }),
          }).then((r) => ({ status: r.status })),
      },
      { name: 'a 21 MB multipart text field', send: () => sign({ strokes: 'x'.repeat(21 * MB) }), names: 'strokes' },
      { name: 'a 21 MB multipart text field, anonymous', send: () => sign({ strokes: 'x'.repeat(21 * MB) }, undefined), names: 'strokes' },
      { name: '21 MB upload, anonymous', send: () => upload(fx.oversize(), 'x.jpg', undefined, 'front', '') },
      { name: 'a signedAt in 2099', send: () => sign({ signedAt: '2099-01-01T00:00:00Z' }), names: 'signedAt' },
      { name: 'a signedAt in 1970', send: () => sign({ signedAt: '1970-01-01T00:00:00Z' }), names: 'signedAt' },
      {
        name: '10 MB of strokes for one point',
        send: () => sign({ strokes: JSON.stringify([{ points: [{ x: 1, y: 1, time: 1, pad: 'x'.repeat(10 * MB) }] }]) }),
        names: 'strokes',
      },
      {
        name: 'a key signature_pad never writes',
        send: () => sign({ strokes: JSON.stringify([{ points: [{ x: 1, y: 1, time: 1, pad: 'x' }] }]) }),
        names: 'pad',
      },
      { name: 'a NUL byte in a signer name', send: () => sign({ signerName: 'Grace\u0000Hopper' }), names: 'signerName' },
      { name: 'a right-to-left override in a signer name', send: () => sign({ signerName: 'Grace \u202erepoH' }), names: 'signerName' },
      {
        name: 'a signature over other content than the record holds',
        send: () => sign({ contentHash: 'b'.repeat(64) }),
        names: 'signature_content_mismatch',
      },
      { name: 'a signature without a content hash', send: () => sign({ contentHash: '' }), names: 'contentHash' },
      { name: 'a signature under another consent text', send: () => sign({ consentText: 'I agree to nothing' }), names: 'consentText' },
      {
        name: 'a NUL byte in a photo device name',
        send: async () =>
          upload(await fx.jpeg(), 'x.jpg', { originalSha256: 'a'.repeat(64), metadata: JSON.stringify({ device: 'a\u0000' }) }),
      },
      {
        name: 'a NUL byte in a review comment',
        send: () =>
          http(`${strapi.url}/eas/records/${submittedId}/review`, {
            method: 'POST',
            token: admin.token,
            json: { decision: 'reject', comment: 'Fix\u0000' },
          }),
      },
      { name: 'an expired token', send: () => post(base(), expired) },
      { name: 'a forged token', send: () => post(base(), forged) },
      { name: 'no token', send: () => http(`${strapi.url}/api/eas/records`, { method: 'POST', json: base() }) },
      { name: 'a field-staff token on an admin route', send: () => http(`${strapi.url}/eas/dashboard`, { token: staff.jwt }) },
      { name: 'a forged media signature', send: () => http(`${strapi.url}/api/eas/media/1?exp=9999999999&sig=${'A'.repeat(43)}`) },
      { name: 'a malformed verify hash', send: () => http(`${strapi.url}/api/eas/verify/EAS-2026-000001?hash=<script>`) },
      {
        name: 'a socket handshake from a foreign origin',
        send: () =>
          new Promise((resolve) => {
            const s = io(strapi.url, {
              path: '/eas/socket.io',
              transports: ['websocket'],
              auth: { token: admin.token },
              extraHeaders: { Origin: 'https://evil.example' },
              reconnection: false,
            });
            s.on('connect', () => (s.close(), resolve({ status: 200 })));
            s.on('connect_error', () => (s.close(), resolve({ status: 403 })));
          }),
      },
    ];

    for (const c of cases) {
      let result: { status: number; body?: any };
      try {
        result = await c.send();
      } catch (err) {
        failures.push(`${c.name}: the request itself failed (${(err as Error).message})`);
        continue;
      }
      const clientError = result.status >= 400 && result.status < 500;
      const answer = typeof result.body === 'string' ? result.body : JSON.stringify(result.body ?? '');
      const forItsReason = !c.names || answer.includes(c.names);
      console.log(`${clientError && forItsReason ? 'ok  ' : 'FAIL'} ${String(result.status).padEnd(4)} ${c.name}`);
      if (!clientError) failures.push(`${c.name}: answered ${result.status}`);
      else if (!forItsReason) failures.push(`${c.name}: refused, but the answer does not name ${c.names}: ${answer.slice(0, 300)}`);
    }
    const after = await counts();
    if (JSON.stringify(after) !== JSON.stringify(before))
      failures.push(`something was written: ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
    if (/Internal Server Error|TypeError|ReferenceError/.test(strapi.logs())) failures.push('the server logged an internal error');
    await sql.close();
    console.log(`\nhostile-input: ${cases.length} requests, ${failures.length} problem(s)`);
    for (const f of failures) console.log(`  - ${f}`);
  } finally {
    await strapi.stop();
  }
  if (failures.length) process.exitCode = 1;
};

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
