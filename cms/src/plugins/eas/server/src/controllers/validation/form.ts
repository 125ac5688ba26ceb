import { errors } from '@strapi/utils';
import { FIELD_TYPES } from '../../../../shared/contracts/form';
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

const text = (max: number) => z.string().max(max, { error: `must be at most ${max} characters` });
const KEY = /^[a-z][a-z0-9_]*$/;
const key = z.string().max(60).regex(KEY, { error: 'must start with a lowercase letter and use only a-z, 0-9 and _' });
const finite = z.number().finite();
const translations = <T extends z.ZodRawShape>(shape: T) =>
  z.record(z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, { error: 'is not a language code' }), z.strictObject(shape)).optional();

/** A form definition as the EAS form builder sends it (the shape; the form's own rules are checked on save). */
export const formDefinitionBody = z.strictObject({
  definition: z.strictObject({
    slug: z.string().regex(/^[a-z0-9][a-z0-9-_]{0,99}$/, { error: 'expected lowercase letters, digits, "-" or "_" (at most 100)' }),
    name: text(200).min(1, { error: 'a name is required' }),
    description: text(5000).optional(),
    fields: z
      .array(
        z.strictObject({
          key,
          label: text(200),
          type: z.enum(FIELD_TYPES),
          required: z.boolean(),
          help: text(500).optional(),
          options: z
            .array(z.strictObject({ value: text(200), label: text(200), attributes: z.record(z.string().max(60), text(200)).optional() }))
            .max(5000)
            .optional(),
          min: finite.optional(),
          max: finite.optional(),
          step: finite.optional(),
          pattern: text(500).optional(),
          group: key.optional(),
          showIf: z.strictObject({ field: key, equals: text(200) }).optional(),
          relevant: text(2000).optional(),
          requiredIf: text(2000).optional(),
          constraint: text(2000).optional(),
          constraintMessage: text(500).optional(),
          calculation: text(2000).optional(),
          default: text(2000).optional(),
          choiceFilter: text(2000).optional(),
          personal: z.boolean().optional(),
          translations: translations({
            label: text(200).optional(),
            help: text(500).optional(),
            constraintMessage: text(500).optional(),
            options: z.record(z.string(), text(200)).optional(),
          }),
        })
      )
      .max(1000),
    photos: z
      .array(
        z.strictObject({
          side: z.enum(['front', 'back']),
          required: z.boolean(),
          label: text(100),
          hint: text(300).optional(),
          maxPixels: z.number().int().min(300_000).max(50_000_000),
          minWidth: z.number().int().min(1).max(20_000).optional(),
          minHeight: z.number().int().min(1).max(20_000).optional(),
          allowOverride: z.boolean().optional(),
          translations: translations({ label: text(100).optional(), hint: text(300).optional() }),
        })
      )
      .max(2),
    signatures: z
      .array(
        z.strictObject({
          key,
          role: text(100).min(1, { error: 'a role is required (who signs)' }),
          consentText: text(5000).min(1, { error: 'the text the signer agrees to is required' }),
          required: z.boolean(),
          translations: translations({ role: text(100).optional(), consentText: text(5000).optional() }),
        })
      )
      .max(20),
    pdf: z.strictObject({ title: text(200).optional(), footerText: text(500).optional() }),
    summaryField: key.optional(),
    pages: z.boolean().optional(),
    defaultLanguage: text(20).optional(),
    languages: z.array(text(20)).max(20).optional(),
  }),
});
