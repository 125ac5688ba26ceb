import { describe, expect, it } from 'vitest';
import { errors } from '@strapi/utils';
import { nestsDeeperThan } from '../common';
import { photoFields, signatureFields, STROKES_MAX_BYTES } from '../evidence';
import { parse } from '../parse';
import { createRecordBody, reviewBody, updateRecordBody } from '../record';

const refusal = (schema: Parameters<typeof parse>[0], input: unknown) => {
  try {
    parse(schema, input);
  } catch (err) {
    expect(err).toBeInstanceOf(errors.ValidationError);
    return err as InstanceType<typeof errors.ValidationError> & { details: { errors: { path: string[]; message: string }[] } };
  }
  throw new Error('expected a ValidationError');
};
const paths = (schema: Parameters<typeof parse>[0], input: unknown) => refusal(schema, input).details.errors.map((e) => e.path.join('.'));

const point = { x: 10, y: 20, time: 1735689600000, pressure: 0.5 };
const group = {
  penColor: 'black',
  dotSize: 0,
  minWidth: 0.5,
  maxWidth: 2.5,
  velocityFilterWeight: 0.7,
  compositeOperation: 'source-over',
  points: [point],
};
const signature = (fields: Record<string, unknown> = {}) => ({
  strokes: JSON.stringify([group]),
  signerName: 'Grace Hopper',
  consentText: 'I agree',
  signedAt: new Date().toISOString(),
  contentHash: 'c'.repeat(64),
  ...fields,
});

describe('signature fields', () => {
  it('accepts exactly what signature_pad v5 toData() produces', () => {
    expect(parse(signatureFields, signature()).strokes).toEqual([group]);
    expect(parse(signatureFields, signature({ strokes: JSON.stringify([{ points: [{ x: 1, y: 1, time: 1 }] }]) })).strokes).toHaveLength(1);
  });

  it.each([
    ['an unknown key on a point', [{ points: [{ ...point, note: 'x' }] }], 'strokes.0.points.0.note'],
    ['an unknown key on a group', [{ ...group, owner: 1 }], 'strokes.0.owner'],
    ['a pen colour with a NUL byte', [{ ...group, penColor: 'black\u0000' }], 'strokes.0.penColor'],
    ['a pen colour of markup', [{ ...group, penColor: '<script>' }], 'strokes.0.penColor'],
    ['a long pen colour', [{ ...group, penColor: 'a'.repeat(65) }], 'strokes.0.penColor'],
    ['an unknown composite operation', [{ ...group, compositeOperation: 'evil' }], 'strokes.0.compositeOperation'],
    ['an infinite coordinate', '[{"points":[{"x":1e999,"y":1,"time":1}]}]', 'strokes.0.points.0.x'],
    ['a coordinate that is text', [{ points: [{ ...point, y: '1' }] }], 'strokes.0.points.0.y'],
    ['a pressure out of range', [{ points: [{ ...point, pressure: 1e6 }] }], 'strokes.0.points.0.pressure'],
    ['a negative time', [{ points: [{ ...point, time: -1 }] }], 'strokes.0.points.0.time'],
    ['a huge pen width', [{ ...group, maxWidth: 1e9 }], 'strokes.0.maxWidth'],
  ])('refuses %s, naming where', (_name, strokes, path) => {
    expect(paths(signatureFields, signature({ strokes: typeof strokes === 'string' ? strokes : JSON.stringify(strokes) }))).toContain(path);
  });

  it('keeps the group and point count limits', () => {
    const many = Array.from({ length: 20_001 }, () => ({ x: 1, y: 1, time: 1 }));
    expect(paths(signatureFields, signature({ strokes: JSON.stringify([{ points: many }]) }))).toContain('strokes.0.points');
    const groups = Array.from({ length: 2_001 }, () => ({ points: [{ x: 1, y: 1, time: 1 }] }));
    expect(paths(signatureFields, signature({ strokes: JSON.stringify(groups) }))).toContain('strokes');
  });

  it('refuses strokes JSON over 2 MB before parsing it', () => {
    const strokes = JSON.stringify([{ points: [point] }]).replace('[', `[${' '.repeat(STROKES_MAX_BYTES)}`);
    const err = refusal(signatureFields, signature({ strokes }));
    expect(err.details.errors).toEqual([{ path: ['strokes'], message: 'strokes: may be at most 2 MB of JSON text' }]);
    // 2 MB exactly is still accepted.
    const fits = JSON.stringify([{ points: [point] }]);
    expect(
      parse(signatureFields, signature({ strokes: fits.replace('[', `[${' '.repeat(STROKES_MAX_BYTES - fits.length)}`) })).strokes
    ).toHaveLength(1);
  });

  it('applies the device-clock range to signedAt as to capturedAt', () => {
    const day = 86_400_000;
    expect(refusal(signatureFields, signature({ signedAt: '2099-01-01T00:00:00Z' })).message).toBe(
      'signedAt: is in the future; check the device clock'
    );
    expect(refusal(signatureFields, signature({ signedAt: '1970-01-01T00:00:00Z' })).message).toBe(
      'signedAt: is before 2000; check the device clock'
    );
    expect(parse(signatureFields, signature({ signedAt: new Date(Date.now() + day - 60_000).toISOString() })).signedAt).toBeTruthy();
    const record = { clientId: '9f0c2a4e-7f1b-4a7e-9b1e-2f0d3c4b5a69', form: 'f', formVersion: 1, data: {} };
    expect(refusal(createRecordBody, { ...record, capturedAt: '2099-01-01T00:00:00Z' }).message).toBe(
      'capturedAt: is in the future; check the device clock'
    );
    expect(refusal(createRecordBody, { ...record, capturedAt: '1970-01-01T00:00:00Z' }).message).toBe(
      'capturedAt: is before 2000; check the device clock'
    );
  });

  it.each([
    ['a NUL byte', 'Grace\u0000Hopper', 'signerName: contains an invisible control character (U+0000); remove it'],
    ['an escape character', 'Grace\u001b', 'signerName: contains an invisible control character (U+001B); remove it'],
    [
      'a right-to-left override',
      'Grace \u202erepoH',
      'signerName: contains an invisible text-direction character (U+202E), which makes it display differently from what is stored; remove it',
    ],
    [
      'a directional isolate',
      '\u2068Grace\u2069',
      'signerName: contains an invisible text-direction character (U+2068), which makes it display differently from what is stored; remove it',
    ],
  ])('refuses a signer name with %s', (_name, signerName, message) => {
    expect(refusal(signatureFields, signature({ signerName })).message).toBe(message);
  });

  it('keeps right-to-left signer names', () => {
    expect(parse(signatureFields, signature({ signerName: 'محمد علي' })).signerName).toBe('محمد علي');
  });
});

describe('photo metadata', () => {
  const sha = 'a'.repeat(64);
  it.each([
    [
      'a NUL byte',
      JSON.stringify({ device: 'Pixel\u0000' }),
      'metadata.device: contains an invisible control character (U+0000); remove it',
    ],
    [
      'a lone surrogate',
      '{"device":"Pixel \\ud800"}',
      'metadata.device: contains a broken character (U+D800, half of a character pair); retype it',
    ],
  ])('refuses a device name with %s', (_name, metadata, message) => {
    expect(refusal(photoFields, { originalSha256: sha, metadata }).message).toBe(message);
  });
  it('accepts an ordinary device name', () => {
    expect(parse(photoFields, { originalSha256: sha, metadata: JSON.stringify({ device: 'Pixel 9 Pro' }) }).metadata).toEqual({
      device: 'Pixel 9 Pro',
    });
  });
});

describe('record data nesting', () => {
  const nested = (depth: number): unknown => {
    let v: unknown = 'x';
    for (let i = 0; i < depth; i++) v = [v];
    return v;
  };
  const record = (data: Record<string, unknown>) => ({
    clientId: '9f0c2a4e-7f1b-4a7e-9b1e-2f0d3c4b5a69',
    form: 'f',
    formVersion: 1,
    data,
    capturedAt: new Date().toISOString(),
  });

  it('measures depth without walking deeper than the limit', () => {
    expect(nestsDeeperThan('x', 0)).toBe(false);
    expect(nestsDeeperThan(['x'], 1)).toBe(false);
    expect(nestsDeeperThan([['x']], 1)).toBe(true);
    expect(nestsDeeperThan({ a: { b: 1 } }, 1)).toBe(true);
    // 200,000 levels: would overflow the stack if it were walked.
    expect(nestsDeeperThan(nested(200_000), 2)).toBe(true);
  });

  it('lets field values of the wrong shape through to the field validator, up to a list of lists', () => {
    expect(parse(createRecordBody, record({ a: 'x', b: ['x'], c: [['x']], d: { $ne: null } })).data).toBeTruthy();
  });

  it('refuses deeper data on POST and PUT, naming the field', () => {
    const err = refusal(createRecordBody, record({ ok: 'x', deep: nested(10_000) }));
    expect(err.details.errors).toEqual([
      {
        path: ['data', 'deep'],
        message: 'data.deep: is nested too deeply: a field value is text, a number, true/false or a list of options',
      },
    ]);
    expect(paths(updateRecordBody, { data: { condition: nested(3) } })).toEqual(['data.condition']);
  });
});

describe('review comment', () => {
  it('refuses invisible characters and keeps ordinary comments', () => {
    expect(refusal(reviewBody, { decision: 'reject', comment: 'Fix\u0000' }).message).toBe(
      'comment: contains an invisible control character (U+0000); remove it'
    );
    expect(refusal(reviewBody, { decision: 'reject', comment: 'Fix \u202eit' }).details.errors[0].path).toEqual(['comment']);
    expect(parse(reviewBody, { decision: 'reject', comment: 'Photo of bay 3\nmissing' }).comment).toBe('Photo of bay 3\nmissing');
  });
});
