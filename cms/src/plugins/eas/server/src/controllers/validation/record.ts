import { z } from 'zod';
import { PHOTO_FLAGS, type PhotoFlag } from '../../../../shared/photo-quality';
import { RECORD_STATES } from '../../constants';
import { deviceTime, plainText, recordData } from './common';

const SLUG = /^[a-z0-9][a-z0-9-_]{0,99}$/i;

const location = z
  .object({
    lat: z
      .number({ error: 'must be a number' })
      .min(-90, { error: 'must be between -90 and 90' })
      .max(90, { error: 'must be between -90 and 90' }),
    lng: z
      .number({ error: 'must be a number' })
      .min(-180, { error: 'must be between -180 and 180' })
      .max(180, { error: 'must be between -180 and 180' }),
    accuracy: z.number({ error: 'must be a number of metres' }).min(0, { error: 'must be ≥ 0' }).max(1_000_000).optional(),
  })
  .strict();

/** When the capture happened, by the device clock. */
const capturedAt = deviceTime;

/** Field values; each one is checked against the form version by the shared record validator. */
const data = recordData;

/** POST /api/eas/records. Only these fields are writable by field staff; anything else is refused. */
export const createRecordBody = z
  .object({
    clientId: z.uuid({ error: 'must be a UUID generated on the device' }),
    form: z.string({ error: 'must be the slug of a published form' }).regex(SLUG, { error: 'must be the slug of a published form' }),
    formVersion: z
      .number({ error: 'must be the version number of the form' })
      .int()
      .min(1, { error: 'must be ≥ 1' })
      .max(2_147_483_647, { error: 'is not a version of this form' }),
    data,
    capturedAt,
    location: location.optional(),
    owner: z
      .number({ error: 'must be the user id of the person who captured the record' })
      .int()
      .min(1, { error: 'is not a user id' })
      .optional(),
  })
  .strict();

/** PUT /api/eas/records/:documentId — while the record is a draft or rejected. */
export const updateRecordBody = z
  .object({ data: data.optional(), capturedAt: capturedAt.optional(), location: location.nullable().optional() })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { error: 'send at least one of data, capturedAt, location' });

/** A filter by form: a slug, never free text (it goes into a database query). */
export const formSlug = z.string().regex(SLUG, { error: 'must be a form slug' });

export const listRecordsQuery = z
  .object({
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(25),
    status: z.enum(RECORD_STATES, { error: `must be one of ${RECORD_STATES.join(', ')}` }).optional(),
    form: formSlug.optional(),
  })
  .strict();

/** GET /eas/records (editors): records whose photos carry a quality flag. */
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * GET /eas/records: the review queue. Without photoFlag: submitted records, oldest first (what waits longest comes
 * first); with photoFlag (docs/photo-quality.md): records of any state with that flag, newest first. Filters:
 * status ("all" for every state), form (slug), owner (username), from/to (capture day, inclusive, UTC).
 */
export const recordQueueQuery = z
  .object({
    photoFlag: z.enum(PHOTO_FLAGS as [PhotoFlag, ...PhotoFlag[]], { error: `must be one of ${PHOTO_FLAGS.join(', ')}` }).optional(),
    status: z.enum([...RECORD_STATES, 'all'], { error: `must be one of ${[...RECORD_STATES, 'all'].join(', ')}` }).optional(),
    form: z
      .string()
      .max(100)
      .regex(/^[a-z0-9][a-z0-9-_]*$/i, { error: 'is not a form id' })
      .optional(),
    owner: z.string().min(1).max(255).optional(),
    from: z.string().regex(DAY, { error: 'must be a day, YYYY-MM-DD' }).optional(),
    to: z.string().regex(DAY, { error: 'must be a day, YYYY-MM-DD' }).optional(),
    sort: z.enum(['oldest', 'newest'], { error: 'must be "oldest" or "newest"' }).optional(),
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(25),
  })
  .strict()
  .transform((q) => ({
    ...q,
    status: q.status ?? (q.photoFlag ? 'all' : 'submitted'),
    sort: q.sort ?? (q.photoFlag ? 'newest' : 'oldest'),
  }));
export type RecordQueueQuery = z.output<typeof recordQueueQuery>;

export const documentIdParam = z.string().regex(/^[a-z0-9]{10,40}$/, { error: 'is not a record id' });

export const reviewBody = z
  .object({
    decision: z.enum(['approve', 'reject'], { error: 'must be "approve" or "reject"' }),
    comment: plainText(z.string().trim().max(2000, { error: 'must be at most 2000 characters' })).optional(),
  })
  .strict()
  .refine((b) => b.decision === 'approve' || Boolean(b.comment), {
    error: 'a rejection needs a comment telling the field staff what to fix',
    path: ['comment'],
  });
