import { z } from 'zod';
import { QUALITY_ISSUES, type QualityIssue } from '../../../../shared/photo-quality';
import { deviceTime, plainText } from './common';

const sha256 = z.string().regex(/^[a-f0-9]{64}$/i, { error: 'must be the SHA-256 of the original capture (64 hex characters)' });

const MB = 1024 * 1024;

/** A JSON text field of a multipart body, at most `maxBytes` long (UTF-8), checked before it is parsed. */
const json = <T extends z.ZodTypeAny>(schema: T, what: string, maxBytes = 64 * 1024) =>
  z
    .string({ error: `must be ${what} as JSON text` })
    .refine((text) => Buffer.byteLength(text) <= maxBytes, {
      error: `may be at most ${maxBytes >= MB ? `${maxBytes / MB} MB` : `${maxBytes / 1024} KB`} of JSON text`,
      abort: true,
    })
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: `is not valid JSON (${what})` });
        return z.NEVER;
      }
    })
    .pipe(schema);

const isoDate = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' });

export const photoMetadata = z
  .object({
    takenAt: isoDate.optional(),
    device: plainText(z.string().max(200)).optional(),
    orientation: z.number().int().min(1).max(8).optional(),
    gps: z
      .object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180), accuracy: z.number().min(0).optional() })
      .strict()
      .optional(),
    qualityOverride: z
      .array(z.enum(QUALITY_ISSUES as [QualityIssue, ...QualityIssue[]]))
      .max(QUALITY_ISSUES.length)
      .optional(),
  })
  .strict();

/** Text fields of PUT /api/eas/records/:documentId/photos/:side (multipart). */
export const photoFields = z
  .object({
    originalSha256: sha256,
    metadata: json(photoMetadata, 'capture metadata { takenAt, device, orientation, gps }').optional(),
  })
  .strict();

/** The values of CanvasRenderingContext2D.globalCompositeOperation (signature_pad: "source-over", or "destination-out" to erase). */
const COMPOSITE_OPERATIONS = [
  'source-over',
  'source-in',
  'source-out',
  'source-atop',
  'destination-over',
  'destination-in',
  'destination-out',
  'destination-atop',
  'lighter',
  'copy',
  'xor',
  'multiply',
  'screen',
  'overlay',
  'darken',
  'lighten',
  'color-dodge',
  'color-burn',
  'hard-light',
  'soft-light',
  'difference',
  'exclusion',
  'hue',
  'saturation',
  'color',
  'luminosity',
] as const;

const bounded = (min: number, max: number) =>
  z
    .number({ error: 'must be a number' })
    .min(min, { error: `must be between ${min} and ${max}` })
    .max(max, { error: `must be between ${min} and ${max}` });

/** A CSS colour as signature_pad is given one: "black", "#1a1a1a", "rgb(0, 0, 128)", "hsl(…)". */
const cssColour = z
  .string({ error: 'must be a CSS colour' })
  .regex(/^[a-zA-Z0-9#(),.%/ +-]{1,64}$/, { error: 'must be a CSS colour such as "black", "#000000" or "rgb(0, 0, 0)"' });

/**
 * One point of signature_pad v5's toData(): canvas coordinates, a timestamp (ms since 1970) and the pen pressure.
 * Pointer and touch events specify pressure as 0–1; the bound leaves room for a device that reports otherwise,
 * because a signature refused here is evidence the phone keeps failing to send.
 */
const point = z
  .object({
    x: bounded(-1_000_000, 1_000_000),
    y: bounded(-1_000_000, 1_000_000),
    time: bounded(0, 1e13),
    pressure: bounded(0, 100).optional(),
  })
  .strict();

/** One stroke (a PointGroup): the points and the pen options signature_pad drew them with — nothing else. */
const pointGroup = z
  .object({
    penColor: cssColour.optional(),
    dotSize: bounded(0, 1000).optional(),
    minWidth: bounded(0, 1000).optional(),
    maxWidth: bounded(0, 1000).optional(),
    velocityFilterWeight: bounded(0, 1).optional(),
    compositeOperation: z.enum(COMPOSITE_OPERATIONS, { error: 'must be a canvas composite operation such as "source-over"' }).optional(),
    points: z.array(point).min(1).max(20_000),
  })
  .strict();

/**
 * How much strokes JSON a signature may carry. A real signature is a few hundred points (20–60 KB of JSON);
 * signature_pad writes ~65–95 bytes per point, so 2 MB holds some 25,000 points — minutes of continuous drawing —
 * while a record cannot be inflated with megabytes of padding that would be stored and hashed for ever.
 * The multipart parser's own limit (config/middlewares.ts, all text fields of a request together) is set above it.
 */
export const STROKES_MAX_BYTES = 2 * MB;

/** signature_pad v5 toData(): groups of points with the pen options they were drawn with. */
export const strokes = z
  .array(pointGroup, { error: 'must be the strokes from signature_pad toData()' })
  .min(1, { error: 'is empty: the person has not signed' })
  .max(2_000)
  .refine((groups) => groups.reduce((n, g) => n + g.points.length, 0) <= 50_000, { error: 'has too many points' });

/** Text fields of PUT /api/eas/records/:documentId/signatures/:slot (multipart). */
export const signatureFields = z
  .object({
    strokes: json(strokes, 'signature_pad strokes', STROKES_MAX_BYTES),
    signerName: plainText(z.string().trim().min(1, { error: 'is required: who signed?' }).max(200)),
    consentText: z.string().min(1, { error: 'must be the consent text shown to the signer' }).max(10_000),
    signedAt: deviceTime,
    contentHash: z.string().regex(/^[a-f0-9]{64}$/, { error: 'must be the SHA-256 (64 lower-case hex) of the content the signer saw' }),
  })
  .strict();

/** "front", "back" or a photo field's key; whether the record's form has it is checked by the evidence service. */
export const photoSide = z.string().regex(/^[a-z][a-z0-9_]{0,59}$/, { error: 'must be "front", "back" or the key of a photo field' });
export const slotKey = z.string().regex(/^[a-z][a-z0-9_]{0,59}$/, { error: 'is not a signature slot key' });
export const fileIdParam = z.coerce.number().int().min(1);
export const mediaQuery = z.object({ exp: z.coerce.number().int(), sig: z.string().max(200) }).strict();
export const verifyQuery = z.object({ hash: z.string().regex(/^[a-f0-9]{64}$/i, { error: 'must be a SHA-256 in hex' }) }).strict();
export const referenceParam = z.string().regex(/^EAS-\d{4}-\d{6,}$/, { error: 'is not a record reference (EAS-YYYY-NNNNNN)' });
