/**
 * zod schemas for one field's non-empty value, by type; every check carries the message shown to people.
 */
import { z } from 'zod';
import type { FieldDefinition } from '../contracts/form';
import { MAX_TEXT_LENGTH, dayNumber, type FieldValue } from './field-rules';
import { geopointProblem, parseGeopoint } from './geopoint';
import type { FieldError, FieldErrorCode } from './record-data';

const PHONE = /^\+?[0-9 ().\-/]{6,32}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** zod schema for a non-empty value of one field; every check carries the message shown to people. */
export const fieldSchema = (f: FieldDefinition): z.ZodType<FieldValue> => {
  const label = f.label;
  switch (f.type) {
    case 'text':
    case 'textarea': {
      let s = z.string({ error: `${label} must be text` });
      if (f.min !== undefined) s = s.min(f.min, { error: `${label} must be at least ${plural(f.min, 'character')}` });
      const max = Math.min(f.max ?? Infinity, MAX_TEXT_LENGTH[f.type]);
      s = s.max(max, { error: `${label} must be at most ${plural(max, 'character')}` });
      if (f.pattern) {
        try {
          s = s.regex(new RegExp(`^(?:${f.pattern})$`, 'u'), { error: `${label} is not in the expected format` });
        } catch {
          // An invalid pattern is refused when the form is saved; never let it break capture.
        }
      }
      return s;
    }
    case 'number':
    case 'decimal':
    case 'integer':
    case 'range': {
      let n = z.number({ error: `${label} must be a number` }).refine(Number.isFinite, { error: `${label} must be a number` });
      if (f.type === 'integer') n = n.refine(Number.isInteger, { error: `${label} must be a whole number`, params: { code: 'type' } });
      if (f.type === 'range' && f.step) {
        const base = f.min ?? 0;
        const step = f.step;
        n = n.refine((v) => Math.abs((v - base) / step - Math.round((v - base) / step)) < 1e-9, {
          error: `${label} must be ${base} plus a multiple of ${step}`,
          params: { code: 'step' },
        });
      }
      if (f.min !== undefined) n = n.refine((v) => v >= f.min!, { error: `${label} must be at least ${f.min}`, params: { code: 'min' } });
      if (f.max !== undefined) n = n.refine((v) => v <= f.max!, { error: `${label} must be at most ${f.max}`, params: { code: 'max' } });
      return n;
    }
    case 'date':
      return z
        .string({ error: `${label} must be a date (YYYY-MM-DD)` })
        .refine((v) => dayNumber(v) !== null, { error: `${label} must be a real date (YYYY-MM-DD)`, params: { code: 'date' } });
    case 'select': {
      const values = (f.options ?? []).map((o) => o.value);
      return z.string({ error: `${label} must be one of the listed options` }).refine((v) => values.includes(v), {
        error: `${label} must be one of: ${(f.options ?? []).map((o) => o.label).join(', ')}`,
        params: { code: 'option' },
      });
    }
    case 'multiselect': {
      const values = (f.options ?? []).map((o) => o.value);
      let a = z
        .array(z.string(), { error: `${label} must be a list of options` })
        .refine((v) => v.every((x) => values.includes(x)), {
          error: `${label} may only contain: ${(f.options ?? []).map((o) => o.label).join(', ')}`,
          params: { code: 'option' },
        })
        .refine((v) => new Set(v).size === v.length, { error: `${label} lists an option twice`, params: { code: 'option' } });
      if (f.min !== undefined)
        a = a.refine((v) => v.length >= f.min!, { error: `Choose at least ${f.min} for ${label}`, params: { code: 'too_few' } });
      if (f.max !== undefined)
        a = a.refine((v) => v.length <= f.max!, { error: `Choose at most ${f.max} for ${label}`, params: { code: 'too_many' } });
      return a;
    }
    case 'checkbox':
      return z.boolean({ error: `${label} must be ticked or not (true/false)` });
    case 'acknowledge':
      return z.boolean({ error: `${label} must be ticked (true)` });
    case 'time':
      return z.string({ error: `${label} must be a time (HH:MM)` }).regex(TIME, { error: `${label} must be a time (HH:MM, 24 h)` });
    case 'datetime':
      return z
        .string({ error: `${label} must be a date and time (YYYY-MM-DDTHH:MM)` })
        .refine((v) => DATETIME.test(v) && dayNumber(v.slice(0, 10)) !== null, {
          error: `${label} must be a real date and time (YYYY-MM-DDTHH:MM)`,
          params: { code: 'datetime' },
        });
    case 'note':
      return z.never({ error: `${label} is a note and takes no value` });
    case 'group':
      return z.never({ error: `${label} is a group and takes no value of its own` });
    case 'repeat':
      // Entries are checked one by one against the repeat's fields (record-data.ts); this is never reached.
      return z.never({ error: `${label} must be a list of entries` });
    case 'geopoint':
      return z.string({ error: `${label} must be a location (latitude longitude, in decimal degrees)` }).superRefine((v, ctx) => {
        const problem = geopointProblem(v);
        const messages = {
          format: `${label} must be a location: latitude and longitude in decimal degrees (then altitude and accuracy in metres)`,
          latitude: `${label}: the latitude must be between -90 and 90`,
          longitude: `${label}: the longitude must be between -180 and 180`,
          accuracy: `${label}: the accuracy cannot be negative`,
        };
        if (problem) ctx.addIssue({ code: 'custom', message: messages[problem], params: { code: 'geopoint' } });
        const accuracy = problem ? undefined : parseGeopoint(v)?.accuracy;
        if (f.max !== undefined && accuracy !== undefined && accuracy > f.max)
          ctx.addIssue({
            code: 'custom',
            message: `${label}: the location is only accurate to ${accuracy} m; wait for a better fix (${f.max} m or better) or type it`,
            params: { code: 'accuracy' },
          });
      });
    case 'photo':
      return z.never({ error: `${label} is a photo: it is uploaded to the record, not sent in its data` });
    case 'barcode':
      return z.string({ error: `${label} must be the text of a code` }).max(MAX_TEXT_LENGTH.barcode, { error: `${label} is too long` });
    case 'email':
      return z.email({ error: `${label} must be an email address` }).max(MAX_TEXT_LENGTH.email, { error: `${label} is too long` });
    case 'phone':
      return z.string({ error: `${label} must be a phone number` }).refine((v) => PHONE.test(v) && (v.match(/\d/g)?.length ?? 0) >= 6, {
        error: `${label} must be a phone number (digits, spaces, + - ( ) only)`,
        params: { code: 'phone' },
      });
  }
};

const ISSUE_CODES: Record<string, Partial<Record<string, FieldErrorCode>> & { default: FieldErrorCode }> = {
  too_small: { string: 'too_short', number: 'min', array: 'too_few', default: 'min' },
  too_big: { string: 'too_long', number: 'max', array: 'too_many', default: 'max' },
  invalid_format: { email: 'email', regex: 'pattern', default: 'type' },
};

export const toFieldError = (field: FieldDefinition, issue: z.core.$ZodIssue): FieldError => {
  let code: FieldErrorCode = 'type';
  if (issue.code === 'custom') code = ((issue.params as { code?: FieldErrorCode } | undefined)?.code ?? 'type') as FieldErrorCode;
  else if (issue.code in ISSUE_CODES) {
    const table = ISSUE_CODES[issue.code];
    const detail = 'format' in issue ? String(issue.format) : 'origin' in issue ? String(issue.origin) : '';
    code = table[detail] ?? table.default;
  } else if (issue.code === 'invalid_value') code = 'option';
  return { key: field.key, code, message: issue.message };
};
