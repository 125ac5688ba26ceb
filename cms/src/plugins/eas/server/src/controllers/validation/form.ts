import { errors } from '@strapi/utils';
import { z } from 'zod';

const SLUG = /^[a-z0-9][a-z0-9-_]{0,99}$/i;

export const validateSlug = (value: unknown): string => {
  if (typeof value !== 'string' || !SLUG.test(value)) {
    throw new errors.ValidationError('slug: expected letters, digits, "-" or "_" (at most 100)');
  }
  return value;
};

/** :version of GET /api/eas/forms/:slug/versions/:version. */
export const versionParam = z.coerce
  .number({ error: 'must be a version number' })
  .int({ error: 'must be a whole version number' })
  .min(1, { error: 'must be ≥ 1' })
  .max(2_147_483_647, { error: 'is not a version number' });
