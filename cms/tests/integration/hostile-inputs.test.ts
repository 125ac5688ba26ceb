/**
 * Hostile inputs get a 4xx that names the field or file — never a 500, never accepted — and nothing is written.
 * Each case asserts its exact status, that the message (and details.errors[].path where there is a field) names
 * what was wrong, and that the record count, the record itself and the stored files are unchanged.
 */
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fx from '../../src/plugins/eas/server/src/utils/__tests__/image-fixtures';
import {
  createAndPublishForm,
  createFieldStaff,
  dbKinds,
  http,
  putMultipart,
  registerAdmin,
  startStrapi,
  type Json,
  type StrapiInstance,
} from '../harness';

const MB = 1024 * 1024;
const CONSENT = 'I confirm what was recorded.';
const unique = () => Math.random().toString(36).slice(2, 8);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Records of this form stay drafts (required photo and signature), so they can be changed with PUT. */
const draftForm = (slug: string) => ({
  name: `Hostile ${slug}`,
  slug,
  fields: [
    { key: 'site_name', label: 'Site name', type: 'text', required: true },
    { key: 'notes', label: 'Notes', type: 'textarea' },
    { key: 'condition', label: 'Condition', type: 'select', options: 'good|Good\npoor|Poor' },
    { key: 'details', label: 'What needs fixing', type: 'textarea', showIfField: 'condition', showIfEquals: 'poor' },
  ],
  frontPhoto: { enabled: true, required: true },
  backPhoto: { enabled: false },
  signatures: [{ key: 'client', role: 'Client', consentText: CONSENT, required: true }],
});

/** Records of this form are submitted at once, ready for an editor's review. */
const reviewForm = (slug: string) => ({
  name: `Review ${slug}`,
  slug,
  fields: [{ key: 'site_name', label: 'Site name', type: 'text', required: true }],
  frontPhoto: { enabled: false },
  backPhoto: { enabled: false },
  signatures: [],
});

/** JSON text of a value nested `depth` arrays deep (built as text: no recursion in the test either). */
const nestedJson = (depth: number) => `${'['.repeat(depth)}"x"${']'.repeat(depth)}`;

const strokesJson = JSON.stringify([
  {
    penColor: 'black',
    points: [
      { x: 10, y: 10, time: 1, pressure: 0.5 },
      { x: 50, y: 20, time: 20, pressure: 0.5 },
    ],
  },
]);

describe.each(dbKinds())('hostile inputs on %s', (db) => {
  let strapi: StrapiInstance;
  let admin: Awaited<ReturnType<typeof registerAdmin>>;
  let staff: Awaited<ReturnType<typeof createFieldStaff>>;
  let drafts: string;
  let reviews: string;

  const url = (path: string) => `${strapi.url}${path}`;
  const submission = (data: Record<string, unknown> = { site_name: 'North depot' }, form = drafts) => ({
    clientId: randomUUID(),
    form,
    formVersion: 1,
    data,
    capturedAt: new Date().toISOString(),
  });
  const post = (body: unknown, token: string | undefined = staff.jwt) =>
    http(url('/api/eas/records'), { method: 'POST', token, json: body });
  const put = (documentId: string, body: unknown) =>
    http(url(`/api/eas/records/${documentId}`), { method: 'PUT', token: staff.jwt, json: body });
  const rawJson = (method: string, path: string, text: string, token?: string) =>
    http(url(path), { method, token, headers: { 'Content-Type': 'application/json' }, body: text });
  const newDraft = async () => {
    const res = await post(submission());
    expect(res.status).toBe(201);
    return res.body.data as { documentId: string };
  };
  const recordCount = async () =>
    (await http(url('/content-manager/collection-types/plugin::eas.record?pageSize=1'), { token: admin.token })).body.pagination
      .total as number;
  /** Evidence files as stored: the files in this instance's private evidence folder. */
  const fileCount = async () => {
    const root = strapi.env.EAS_EVIDENCE_DIR;
    return fs.existsSync(root)
      ? (fs.readdirSync(root, { recursive: true, withFileTypes: true }) as fs.Dirent[]).filter((d) => d.isFile()).length
      : 0;
  };
  /** What a write could have changed on a record. */
  const stateOf = async (documentId: string) => {
    const r = (await http(url(`/api/eas/records/${documentId}`), { token: staff.jwt })).body.data;
    return {
      data: r.data,
      status: r.status,
      updatedAt: r.updatedAt,
      integrityHash: r.integrityHash,
      photos: r.photos,
      signatures: r.signatures,
      reviewComment: r.reviewComment,
    };
  };

  const signatureFields = (fields: Record<string, string> = {}) => ({
    strokes: strokesJson,
    signerName: 'Grace Hopper',
    consentText: CONSENT,
    signedAt: new Date().toISOString(),
    ...fields,
  });
  const putSignature = async (documentId: string, fields: Record<string, string>, token: string | undefined = staff.jwt) =>
    putMultipart(
      url(`/api/eas/records/${documentId}/signatures/client`),
      token,
      { buffer: await fx.uniqueSignaturePng(), filename: 'signature.png', type: 'image/png' },
      fields
    );
  const putPhoto = async (
    documentId: string,
    fields: Record<string, string>,
    file?: { buffer: Buffer; filename: string },
    token: string | undefined = staff.jwt
  ) => {
    const f = file ?? { buffer: await fx.jpeg(), filename: 'IMG_0001.jpg' };
    return putMultipart(url(`/api/eas/records/${documentId}/photos/front`), token, f, { originalSha256: sha(f.buffer), ...fields });
  };

  /** Runs `send` against a fresh draft and checks that neither the record nor the stored files changed. */
  const againstDraft = async (send: (documentId: string) => Promise<Json>) => {
    const { documentId } = await newDraft();
    const before = await stateOf(documentId);
    const files = await fileCount();
    const records = await recordCount();
    const res = await send(documentId);
    expect(await stateOf(documentId)).toEqual(before);
    expect(await fileCount()).toBe(files);
    expect(await recordCount()).toBe(records);
    return res;
  };
  const expectError = (res: Json, status: number, message: RegExp, path?: string[]) => {
    expect(res.status).toBe(status);
    expect(res.body.data).toBeNull();
    expect(res.body.error.status).toBe(status);
    expect(res.body.error.message).toMatch(message);
    if (path) expect(res.body.error.details.errors.map((e: { path: string[] }) => e.path)).toContainEqual(path);
  };

  beforeAll(async () => {
    strapi = await startStrapi({ db });
    admin = await registerAdmin(strapi.url);
    staff = await createFieldStaff(strapi.url, admin.token);
    drafts = `hostile-${unique()}`;
    reviews = `review-${unique()}`;
    await createAndPublishForm(strapi.url, admin.token, draftForm(drafts));
    await createAndPublishForm(strapi.url, admin.token, reviewForm(reviews));
  });

  afterAll(async () => {
    await strapi?.stop();
  });

  describe('invisible and broken characters in record data', () => {
    const cases: [string, string, string, RegExp][] = [
      ['a NUL byte', 'site_name', 'North\u0000depot', /Site name contains an invisible control character \(U\+0000\); remove it/],
      ['a lone UTF-16 surrogate', 'site_name', 'North \ud800 depot', /Site name contains a broken character \(U\+D800/],
      [
        'an escape control character',
        'notes',
        'Roof \u001b[31mleaks',
        /Notes contains an invisible control character \(U\+001B\); remove it/,
      ],
      [
        'a right-to-left override',
        'site_name',
        'North \u202edepot',
        /Site name contains an invisible text-direction character \(U\+202E\)/,
      ],
      ['a directional isolate', 'notes', 'Bay \u2066three\u2069', /Notes contains an invisible text-direction character \(U\+2066\)/],
    ];

    it.each(cases)('should reject %s in a text value on POST, writing nothing', async (_name, key, value, message) => {
      const records = await recordCount();
      const res = await post(submission({ site_name: 'North depot', [key]: value }));
      expectError(res, 400, message, ['data', key]);
      expect(res.body.error.details.errors.find((e: { key: string }) => e.key === key)).toMatchObject({ code: 'invalid_characters' });
      expect(await recordCount()).toBe(records);
    });

    it.each(cases)('should reject %s in a text value on PUT, leaving the record unchanged', async (_name, key, value, message) => {
      const res = await againstDraft((id) => put(id, { data: { site_name: 'North depot', [key]: value } }));
      expectError(res, 400, message, ['data', key]);
      expect(res.body.error.details.errors.find((e: { key: string }) => e.key === key)).toMatchObject({ code: 'invalid_characters' });
    });

    it('should keep accepting tabs, line breaks and right-to-left text', async () => {
      const res = await post(submission({ site_name: 'מחסן צפון', notes: 'Line one\r\n\tLine two\nمرحبا' }));
      expect(res.status).toBe(201);
      expect(res.body.data.data).toEqual({ site_name: 'מחסן צפון', notes: 'Line one\r\n\tLine two\nمرحبا' });
    });
  });

  describe('deeply nested data', () => {
    it('should reject a form version beyond what the database holds with 400 naming formVersion, writing nothing', async () => {
      const before = await recordCount();
      expectError(await post({ ...submission(), formVersion: 99_999_999_999 }), 400, /^formVersion: is not a version of this form/, [
        'formVersion',
      ]);
      expect(await recordCount()).toBe(before);
    });

    it('should reject data nested thousands of levels deep on POST before hashing it, writing nothing', async () => {
      const records = await recordCount();
      const text = `{"clientId":"${randomUUID()}","form":"${drafts}","formVersion":1,"capturedAt":"${new Date().toISOString()}","data":{"site_name":${nestedJson(10_000)}}}`;
      const res = await rawJson('POST', '/api/eas/records', text, staff.jwt);
      expectError(res, 400, /data\.site_name: is nested too deeply/, ['data', 'site_name']);
      expect(await recordCount()).toBe(records);
    });

    it('should reject data nested thousands of levels deep on PUT, leaving the record unchanged', async () => {
      const res = await againstDraft((id) =>
        rawJson('PUT', `/api/eas/records/${id}`, `{"data":{"site_name":"North depot","condition":${nestedJson(10_000)}}}`, staff.jwt)
      );
      expectError(res, 400, /data\.condition: is nested too deeply/, ['data', 'condition']);
    });
  });

  describe('oversized and malformed JSON bodies', () => {
    const big = () => JSON.stringify(submission({ site_name: 'North depot', notes: 'x'.repeat(1.2 * MB) }));

    it('should answer 413 naming the 1 MB limit for a JSON body over it, signed in or not', async () => {
      const records = await recordCount();
      expectError(await rawJson('POST', '/api/eas/records', big(), staff.jwt), 413, /request body is larger than the 1 MB limit/);
      expectError(await rawJson('POST', '/api/eas/records', big(), undefined), 413, /request body is larger than the 1 MB limit/);
      expect(await recordCount()).toBe(records);
    });

    it('should answer 413 for a JSON body over the limit on PUT, leaving the record unchanged', async () => {
      const res = await againstDraft((id) =>
        rawJson('PUT', `/api/eas/records/${id}`, JSON.stringify({ data: { notes: 'x'.repeat(1.2 * MB) } }), staff.jwt)
      );
      expectError(res, 413, /request body is larger than the 1 MB limit/);
    });

    it('should answer 400 for a body that is not valid JSON, signed in or not', async () => {
      const records = await recordCount();
      expectError(await rawJson('POST', '/api/eas/records', '{"clientId": ', staff.jwt), 400, /request body is not valid JSON/);
      expectError(await rawJson('POST', '/api/eas/records', '{"clientId": ', undefined), 400, /request body is not valid JSON/);
      expect(await recordCount()).toBe(records);
    });
  });

  describe('multipart bodies over the parser limits', () => {
    it('should answer 413 naming strokes for a text field over the form-field limit, signed in or not', async () => {
      for (const token of [staff.jwt, undefined]) {
        const res = await againstDraft((id) => putSignature(id, signatureFields({ strokes: 'x'.repeat(21 * MB) }), token));
        expectError(res, 413, /^strokes: the text fields of one request may be at most 3 MB together/, ['strokes']);
      }
    });

    it('should name the field that went over the limit, whichever it is', async () => {
      const name = await againstDraft((id) => putSignature(id, signatureFields({ signerName: 'x'.repeat(4 * MB) })));
      expectError(name, 413, /^signerName: the text fields of one request may be at most 3 MB together/, ['signerName']);
      const metadata = await againstDraft((id) => putPhoto(id, { metadata: JSON.stringify({ device: 'x'.repeat(21 * MB) }) }));
      expectError(metadata, 413, /^metadata: the text fields of one request may be at most 3 MB together/, ['metadata']);
    });

    it('should answer 413 naming the file and the limit for a file over it, signed in or not', async () => {
      for (const token of [staff.jwt, undefined]) {
        const res = await againstDraft((id) => putPhoto(id, {}, { buffer: fx.oversize(), filename: 'IMG_0001.jpg' }, token));
        expectError(res, 413, /^file "IMG_0001\.jpg" is larger than the 20 MB limit/, ['file']);
      }
    });
  });

  describe('signatures', () => {
    it.each([
      ['in 2099', '2099-01-01T00:00:00Z', /signedAt: is in the future; check the device clock/],
      ['in 1970', '1970-01-01T00:00:00Z', /signedAt: is before 2000; check the device clock/],
    ])('should reject a signedAt %s, storing no signature', async (_name, signedAt, message) => {
      const res = await againstDraft((id) => putSignature(id, signatureFields({ signedAt })));
      expectError(res, 400, message, ['signedAt']);
    });

    it('should refuse a 10 MB strokes field for a single point with 413 naming strokes', async () => {
      const strokes = JSON.stringify([{ points: [{ x: 1, y: 1, time: 1, pressure: 0.5, note: 'x'.repeat(10 * MB) }] }]);
      const res = await againstDraft((id) => putSignature(id, signatureFields({ strokes })));
      expectError(res, 413, /^strokes: the text fields of one request may be at most 3 MB together/, ['strokes']);
    });

    it('should refuse keys that signature_pad does not produce', async () => {
      const point = JSON.stringify([{ points: [{ x: 1, y: 1, time: 1, pressure: 0.5, note: 'hi' }] }]);
      const group = JSON.stringify([{ penColor: 'black', owner: 1, points: [{ x: 1, y: 1, time: 1 }] }]);
      expectError(
        await againstDraft((id) => putSignature(id, signatureFields({ strokes: point }))),
        400,
        /strokes\.0\.points\.0\.note: unknown field/,
        ['strokes', '0', 'points', '0', 'note']
      );
      expectError(
        await againstDraft((id) => putSignature(id, signatureFields({ strokes: group }))),
        400,
        /strokes\.0\.owner: unknown field/,
        ['strokes', '0', 'owner']
      );
    });

    it('should refuse strokes over 2 MB of JSON text though each point is well formed', async () => {
      const point = { x: 123.45678901234567, y: 234.56789012345678, time: 1735689600000.125, pressure: 0.1234567890123456 };
      const strokes = JSON.stringify([0, 1].map(() => ({ penColor: 'black', points: Array.from({ length: 12_500 }, () => point) })));
      expect(strokes.length).toBeGreaterThan(2 * MB);
      expect(strokes.length).toBeLessThan(2.9 * MB);
      const res = await againstDraft((id) => putSignature(id, signatureFields({ strokes })));
      expectError(res, 400, /strokes: may be at most 2 MB of JSON text/, ['strokes']);
    });

    it.each([
      ['a NUL byte', 'Grace\u0000Hopper', /signerName: contains an invisible control character \(U\+0000\); remove it/],
      ['a right-to-left override', 'Grace \u202erepoH', /signerName: contains an invisible text-direction character \(U\+202E\)/],
      ['a directional isolate', '\u2067Grace Hopper\u2069', /signerName: contains an invisible text-direction character \(U\+2067\)/],
    ])('should reject a signer name with %s, storing no signature', async (_name, signerName, message) => {
      const res = await againstDraft((id) => putSignature(id, signatureFields({ signerName })));
      expectError(res, 400, message, ['signerName']);
    });

    it('should reject a pen colour with invisible characters', async () => {
      const strokes = JSON.stringify([{ penColor: 'black\u0000', points: [{ x: 1, y: 1, time: 1 }] }]);
      const res = await againstDraft((id) => putSignature(id, signatureFields({ strokes })));
      expectError(res, 400, /strokes\.0\.penColor: /, ['strokes', '0', 'penColor']);
    });
  });

  describe('photo metadata', () => {
    it.each([
      ['a NUL byte', JSON.stringify({ device: 'Pixel\u0000 9' }), /metadata\.device: contains an invisible control character \(U\+0000\)/],
      ['a lone surrogate', '{"device":"Pixel \\ud800 9"}', /metadata\.device: contains a broken character \(U\+D800/],
      [
        'a right-to-left override',
        JSON.stringify({ device: 'Pixel \u202e9' }),
        /metadata\.device: contains an invisible text-direction character \(U\+202E\)/,
      ],
    ])('should reject a device name with %s, storing no photo', async (_name, metadata, message) => {
      const res = await againstDraft((id) => putPhoto(id, { metadata }));
      expectError(res, 400, message, ['metadata', 'device']);
    });
  });

  describe("an editor's review comment", () => {
    it.each([
      ['a NUL byte', 'Fix the\u0000 roof', /comment: contains an invisible control character \(U\+0000\)/],
      ['a right-to-left override', 'Fix the \u202efoor', /comment: contains an invisible text-direction character \(U\+202E\)/],
    ])('should reject a comment with %s, leaving the record submitted', async (_name, comment, message) => {
      const created = await post(submission({ site_name: 'North depot' }, reviews));
      expect(created.status).toBe(201);
      const id = created.body.data.documentId as string;
      const before = await stateOf(id);
      const res = await http(url(`/eas/records/${id}/review`), {
        method: 'POST',
        token: admin.token,
        json: { decision: 'reject', comment },
      });
      expectError(res, 400, message, ['comment']);
      expect(await stateOf(id)).toEqual(before);
      expect(before.status).toBe('submitted');
    });
  });

  describe("an editor's export filter", () => {
    it('should reject an export filtered by a form "slug" that is not one', async () => {
      const res = await http(url('/eas/exports'), { method: 'POST', token: admin.token, json: { form: 'survey\u0000' } });
      expectError(res, 400, /form: must be a form slug/, ['form']);
    });
  });
});
