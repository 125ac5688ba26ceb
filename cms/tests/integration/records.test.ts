import { createHash, randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENTS } from '../../src/plugins/eas/shared/events';
import * as fx from '../../src/plugins/eas/server/src/utils/__tests__/image-fixtures';
import {
  createAdminWithPermissions,
  createAndPublishForm,
  createEditor,
  createFieldStaff,
  dbKinds,
  http,
  publishForm,
  putMultipart,
  putSignature,
  registerAdmin,
  startStrapi,
  updateForm,
  type StrapiInstance,
} from '../harness';

const unique = () => Math.random().toString(36).slice(2, 8);

/** A form without required media: records are submitted at once. */
const surveyForm = (slug: string) => ({
  name: `Survey ${slug}`,
  slug,
  fields: [
    { key: 'site_name', label: 'Site name', type: 'text', required: true, max: 50 },
    { key: 'people', label: 'People on site', type: 'number', min: 0, max: 500 },
    { key: 'visit_date', label: 'Visit date', type: 'date', required: true, min: -30, max: 0 },
    { key: 'condition', label: 'Condition', type: 'select', required: true, options: 'good|Good\npoor|Poor' },
    { key: 'details', label: 'What needs fixing', type: 'textarea', required: true, showIfField: 'condition', showIfEquals: 'poor' },
    { key: 'issues', label: 'Issues', type: 'multiselect', options: 'leak|Leak\ndamage|Damage' },
    { key: 'safe', label: 'Safe to enter', type: 'checkbox' },
    { key: 'email', label: 'Contact email', type: 'email' },
    { key: 'phone', label: 'Contact phone', type: 'phone' },
    { key: 'code', label: 'Asset code', type: 'text', pattern: '[A-Z]{2}[0-9]{3}' },
  ],
  frontPhoto: { enabled: false },
  backPhoto: { enabled: false },
  signatures: [],
});

/** A form whose records need photos and a signature: they stay drafts until the media arrive. */
const evidenceForm = (slug: string) => ({
  name: `Evidence ${slug}`,
  slug,
  fields: [{ key: 'note', label: 'Note', type: 'text', required: true }],
  frontPhoto: { enabled: true, required: true },
  backPhoto: { enabled: true, required: false },
  signatures: [{ key: 'client', role: 'Client', consentText: 'I agree', required: true }],
});

const today = () => new Date().toISOString().slice(0, 10);

const validData = () => ({
  site_name: 'North depot',
  people: 12,
  visit_date: today(),
  condition: 'poor',
  details: 'Roof leaks over bay 3',
  issues: ['leak'],
  safe: true,
  email: 'depot@example.org',
  phone: '+44 20 7946 0958',
  code: 'AB123',
});

describe.each(dbKinds())('records API on %s', (db) => {
  let strapi: StrapiInstance;
  let admin: Awaited<ReturnType<typeof registerAdmin>>;
  let staff: Awaited<ReturnType<typeof createFieldStaff>>;
  let other: Awaited<ReturnType<typeof createFieldStaff>>;
  let survey: string;
  let evidence: string;
  let surveyDocumentId: string;

  const post = (body: unknown, token = staff.jwt) => http(`${strapi.url}/api/eas/records`, { method: 'POST', token, json: body });
  const submission = (overrides: Record<string, unknown> = {}) => ({
    clientId: randomUUID(),
    form: survey,
    formVersion: 1,
    data: validData(),
    capturedAt: new Date().toISOString(),
    location: { lat: 51.5, lng: -0.12, accuracy: 8 },
    ...overrides,
  });

  beforeAll(async () => {
    strapi = await startStrapi({ db });
    admin = await registerAdmin(strapi.url);
    staff = await createFieldStaff(strapi.url, admin.token);
    other = await createFieldStaff(strapi.url, admin.token);
    survey = `survey-${unique()}`;
    evidence = `evidence-${unique()}`;
    surveyDocumentId = await createAndPublishForm(strapi.url, admin.token, surveyForm(survey));
    await createAndPublishForm(strapi.url, admin.token, evidenceForm(evidence));
  });

  afterAll(async () => {
    await strapi?.stop();
  });

  describe('submission', () => {
    it('creates a submitted record with a reference when the form needs no media', async () => {
      const body = submission();
      const res = await post(body);
      expect(res.status).toBe(201);
      expect(res.body.data).toMatchObject({
        clientId: body.clientId,
        form: { slug: survey, version: 1, name: `Survey ${survey}` },
        status: 'submitted',
        data: validData(),
        location: { lat: 51.5, lng: -0.12, accuracy: 8 },
        reviewComment: null,
        missing: { photos: [], signatures: [] },
      });
      expect(res.body.data.reference).toMatch(/^EAS-\d{4}-\d{6}$/);
      expect(res.body.data.submittedAt).toBeTruthy();
    });

    it('keeps a record as a draft until its required photos and signatures arrive', async () => {
      const res = await post(submission({ form: evidence, data: { note: 'Meter replaced' } }));
      expect(res.status).toBe(201);
      expect(res.body.data.status).toBe('draft');
      expect(res.body.data.missing).toEqual({ photos: ['front'], signatures: ['client'], staleSignatures: [] });

      const submit = await http(`${strapi.url}/api/eas/records/${res.body.data.documentId}/submit`, { method: 'POST', token: staff.jwt });
      expect(submit.status).toBe(409);
      expect(submit.body.error.message).toMatch(/missing the front photo, the signature of the Client \("client"\)/);
    });

    it('answers a replayed submission with the same record, never a second one', async () => {
      const body = submission();
      const first = await post(body);
      // Same content, keys in another order and the time written differently: still the same submission.
      const replay = await post({
        ...body,
        data: Object.fromEntries(Object.entries(body.data).reverse()),
        capturedAt: new Date(body.capturedAt).toISOString().replace('Z', '+00:00'),
      });
      expect(first.status).toBe(201);
      expect(replay.status).toBe(200);
      expect(replay.body.data.documentId).toBe(first.body.data.documentId);
      expect(replay.body.data.reference).toBe(first.body.data.reference);
      const mine = await http(`${strapi.url}/api/eas/records?pageSize=100`, { token: staff.jwt });
      expect(mine.body.data.filter((r: { clientId: string }) => r.clientId === body.clientId)).toHaveLength(1);
    });

    it('refuses a replayed clientId with different content (409)', async () => {
      const body = submission();
      await post(body);
      const res = await post({ ...body, data: { ...body.data, people: 13 } });
      expect(res.status).toBe(409);
      expect(res.body.error.message).toMatch(/already used for a record with different content/);
    });

    it('refuses another user reusing a clientId without revealing the record', async () => {
      const body = submission();
      await post(body);
      const res = await post(body, other.jwt);
      expect(res.status).toBe(409);
      expect(JSON.stringify(res.body)).not.toContain('North depot');
    });

    it('makes exactly one record from ten concurrent submissions with one clientId, also after a restart', async () => {
      await strapi.restart(); // the unique index must survive Strapi's schema sync
      const login = await http(`${strapi.url}/api/auth/local`, {
        method: 'POST',
        json: { identifier: staff.username, password: staff.password },
      });
      staff.jwt = login.body.jwt;
      const body = submission();
      const results = await Promise.all(Array.from({ length: 10 }, () => post(body)));
      const statuses = results.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 200)).toHaveLength(9);
      expect(new Set(results.map((r) => r.body.data.documentId)).size).toBe(1);
      const mine = await http(`${strapi.url}/api/eas/records?pageSize=100`, { token: staff.jwt });
      expect(mine.body.data.filter((r: { clientId: string }) => r.clientId === body.clientId)).toHaveLength(1);
    });
  });

  describe('validation', () => {
    it('lists every failing field with key, code and message', async () => {
      const res = await post(
        submission({
          data: {
            ...validData(),
            site_name: '',
            people: 900,
            condition: 'bad',
            email: 'nope',
            phone: 'x',
            code: 'ab12',
            issues: ['fire'],
            safe: 'yes',
          },
        })
      );
      expect(res.status).toBe(400);
      const byKey = Object.fromEntries(res.body.error.details.errors.map((e: { key: string; code: string }) => [e.key, e.code]));
      expect(byKey).toEqual({
        site_name: 'required',
        people: 'max',
        condition: 'option',
        // "details" only applies when condition is "poor"; with "bad" it is hidden and must be empty.
        details: 'hidden',
        issues: 'option',
        safe: 'type',
        email: 'email',
        phone: 'phone',
        code: 'pattern',
      });
      expect(res.body.error.details.errors[0]).toMatchObject({ path: ['data', 'site_name'], message: 'Site name is required' });
    });

    it('applies show-if: a hidden field is not required and must stay empty', async () => {
      const good = { ...validData(), condition: 'good' } as Record<string, unknown>;
      delete good.details;
      expect((await post(submission({ data: good }))).status).toBe(201);
      const res = await post(submission({ data: { ...good, details: 'should not be here' } }));
      expect(res.status).toBe(400);
      expect(res.body.error.details.errors).toEqual([expect.objectContaining({ key: 'details', code: 'hidden' })]);
      const missing = await post(submission({ data: { ...good, condition: 'poor' } }));
      expect(missing.body.error.details.errors).toEqual([expect.objectContaining({ key: 'details', code: 'required' })]);
    });

    it('checks dates against the capture day', async () => {
      const old = new Date(Date.now() - 40 * 86_400_000).toISOString().slice(0, 10);
      const res = await post(submission({ data: { ...validData(), visit_date: old } }));
      expect(res.status).toBe(400);
      expect(res.body.error.details.errors[0]).toMatchObject({ key: 'visit_date', code: 'min' });
    });

    it('rejects keys that are not fields of the form', async () => {
      const res = await post(submission({ data: { ...validData(), approved_by: 'me' } }));
      expect(res.status).toBe(400);
      expect(res.body.error.details.errors).toEqual([expect.objectContaining({ key: 'approved_by', code: 'unknown_field' })]);
    });

    it('refuses fields field staff may not set (status, capturedBy, reference) and names them', async () => {
      const res = await post({ ...submission(), status: 'approved', capturedBy: 'someone', reference: 'EAS-1' });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/status: unknown field/);
      expect(res.body.error.message).toMatch(/capturedBy: unknown field/);
      expect(res.body.error.message).toMatch(/reference: unknown field/);
    });

    it('names malformed envelope fields', async () => {
      const res = await post({ clientId: 'abc', form: survey, formVersion: 0, data: [], capturedAt: 'yesterday' });
      expect(res.status).toBe(400);
      const paths = res.body.error.details.errors.map((e: { path: string[] }) => e.path.join('.'));
      expect(paths).toEqual(expect.arrayContaining(['clientId', 'formVersion', 'data', 'capturedAt']));
      const future = await post(submission({ capturedAt: new Date(Date.now() + 3 * 86_400_000).toISOString() }));
      expect(future.status).toBe(400);
      expect(future.body.error.message).toMatch(/capturedAt: is in the future/);
    });

    it('answers an unknown form with 404 and an unknown version with 400', async () => {
      expect((await post(submission({ form: 'no-such-form' }))).status).toBe(404);
      const res = await post(submission({ formVersion: 7 }));
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/has no version 7 \(current: 1\)/);
    });

    it('refuses records for an archived form (409)', async () => {
      const slug = `archived-${unique()}`;
      const id = await createAndPublishForm(strapi.url, admin.token, surveyForm(slug));
      await publishForm(strapi.url, admin.token, id, { archived: true });
      const res = await post(submission({ form: slug }));
      expect(res.status).toBe(409);
      expect(res.body.error.message).toMatch(/archived/);
    });

    it('keeps validating a record against the version it was captured with', async () => {
      const slug = `versioned-${unique()}`;
      const id = await createAndPublishForm(strapi.url, admin.token, evidenceForm(slug));
      const created = await post(submission({ form: slug, data: { note: 'v1 record' } }));
      expect(created.status).toBe(201);
      // Version 2 adds a required field.
      await publishForm(strapi.url, admin.token, id, {
        ...evidenceForm(slug),
        fields: [
          { key: 'note', label: 'Note', type: 'text', required: true },
          { key: 'serial', label: 'Serial', type: 'text', required: true },
        ],
      });
      const v2 = await http(`${strapi.url}/api/eas/forms/${slug}`, { token: staff.jwt });
      expect(v2.body.data.version).toBe(2);
      // The old draft still reads and validates as version 1.
      const update = await http(`${strapi.url}/api/eas/records/${created.body.data.documentId}`, {
        method: 'PUT',
        token: staff.jwt,
        json: { data: { note: 'v1 record, corrected' } },
      });
      expect(update.status).toBe(200);
      expect(update.body.data.form.version).toBe(1);
      expect(update.body.data.data).toEqual({ note: 'v1 record, corrected' });
      // A new capture with version 1 is still accepted (offline devices), version 2 needs the new field.
      expect((await post(submission({ form: slug, data: { note: 'late v1' } }))).status).toBe(201);
      const v2Missing = await post(submission({ form: slug, formVersion: 2, data: { note: 'v2' } }));
      expect(v2Missing.body.error.details.errors).toEqual([expect.objectContaining({ key: 'serial', code: 'required' })]);
    });
  });

  describe('reading', () => {
    it('lists only the caller’s records, newest first, paginated and filterable', async () => {
      const a = await post(submission(), other.jwt);
      const b = await post(submission(), other.jwt);
      const list = await http(`${strapi.url}/api/eas/records?pageSize=1&page=1&status=submitted&form=${survey}`, { token: other.jwt });
      expect(list.status).toBe(200);
      expect(list.body.data.map((r: { documentId: string }) => r.documentId)).toEqual([b.body.data.documentId]);
      expect(list.body.meta.pagination).toEqual({ page: 1, pageSize: 1, pageCount: 2, total: 2 });
      const page2 = await http(`${strapi.url}/api/eas/records?pageSize=1&page=2`, { token: other.jwt });
      expect(page2.body.data[0].documentId).toBe(a.body.data.documentId);
      const bad = await http(`${strapi.url}/api/eas/records?status=lost&pageSize=1000`, { token: other.jwt });
      expect(bad.status).toBe(400);
    });

    it('answers 404 for another user’s record, as for a missing one', async () => {
      const mine = await post(submission());
      const res = await http(`${strapi.url}/api/eas/records/${mine.body.data.documentId}`, { token: other.jwt });
      expect(res.status).toBe(404);
      const own = await http(`${strapi.url}/api/eas/records/${mine.body.data.documentId}`, { token: staff.jwt });
      expect(own.status).toBe(200);
      const nowhere = await http(`${strapi.url}/api/eas/records/abcdefghijklmnopqrstuvwx`, { token: staff.jwt });
      expect(nowhere.status).toBe(404);
    });

    it('refuses anonymous callers', async () => {
      // Anonymous: the Public role has no EAS permission.
      expect((await http(`${strapi.url}/api/eas/records`)).status).toBe(403);
      expect((await http(`${strapi.url}/api/eas/records`, { method: 'POST', json: submission() })).status).toBe(403);
    });
  });

  describe('review by editors', () => {
    it('an editor approves a submitted record; it is then locked', async () => {
      const editor = await createAdminWithPermissions(strapi.url, admin.token, ['plugin::eas.read', 'plugin::eas.review']);
      const rec = (await post(submission())).body.data;
      const details = await http(`${strapi.url}/eas/records/${rec.documentId}`, { token: editor.token });
      expect(details.status).toBe(200);
      expect(details.body.data).toMatchObject({ reference: rec.reference, status: 'submitted', canReview: true });
      expect(details.body.data.fields).toContainEqual(expect.objectContaining({ key: 'condition', label: 'Condition', display: 'Poor' }));
      expect(details.body.data.fields).toContainEqual(expect.objectContaining({ key: 'safe', display: 'Yes' }));

      const approve = await http(`${strapi.url}/eas/records/${rec.documentId}/review`, {
        method: 'POST',
        token: editor.token,
        json: { decision: 'approve', comment: 'All good' },
      });
      expect(approve.status).toBe(200);
      expect(approve.body.data).toMatchObject({ status: 'approved', reviewComment: 'All good' });

      const seen = await http(`${strapi.url}/api/eas/records/${rec.documentId}`, { token: staff.jwt });
      expect(seen.body.data.status).toBe('approved');
      const again = await http(`${strapi.url}/eas/records/${rec.documentId}/review`, {
        method: 'POST',
        token: editor.token,
        json: { decision: 'reject', comment: 'changed my mind' },
      });
      expect(again.status).toBe(409);
      const edit = await http(`${strapi.url}/api/eas/records/${rec.documentId}`, {
        method: 'PUT',
        token: staff.jwt,
        json: { data: validData() },
      });
      expect(edit.status).toBe(409);
    });

    it('a rejection needs a comment; the owner fixes the record and submits it again; history keeps every step', async () => {
      const editor = await createAdminWithPermissions(strapi.url, admin.token, ['plugin::eas.read', 'plugin::eas.review']);
      const rec = (await post(submission())).body.data;
      const review = (json: unknown) =>
        http(`${strapi.url}/eas/records/${rec.documentId}/review`, { method: 'POST', token: editor.token, json });

      const noComment = await review({ decision: 'reject' });
      expect(noComment.status).toBe(400);
      expect(noComment.body.error.message).toMatch(/comment: a rejection needs a comment/);

      const rejected = await review({ decision: 'reject', comment: 'Photo of bay 3 missing the leak' });
      expect(rejected.body.data).toMatchObject({ status: 'rejected', reviewComment: 'Photo of bay 3 missing the leak' });
      const ownView = await http(`${strapi.url}/api/eas/records/${rec.documentId}`, { token: staff.jwt });
      expect(ownView.body.data).toMatchObject({ status: 'rejected', reviewComment: 'Photo of bay 3 missing the leak' });

      const fixed = await http(`${strapi.url}/api/eas/records/${rec.documentId}`, {
        method: 'PUT',
        token: staff.jwt,
        json: { data: { ...validData(), details: 'Leak over bay 3, bucket placed' } },
      });
      expect(fixed.status).toBe(200);
      expect(fixed.body.data.status).toBe('rejected');
      const resubmitted = await http(`${strapi.url}/api/eas/records/${rec.documentId}/submit`, { method: 'POST', token: staff.jwt });
      expect(resubmitted.status).toBe(200);
      expect(resubmitted.body.data.status).toBe('submitted');

      const details = await http(`${strapi.url}/eas/records/${rec.documentId}`, { token: editor.token });
      type Entry = { action: string; from: string | null; to: string | null; actor: { kind: string; name: string } };
      expect(details.body.data.history.map((h: Entry) => [h.action, h.from, h.to, h.actor.kind])).toEqual([
        ['record.created', null, 'submitted', 'field-staff'],
        ['record.reviewed', 'submitted', 'rejected', 'admin'],
        ['record.updated', null, null, 'field-staff'],
        ['record.submitted', 'rejected', 'submitted', 'field-staff'],
        // This very view is written to the history too: who looked at the record, and when.
        ['record.viewed', null, null, 'admin'],
      ]);
      expect(details.body.data.history[1]).toMatchObject({ comment: 'Photo of bay 3 missing the leak', actor: { name: editor.name } });
      expect(details.body.data.integrity.status).toBe('intact');
    });

    it('an editor without the review permission can read but not decide', async () => {
      const reader = await createAdminWithPermissions(strapi.url, admin.token, ['plugin::eas.read']);
      const rec = (await post(submission())).body.data;
      const details = await http(`${strapi.url}/eas/records/${rec.documentId}`, { token: reader.token });
      expect(details.status).toBe(200);
      expect(details.body.data.canReview).toBe(false);
      const res = await http(`${strapi.url}/eas/records/${rec.documentId}/review`, {
        method: 'POST',
        token: reader.token,
        json: { decision: 'approve' },
      });
      expect(res.status).toBe(403);
    });

    it('field staff cannot reach the admin routes', async () => {
      const rec = (await post(submission())).body.data;
      const res = await http(`${strapi.url}/eas/records/${rec.documentId}/review`, {
        method: 'POST',
        token: staff.jwt,
        json: { decision: 'approve' },
      });
      expect(res.status).toBe(401);
    });

    it('the Content Manager cannot rewrite a record behind the lifecycle’s back, not even for a Super Admin', async () => {
      const rec = (await post(submission())).body.data;
      const res = await http(`${strapi.url}/content-manager/collection-types/plugin::eas.record/${rec.documentId}`, {
        method: 'PUT',
        token: admin.token,
        json: { state: 'approved' },
      });
      expect(res.status).toBe(403);
      const still = await http(`${strapi.url}/api/eas/records/${rec.documentId}`, { token: staff.jwt });
      expect(still.body.data.status).toBe('submitted');
    });
  });

  describe('forms in the admin', () => {
    it('refuses an invalid definition on save with a message naming the field', async () => {
      const res = await http(`${strapi.url}/content-manager/collection-types/plugin::eas.form`, {
        method: 'POST',
        token: admin.token,
        json: {
          name: 'Broken',
          slug: `broken-${unique()}`,
          fields: [
            { key: 'size', label: 'Size', type: 'number', min: 10, max: 1 },
            { key: 'size', label: 'Size again', type: 'text' },
            { key: 'kind', label: 'Kind', type: 'select' },
          ],
        },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('Field 1 ("size"): the minimum (10) is greater than the maximum (1)');
      expect(res.body.error.message).toContain('Field 2 ("size"): the key is already used by field 1; keys must be unique');
      expect(res.body.error.message).toContain('Field 3 ("kind"): a select field needs options');
      expect(res.body.error.details.errors[0].path).toEqual(['fields', '0', 'max']);
    });

    it('refuses a malformed field key', async () => {
      const res = await http(`${strapi.url}/content-manager/collection-types/plugin::eas.form`, {
        method: 'POST',
        token: admin.token,
        json: { name: 'Bad key', slug: `bad-key-${unique()}`, fields: [{ key: 'Site Name', label: 'Site', type: 'text' }] },
      });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.error)).toMatch(/key/);
    });
  });

  describe('field work', () => {
    const count = async (token: string) =>
      (await http(`${strapi.url}/api/eas/records?pageSize=1`, { token })).body.meta.pagination.total as number;

    it('should refuse a record whose owner is another user (403 owner_mismatch) and store nothing', async () => {
      const before = [await count(staff.jwt), await count(other.jwt)];
      const res = await post(submission({ owner: other.id }));
      expect(res.status).toBe(403);
      expect(res.body.error.details.code).toBe('owner_mismatch');
      expect([await count(staff.jwt), await count(other.jwt)]).toEqual(before);
      const own = await post(submission({ owner: staff.id }));
      expect(own.status).toBe(201);
    });

    it('names a record in lists by its form’s key field: the first text field, or the list field chosen', async () => {
      const form = await http(`${strapi.url}/api/eas/forms/${survey}`, { token: staff.jwt });
      expect(form.body.data.summaryField).toBe('site_name');
      const rec = (await post(submission())).body.data;
      expect(rec.summary).toBe('North depot');

      const slug = `keyed-${unique()}`;
      await createAndPublishForm(strapi.url, admin.token, { ...surveyForm(slug), listField: 'condition' });
      expect((await http(`${strapi.url}/api/eas/forms/${slug}`, { token: staff.jwt })).body.data.summaryField).toBe('condition');
      const keyed = (await post(submission({ form: slug }))).body.data;
      expect(keyed.summary).toBe('Poor');
      const listed = await http(`${strapi.url}/api/eas/records?form=${slug}`, { token: staff.jwt });
      expect(listed.body.data.map((r: { summary: string }) => r.summary)).toEqual(['Poor']);

      // Redacted: no summary (the value is gone).
      const redacted = await http(`${strapi.url}/eas/records/${rec.documentId}/redact`, {
        method: 'POST',
        token: admin.token,
        json: { reason: 'DPR-1', fields: ['site_name'] },
      });
      expect(redacted.status).toBe(200);
      expect((await http(`${strapi.url}/api/eas/records/${rec.documentId}`, { token: staff.jwt })).body.data.summary).toBeNull();
    });

    it('should refuse a list field that is not a field of the form, naming it (400)', async () => {
      const slug = `badlist-${unique()}`;
      const created = await http(`${strapi.url}/content-manager/collection-types/plugin::eas.form`, {
        method: 'POST',
        token: admin.token,
        json: { ...surveyForm(slug), listField: 'nope' },
      });
      expect(created.status).toBe(400);
      expect(created.body.error.message).toMatch(/"nope" is not a field of this form/);
      const changed = await http(`${strapi.url}/content-manager/collection-types/plugin::eas.form/${surveyDocumentId}`, {
        method: 'PUT',
        token: admin.token,
        json: { listField: 'issues' },
      });
      expect(changed.status).toBe(400);
      expect(changed.body.error.message).toMatch(/"issues" is a multiselect field/);
    });

    it('serves an exact form version to field staff, and 404 for one that never existed', async () => {
      const slug = `versioned-${unique()}`;
      const documentId = await createAndPublishForm(strapi.url, admin.token, surveyForm(slug));
      await updateForm(strapi.url, admin.token, documentId, { ...surveyForm(slug), name: `Survey ${slug} v2` });
      await publishForm(strapi.url, admin.token, documentId);
      const v1 = await http(`${strapi.url}/api/eas/forms/${slug}/versions/1`, { token: staff.jwt });
      expect(v1.status).toBe(200);
      expect(v1.body.data).toMatchObject({ slug, version: 1, name: `Survey ${slug}`, summaryField: 'site_name' });
      expect((await http(`${strapi.url}/api/eas/forms/${slug}`, { token: staff.jwt })).body.data.version).toBe(2);
      const missing = await http(`${strapi.url}/api/eas/forms/${slug}/versions/7`, { token: staff.jwt });
      expect(missing.status).toBe(404);
      expect(missing.body.error.message).toBe(`The form "${slug}" has no version 7`);
      expect((await http(`${strapi.url}/api/eas/forms/${slug}/versions/1`)).status).toBe(403);
    });

    it('the owner fixes a rejected record (data, photo, new signature) and submits it again; the dashboard sees it', async () => {
      const editor = await createEditor(strapi.url, admin.token);
      const socket: Socket = await new Promise((resolve, reject) => {
        const s = io(strapi.url, {
          path: '/eas/socket.io',
          transports: ['websocket'],
          auth: { token: editor.token },
          reconnection: false,
          timeout: 5000,
        });
        s.once('eas.ready', () => resolve(s));
        s.once('connect_error', reject);
      });
      try {
        const submitted: { reference: string; status: string }[] = [];
        socket.on(EVENTS.recordSubmitted, (e) => submitted.push(e));
        const photo = async (documentId: string, buffer: Buffer) =>
          putMultipart(
            `${strapi.url}/api/eas/records/${documentId}/photos/front`,
            staff.jwt,
            { buffer, filename: 'photo.jpg', type: 'image/jpeg' },
            {
              originalSha256: createHash('sha256').update(buffer).digest('hex'),
            }
          );
        const sign = async (documentId: string) =>
          putSignature(strapi.url, staff.jwt, documentId, 'client', {
            png: await fx.uniqueSignaturePng(),
            signerName: 'Ada',
            consentText: 'I agree',
          });

        const rec = (await post({ ...submission({ form: evidence, data: { note: 'first' } }), location: undefined })).body.data;
        expect((await photo(rec.documentId, await fx.jpeg())).status).toBe(201);
        expect((await sign(rec.documentId)).status).toBe(201);
        const first = await http(`${strapi.url}/api/eas/records/${rec.documentId}/submit`, { method: 'POST', token: staff.jwt });
        expect(first.body.data.status).toBe('submitted');
        const rejected = await http(`${strapi.url}/eas/records/${rec.documentId}/review`, {
          method: 'POST',
          token: editor.token,
          json: { decision: 'reject', comment: 'Wrong meter' },
        });
        expect(rejected.status).toBe(200);
        const seenBefore = submitted.filter((e) => e.reference === rec.reference).length;
        expect(seenBefore).toBe(1);

        const fixed = await http(`${strapi.url}/api/eas/records/${rec.documentId}`, {
          method: 'PUT',
          token: staff.jwt,
          json: { data: { note: 'the right meter' } },
        });
        expect(fixed.status).toBe(200);
        expect(fixed.body.data.missing.staleSignatures).toEqual(['client']);
        expect((await photo(rec.documentId, await fx.jpeg(500, 400))).status).toBe(200);
        const stale = await http(`${strapi.url}/api/eas/records/${rec.documentId}/submit`, { method: 'POST', token: staff.jwt });
        expect(stale.status).toBe(409);
        expect((await sign(rec.documentId)).status).toBe(200);
        const again = await http(`${strapi.url}/api/eas/records/${rec.documentId}/submit`, { method: 'POST', token: staff.jwt });
        expect(again.status).toBe(200);
        expect(again.body.data).toMatchObject({ status: 'submitted', data: { note: 'the right meter' } });

        const deadline = Date.now() + 15_000;
        while (submitted.filter((e) => e.reference === rec.reference).length === seenBefore) {
          if (Date.now() > deadline) throw new Error('the dashboard did not receive the resubmission');
          await new Promise((r) => setTimeout(r, 25));
        }
        expect(submitted.filter((e) => e.reference === rec.reference).at(-1)).toMatchObject({ status: 'submitted' });
      } finally {
        socket.close();
      }
    });
  });

  it('keeps the edited survey unchanged for old records (sanity: survey is still version 1)', async () => {
    const form = await http(`${strapi.url}/api/eas/forms/${survey}`, { token: staff.jwt });
    expect(form.body.data.version).toBe(1);
    expect(surveyDocumentId).toBeTruthy();
  });
});

describe('first boot', () => {
  it('creates an "EAS editor" admin role holding the EAS permissions and read-only record views', async () => {
    const strapi = await startStrapi();
    try {
      const admin = await registerAdmin(strapi.url);
      const roles = await http(`${strapi.url}/admin/roles`, { token: admin.token });
      const role = roles.body.data.find((r: { name: string }) => r.name === 'EAS editor');
      expect(role).toBeTruthy();
      const perms = await http(`${strapi.url}/admin/roles/${role.id}/permissions`, { token: admin.token });
      const actions = perms.body.data
        .map((p: { action: string; subject: string | null }) => `${p.action}${p.subject ? ` ${p.subject}` : ''}`)
        .sort();
      expect(actions).toEqual([
        'plugin::content-manager.explorer.read plugin::eas.form',
        'plugin::content-manager.explorer.read plugin::eas.record',
        'plugin::eas.export',
        'plugin::eas.read',
        'plugin::eas.review',
      ]);
    } finally {
      await strapi.stop();
    }
  });
});
