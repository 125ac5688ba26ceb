import { z } from 'zod';

const sha256 = z.string().regex(/^[a-f0-9]{64}$/i, { error: 'must be the SHA-256 of the original capture (64 hex characters)' });

/** A JSON text field of a multipart body. */
const json = <T extends z.ZodTypeAny>(schema: T, what: string) =>
  z
    .string({ error: `must be ${what} as JSON text` })
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
    device: z.string().max(200).optional(),
    orientation: z.number().int().min(1).max(8).optional(),
    gps: z
      .object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180), accuracy: z.number().min(0).optional() })
      .strict()
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

const point = z.object({ x: z.number(), y: z.number(), time: z.number(), pressure: z.number().optional() }).passthrough();
/** signature_pad v5 toData(): groups of points with the pen options they were drawn with. */
export const strokes = z
  .array(z.object({ points: z.array(point).min(1).max(20_000) }).passthrough(), { error: 'must be the strokes from signature_pad toData()' })
  .min(1, { error: 'is empty: the person has not signed' })
  .max(2_000)
  .refine((groups) => groups.reduce((n, g) => n + g.points.length, 0) <= 50_000, { error: 'has too many points' });

/** Text fields of PUT /api/eas/records/:documentId/signatures/:slot (multipart). */
export const signatureFields = z
  .object({
    strokes: json(strokes, 'signature_pad strokes'),
    signerName: z.string().trim().min(1, { error: 'is required: who signed?' }).max(200),
    consentText: z.string().min(1, { error: 'must be the consent text shown to the signer' }).max(10_000),
    signedAt: isoDate,
    contentHash: z.string().regex(/^[a-f0-9]{64}$/, { error: 'must be the SHA-256 (64 lower-case hex) of the content the signer saw' }),
  })
  .strict();

export const photoSide = z.enum(['front', 'back'], { error: 'must be "front" or "back"' });
export const slotKey = z.string().regex(/^[a-z][a-z0-9_]{0,59}$/, { error: 'is not a signature slot key' });
export const fileIdParam = z.coerce.number().int().min(1);
export const mediaQuery = z.object({ exp: z.coerce.number().int(), sig: z.string().max(200) }).strict();
export const verifyQuery = z.object({ hash: z.string().regex(/^[a-f0-9]{64}$/i, { error: 'must be a SHA-256 in hex' }) }).strict();
export const referenceParam = z.string().regex(/^EAS-\d{4}-\d{6,}$/, { error: 'is not a record reference (EAS-YYYY-NNNNNN)' });
