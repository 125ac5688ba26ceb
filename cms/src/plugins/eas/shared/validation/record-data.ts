/**
 * The one validator for record data, shared by the server (POST /api/eas/records) and the capture site (inline
 * errors before submit). Pure: no Strapi, no DOM. Turns a form version's fields into zod schemas and returns
 * per-field errors with stable codes and readable messages.
 */
import { z } from 'zod';
import type { FieldDefinition, FormDefinition } from '../contracts/form';
import {
  MAX_TEXT_LENGTH,
  dayNumber,
  formatDay,
  isEmpty,
  normalise,
  visibleFields,
  type FieldValue,
  type RecordData,
} from './field-rules';
import { describeInvisibleCharacter, findInvisibleCharacter, showInvisible } from './plain-text';

export type FieldErrorCode =
  | 'required'
  | 'type'
  | 'too_short'
  | 'too_long'
  | 'min'
  | 'max'
  | 'too_few'
  | 'too_many'
  | 'pattern'
  | 'option'
  | 'email'
  | 'phone'
  | 'date'
  | 'hidden'
  | 'unknown_field'
  | 'invalid_characters';

export interface FieldError {
  key: string;
  code: FieldErrorCode;
  message: string;
}

export type ValidationResult = { ok: true; data: RecordData } | { ok: false; errors: FieldError[] };

export interface ValidateOptions {
  /** The capture day (YYYY-MM-DD); date fields' min/max are day offsets from it. Defaults to today (UTC). */
  today?: string;
}

const PHONE = /^\+?[0-9 ().\-/]{6,32}$/;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** zod schema for a non-empty value of one field; every check carries the message shown to people. */
const fieldSchema = (f: FieldDefinition): z.ZodType<FieldValue> => {
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
    case 'number': {
      let n = z.number({ error: `${label} must be a number` }).refine(Number.isFinite, { error: `${label} must be a number` });
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
      if (f.min !== undefined) a = a.refine((v) => v.length >= f.min!, { error: `Choose at least ${f.min} for ${label}`, params: { code: 'too_few' } });
      if (f.max !== undefined) a = a.refine((v) => v.length <= f.max!, { error: `Choose at most ${f.max} for ${label}`, params: { code: 'too_many' } });
      return a;
    }
    case 'checkbox':
      return z.boolean({ error: `${label} must be ticked or not (true/false)` });
    case 'email':
      return z.email({ error: `${label} must be an email address` }).max(MAX_TEXT_LENGTH.email, { error: `${label} is too long` });
    case 'phone':
      return z
        .string({ error: `${label} must be a phone number` })
        .refine((v) => PHONE.test(v) && (v.match(/\d/g)?.length ?? 0) >= 6, {
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

const toFieldError = (field: FieldDefinition, issue: z.core.$ZodIssue): FieldError => {
  let code: FieldErrorCode = 'type';
  if (issue.code === 'custom') code = ((issue.params as { code?: FieldErrorCode } | undefined)?.code ?? 'type') as FieldErrorCode;
  else if (issue.code in ISSUE_CODES) {
    const table = ISSUE_CODES[issue.code];
    const detail = 'format' in issue ? String(issue.format) : 'origin' in issue ? String(issue.origin) : '';
    code = table[detail] ?? table.default;
  } else if (issue.code === 'invalid_value') code = 'option';
  return { key: field.key, code, message: issue.message };
};

/** An invisible or broken character in a text value (or in an entry of a list), as a field error. */
const checkCharacters = (field: FieldDefinition, value: unknown): FieldError | null => {
  const texts = typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  for (const text of texts) {
    const found = findInvisibleCharacter(text);
    if (found) return { key: field.key, code: 'invalid_characters', message: `${field.label} ${describeInvisibleCharacter(found)}` };
  }
  return null;
};

const todayUtc = () => new Date().toISOString().slice(0, 10);

const checkDateRange = (field: FieldDefinition, value: string, today: string): FieldError | null => {
  const day = dayNumber(value)!;
  const base = dayNumber(today);
  if (base === null) return null;
  if (field.min !== undefined && day < base + field.min) {
    return { key: field.key, code: 'min', message: `${field.label} must be on or after ${formatDay(base + field.min)}` };
  }
  if (field.max !== undefined && day > base + field.max) {
    return { key: field.key, code: 'max', message: `${field.label} must be on or before ${formatDay(base + field.max)}` };
  }
  return null;
};

/** Builds the validator for one form version. Build once per version, call per record. */
export const createRecordValidator = (definition: Pick<FormDefinition, 'fields'>) => {
  const fields = definition.fields;
  const schemas = new Map(fields.map((f) => [f.key, fieldSchema(f)]));
  const byKey = new Map(fields.map((f) => [f.key, f]));

  return (input: unknown, options: ValidateOptions = {}): ValidationResult => {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      return { ok: false, errors: [{ key: '', code: 'type', message: 'The record data must be an object of field values' }] };
    }
    const values = input as Record<string, unknown>;
    const errors: FieldError[] = [];
    for (const key of Object.keys(values)) {
      if (!byKey.has(key)) errors.push({ key, code: 'unknown_field', message: `"${showInvisible(key)}" is not a field of this form` });
    }

    const visible = visibleFields(fields, values);
    const data: RecordData = {};
    for (const field of fields) {
      const value = normalise(field, values[field.key]);
      if (!visible.get(field.key)) {
        if (!isEmpty(value) && value !== false) {
          const cond = field.showIf!;
          const controller = byKey.get(cond.field);
          errors.push({
            key: field.key,
            code: 'hidden',
            message: `${field.label} must be left empty: it only applies when ${controller?.label ?? cond.field} is "${cond.equals}"`,
          });
        }
        continue;
      }
      if (isEmpty(value) || (field.type === 'checkbox' && field.required && value === false)) {
        if (field.required) {
          errors.push({
            key: field.key,
            code: 'required',
            message: field.type === 'checkbox' ? `${field.label} must be ticked` : `${field.label} is required`,
          });
        }
        continue;
      }
      const characters = checkCharacters(field, value);
      if (characters) {
        errors.push(characters);
        continue;
      }
      const parsed = schemas.get(field.key)!.safeParse(value);
      if (!parsed.success) {
        errors.push(toFieldError(field, parsed.error.issues[0]));
        continue;
      }
      if (field.type === 'date') {
        const rangeError = checkDateRange(field, parsed.data as string, options.today ?? todayUtc());
        if (rangeError) {
          errors.push(rangeError);
          continue;
        }
      }
      data[field.key] = parsed.data;
    }
    return errors.length ? { ok: false, errors } : { ok: true, data };
  };
};

export type RecordValidator = ReturnType<typeof createRecordValidator>;
