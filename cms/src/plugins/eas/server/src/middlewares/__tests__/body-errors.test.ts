/**
 * The words for body-parser refusals, from the real formidable that Strapi's body parser loads, parsing real
 * multipart requests over HTTP: which field or file was being read, and which limit it went over.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  describeBodyError,
  partInProgress,
  recordPartsInProgress,
  strapiFormidable,
  type BodyLimits,
  type BodyRefusal,
} from '../body-errors';

const limits: BodyLimits = { fieldsBytes: 3 * 1024, fileBytes: 20 * 1024, fields: 5 };
const formidable = strapiFormidable() as ReturnType<typeof strapiFormidable> &
  ((options: object) => { parse: (req: http.IncomingMessage, cb: (err: unknown) => void) => void });

let server: http.Server;
let base: string;

beforeAll(async () => {
  recordPartsInProgress(formidable);
  // What koa-body does with Strapi's options: one form per request, parse, report the error.
  server = http.createServer((req, res) => {
    const form = formidable({
      multiples: true,
      maxFieldsSize: limits.fieldsBytes,
      maxFileSize: limits.fileBytes,
      maxFields: limits.fields,
    });
    form.parse(req, (err) => {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify(err ? describeBodyError(err, partInProgress(req.headers), limits, formidable.errors) : 'parsed'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

const send = async (parts: [string, string | { bytes: Buffer; filename: string }][]): Promise<BodyRefusal | 'parsed'> => {
  const form = new FormData();
  for (const [name, value] of parts) {
    if (typeof value === 'string') form.append(name, value);
    else form.append(name, new Blob([value.bytes], { type: 'image/jpeg' }), value.filename);
  }
  return (await fetch(base, { method: 'POST', body: form })).json();
};

/** A multipart body written by hand, for bodies no client library would produce. */
const sendRaw = (headers: Record<string, string>, body: string) =>
  new Promise<BodyRefusal>((resolve, reject) => {
    const req = http.request(base, { method: 'POST', headers }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve(JSON.parse(text)));
    });
    req.on('error', reject);
    req.end(body);
  });

describe('body-parser refusals', () => {
  it('parses a body within the limits', async () => {
    expect(
      await send([
        ['signerName', 'Grace'],
        ['file', { bytes: Buffer.alloc(1000), filename: 'a.png' }],
      ])
    ).toBe('parsed');
  });

  it('names the text field being read when the text fields went over their limit', async () => {
    expect(
      await send([
        ['signerName', 'Grace'],
        ['strokes', 'x'.repeat(64 * 1024)],
        ['signedAt', 'now'],
      ])
    ).toEqual({
      status: 413,
      message: 'strokes: the text fields of one request may be at most 3 KB together',
      path: ['strokes'],
    });
  });

  it('names the field that crossed the limit when several fields add up to it', async () => {
    expect(
      await send([
        ['a', 'x'.repeat(2048)],
        ['b', 'x'.repeat(2048)],
      ])
    ).toMatchObject({ status: 413, path: ['b'] });
  });

  it('names the file and the limit for a file over it', async () => {
    expect(
      await send([
        ['originalSha256', 'a'],
        ['file', { bytes: Buffer.alloc(64 * 1024), filename: 'IMG_0001.jpg' }],
      ])
    ).toEqual({
      status: 413,
      message: 'file "IMG_0001.jpg" is larger than the 20 KB limit',
      path: ['file'],
    });
  });

  it('says the files count together when a second file crosses the limit', async () => {
    const half = { bytes: Buffer.alloc(15 * 1024), filename: 'b.jpg' };
    expect(
      await send([
        ['file', { ...half, filename: 'a.jpg' }],
        ['file', half],
      ])
    ).toEqual({
      status: 413,
      message: 'file "b.jpg": the files of one request may be at most 20 KB together',
      path: ['file'],
    });
  });

  it('spells out invisible characters of a file name it echoes', async () => {
    const res = await send([['file', { bytes: Buffer.alloc(64 * 1024), filename: 'IMG\u202egpj.exe' }]]);
    expect(res).toMatchObject({ status: 413, message: 'file "IMG<U+202E>gpj.exe" is larger than the 20 KB limit' });
  });

  it('refuses too many text fields', async () => {
    const parts = Array.from({ length: 6 }, (_, i) => [`f${i}`, 'x'] as [string, string]);
    expect(await send(parts)).toEqual({ status: 413, message: 'a request may have at most 5 text fields', path: [] });
  });

  it('answers 400 for a multipart body cut short', async () => {
    const res = await sendRaw(
      { 'Content-Type': 'multipart/form-data; boundary=XYZ' },
      '--XYZ\r\nContent-Disposition: form-data; name="strokes"\r\n\r\n[1,2'
    );
    expect(res).toMatchObject({ status: 400, path: ['strokes'] });
    expect(res.message).toMatch(/^The multipart body could not be read: /);
  });

  it('answers 400 for a multipart body without a boundary or with an unknown transfer encoding', async () => {
    expect(await sendRaw({ 'Content-Type': 'multipart/form-data' }, 'x')).toMatchObject({ status: 400, path: [] });
    const encoded =
      '--XYZ\r\nContent-Disposition: form-data; name="signerName"\r\nContent-Transfer-Encoding: rot13\r\n\r\nTenpr\r\n--XYZ--\r\n';
    // formidable's own httpCode for this is 501, which would tell the client the server is at fault.
    expect(await sendRaw({ 'Content-Type': 'multipart/form-data; boundary=XYZ' }, encoded)).toMatchObject({ status: 400 });
  });

  it("words co-body's JSON refusals and leaves other errors alone", () => {
    const tooLarge = Object.assign(new Error('request entity too large'), {
      type: 'entity.too.large',
      status: 413,
      limit: 1024 * 1024,
      length: 2e6,
    });
    expect(describeBodyError(tooLarge, null, limits, formidable.errors)).toEqual({
      status: 413,
      message: 'The request body is larger than the 1 MB limit',
      path: [],
    });
    let syntax: unknown;
    try {
      JSON.parse('{"a": ');
    } catch (err) {
      syntax = Object.assign(err as Error, { status: 400, body: '{"a": ' });
    }
    expect(describeBodyError(syntax, null, limits, formidable.errors)).toMatchObject({
      status: 400,
      message: expect.stringMatching(/^The request body is not valid JSON \(/),
    });
    expect(describeBodyError(new Error('boom'), null, limits, formidable.errors)).toBeNull();
    expect(describeBodyError(new SyntaxError('from a controller'), null, limits, formidable.errors)).toBeNull();
  });
});
