import { z } from 'zod';

const key = z.string().regex(/^[a-z][a-z0-9_]{0,59}$/, { error: 'is not a field or slot key' });

/** POST /eas/records/:documentId/redact */
export const redactBody = z
  .object({
    reason: z.string().trim().min(3, { error: 'is required: say why (e.g. the data-protection request’s reference)' }).max(500),
    fields: z.array(key).max(500).optional(),
    photos: z.array(key, { error: 'must be "front", "back" or the key of a photo field' }).max(100).optional(),
    signatures: z.array(key).max(50).optional(),
    location: z.boolean().optional(),
    comments: z.boolean().optional(),
  })
  .strict()
  .refine((b) => Boolean(b.fields?.length || b.photos?.length || b.signatures?.length || b.location || b.comments), {
    error: 'name at least one field, photo, signature, the location or the comments to redact',
    path: ['fields'],
  });
