import { errors } from '@strapi/utils';

const SLUG = /^[a-z0-9][a-z0-9-_]{0,99}$/i;

export const validateSlug = (value: unknown): string => {
  if (typeof value !== 'string' || !SLUG.test(value)) {
    throw new errors.ValidationError('slug: expected letters, digits, "-" or "_" (at most 100)');
  }
  return value;
};
