import { createHash, randomBytes, randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAndPublishForm,
  createFieldStaff,
  http,
  putMultipart,
  registerAdmin,
  startStrapi,
  submitRecord,
  type StrapiInstance,
} from '../harness';

const TOKEN = randomBytes(24).toString('hex');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The value of one series in Prometheus' text format (0 when it has no sample yet). */
const sample = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
};

/** The JSON log lines of an instance (each line that is an object). */
const jsonLines = (strapi: StrapiInstance) =>
  strapi
    .logs(Infinity)
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('GET /metrics with EAS_METRICS_TOKEN set, behind a trusted proxy', () => {
  let strapi: StrapiInstance;
  let admin: Awaited<ReturnType<typeof registerAdmin>>;
  let staff: Awaited<ReturnType<typeof createFieldStaff>>;
  const slug = `metrics-${randomUUID().slice(0, 8)}`;
  const scrape = async () => {
    const res = await fetch(`${strapi.url}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    return res.text();
  };

  beforeAll(async () => {
    strapi = await startStrapi({ env: { EAS_METRICS_TOKEN: TOKEN, TRUST_PROXY: 'true' } });
    admin = await registerAdmin(strapi.url);
    staff = await createFieldStaff(strapi.url, admin.token);
    const fields = [{ key: 'notes', label: 'Notes', type: 'text', required: true }];
    await createAndPublishForm(strapi.url, admin.token, { name: 'Metrics survey', slug, fields });
    await createAndPublishForm(strapi.url, admin.token, {
      name: 'Metrics photo',
      slug: `${slug}-photo`,
      fields,
      frontPhoto: { enabled: true, required: true, label: 'Site' },
    });
  }, 180_000);
  afterAll(async () => {
    await strapi?.stop();
  });

  it('refuses a scrape without the token, with a wrong one or another scheme: 401', async () => {
    for (const headers of [
      {},
      { Authorization: `Bearer ${TOKEN.slice(1)}` },
      { Authorization: `Bearer ${TOKEN}x` },
      { Authorization: `Basic ${TOKEN}` },
      { Authorization: TOKEN },
    ] as Record<string, string>[]) {
      const res = await http(`${strapi.url}/metrics`, { headers });
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(res.body.error.message).toContain('metrics token');
      expect(JSON.stringify(res.body)).not.toContain('eas_http_requests_total');
    }
  });

  it('answers the right token with the text exposition format, default process metrics included', async () => {
    const res = await fetch(`${strapi.url}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    for (const type of [
      '# TYPE eas_http_requests_total counter',
      '# TYPE eas_http_request_duration_seconds histogram',
      '# TYPE eas_record_submissions_total counter',
      '# TYPE eas_sockets_open gauge',
      '# TYPE process_resident_memory_bytes gauge',
      '# TYPE nodejs_eventloop_lag_seconds gauge',
    ]) {
      expect(text).toContain(type);
    }
    expect(sample(text, 'eas_image_queue_capacity')).toBe(32);
  });

  it('counts a real submission exactly once, and labels requests by route pattern, never by id', async () => {
    const before = sample(await scrape(), 'eas_record_submissions_total');
    const record = await submitRecord(strapi.url, staff.jwt, slug, { notes: 'All in order' });
    expect(record.status).toBe('submitted');
    const read = await http(`${strapi.url}/api/eas/records/${record.documentId}`, { token: staff.jwt });
    expect(read.status).toBe(200);
    const text = await scrape();
    expect(sample(text, 'eas_record_submissions_total') - before).toBe(1);
    expect(sample(text, 'eas_http_requests_total{method="GET",route="/api/eas/records/:documentId",status="200"}')).toBeGreaterThanOrEqual(
      1
    );
    expect(
      sample(text, 'eas_http_request_duration_seconds_count{method="POST",route="/api/eas/records",status="201"}')
    ).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'eas_record_submission_duration_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain(record.documentId);
    expect(text).not.toContain(record.reference);
  });

  it('counts and times a PDF render, by what asked for it', async () => {
    const record = await submitRecord(strapi.url, staff.jwt, slug, { notes: 'For the receipt' });
    const before = await scrape();
    const receipt = await fetch(`${strapi.url}/api/eas/records/${record.documentId}/pdf`, {
      headers: { Authorization: `Bearer ${staff.jwt}` },
    });
    expect(receipt.status).toBe(200);
    expect(
      Buffer.from(await receipt.arrayBuffer())
        .subarray(0, 5)
        .toString()
    ).toBe('%PDF-');
    const after = await scrape();
    const delta = (series: string) => sample(after, series) - sample(before, series);
    expect(delta('eas_pdf_renders_total{via="receipt",result="ok"}')).toBe(1);
    expect(delta('eas_pdf_render_duration_seconds_count{via="receipt"}')).toBe(1);
    expect(delta('eas_pdf_render_duration_seconds_sum{via="receipt"}')).toBeGreaterThan(0);
  }, 60_000);

  it('counts a stored photo and its repetition apart, by kind', async () => {
    const draft = await http(`${strapi.url}/api/eas/records`, {
      method: 'POST',
      token: staff.jwt,
      json: {
        clientId: randomUUID(),
        form: `${slug}-photo`,
        formVersion: 1,
        data: { notes: 'Draft' },
        capturedAt: new Date().toISOString(),
      },
    });
    expect(draft.status).toBe(201);
    const before = await scrape();
    const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#7a7' } })
      .jpeg()
      .toBuffer();
    const put = () =>
      putMultipart(
        `${strapi.url}/api/eas/records/${draft.body.data.documentId}/photos/front`,
        staff.jwt,
        { buffer: jpeg, filename: 'site.jpg', type: 'image/jpeg' },
        {
          originalSha256: createHash('sha256').update(jpeg).digest('hex'),
        }
      );
    expect((await put()).status).toBe(201);
    expect((await put()).status).toBe(200);
    const after = await scrape();
    const delta = (series: string) => sample(after, series) - sample(before, series);
    expect(delta('eas_uploads_total{kind="photo",result="stored"}')).toBe(1);
    expect(delta('eas_uploads_total{kind="photo",result="repeated"}')).toBe(1);
    expect(delta('eas_upload_duration_seconds_count{kind="photo"}')).toBe(1);
    expect(
      sample(after, 'eas_http_requests_total{method="PUT",route="/api/eas/records/:documentId/photos/:side",status="201"}')
    ).toBeGreaterThanOrEqual(1);
  });

  it('labels requests that matched no route with one fixed value', async () => {
    const probe = `/api/eas/nothing-here-${randomUUID()}`;
    expect((await http(`${strapi.url}${probe}`)).status).toBe(404);
    const text = await scrape();
    expect(text).not.toContain(probe);
    expect(sample(text, 'eas_http_requests_total{method="GET",route="unmatched",status="404"}')).toBeGreaterThanOrEqual(1);
  });

  it("gives an error answer the request id of its X-Request-Id header and of its log line (the proxy's id, when sane)", async () => {
    const fromProxy = randomBytes(16).toString('hex'); // as nginx's $request_id
    const res = await fetch(`${strapi.url}/api/eas/records/nosuchrecordxxxxxxxxxxxx`, {
      headers: { Authorization: `Bearer ${staff.jwt}`, 'X-Request-Id': fromProxy },
    });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-request-id')).toBe(fromProxy);
    const body = await res.json();
    expect(body.error.requestId).toBe(fromProxy);
    expect(body.error.message).toBe('No such record');
    const line = jsonLines(strapi).find((l) => l.requestId === fromProxy);
    expect(line).toMatchObject({ level: 'http', route: '/api/eas/records/:documentId', status: 404, method: 'GET' });
    expect(String(line!.message)).not.toContain('nosuchrecord');

    // Not a plain token (here: text that would forge a second JSON field): a new id instead.
    const forged = await fetch(`${strapi.url}/api/eas/records/nosuchrecordxxxxxxxxxxxx`, {
      headers: { Authorization: `Bearer ${staff.jwt}`, 'X-Request-Id': 'x","level":"error' },
    });
    expect(forged.headers.get('x-request-id')).toMatch(UUID);
    expect((await forged.json()).error.requestId).toBe(forged.headers.get('x-request-id'));
  });

  it('writes JSON lines in production: level, time, message, and the request id inside a request', async () => {
    const lines = jsonLines(strapi);
    expect(lines.length).toBeGreaterThan(5);
    // Every line is one: Strapi's startup banner (plain console output) is off with JSON logs.
    expect(
      strapi
        .logs(Infinity)
        .split('\n')
        .filter((l) => l.trim() && !l.startsWith('{'))
    ).toEqual([]);
    for (const line of lines) {
      expect(typeof line.level).toBe('string');
      expect(typeof line.message).toBe('string');
      expect(new Date(String(line.time)).toISOString()).toBe(line.time);
    }
    const access = lines.filter((l) => l.level === 'http');
    expect(access.length).toBeGreaterThan(5);
    expect(access.every((l) => UUID.test(String(l.requestId)) || /^[0-9a-f]{32}$/.test(String(l.requestId)))).toBe(true);
    // Strapi's own text access line is gone: one line per request, without the raw URL.
    expect(strapi.logs(Infinity)).not.toMatch(/GET \/api\/eas\/records\/[A-Za-z0-9]{24} \(\d+ ms\)/);
  });
});

describe('GET /metrics without EAS_METRICS_TOKEN, no trusted proxy', () => {
  let strapi: StrapiInstance;

  beforeAll(async () => {
    strapi = await startStrapi({ env: { EAS_METRICS_TOKEN: '', TRUST_PROXY: 'false', EAS_LOG_FORMAT: 'json' } });
  }, 180_000);
  afterAll(async () => {
    await strapi?.stop();
  });

  it('is off: 404, with or without a token', async () => {
    expect((await http(`${strapi.url}/metrics`)).status).toBe(404);
    expect((await http(`${strapi.url}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
  });

  it('never echoes a client-chosen X-Request-Id: a generated one is used, in the header, the error and the log', async () => {
    const spoofed = randomBytes(16).toString('hex');
    const res = await fetch(`${strapi.url}/api/eas/records`, { headers: { 'X-Request-Id': spoofed } });
    expect(res.status).toBe(403);
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(UUID);
    expect((await res.json()).error.requestId).toBe(id);
    expect(strapi.logs(Infinity)).not.toContain(spoofed);
    expect(jsonLines(strapi).some((l) => l.requestId === id && l.status === 403)).toBe(true);
  });
});
