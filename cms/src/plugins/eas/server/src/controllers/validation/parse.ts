import { errors } from '@strapi/utils';
import type { z } from 'zod';

/**
 * Parses a request part with a zod schema at the boundary. On failure throws a 400 ValidationError whose message
 * names every offending field and whose details list them: { errors: [{ path, message }] }.
 */
export const parse = <T>(schema: z.ZodType<T>, input: unknown, where = 'body'): T => {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const list = result.error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => {
        const path = [...issue.path.map(String), key];
        return { path, message: `${path.join('.')}: unknown field (not accepted in the ${where})` };
      });
    }
    const path = issue.path.map(String);
    return [{ path, message: `${path.join('.') || where}: ${issue.message}` }];
  });
  throw new errors.ValidationError(list.map((e) => e.message).join('; '), { errors: list });
};
