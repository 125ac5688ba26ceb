/**
 * The one validator for record data, shared by the server (POST /api/eas/records) and the capture site (inline
 * errors before submit). Pure: no Strapi, no DOM. Turns a form version's fields into zod schemas and returns
 * per-field errors with stable codes and readable messages.
 */
import type { FieldDefinition, FormDefinition } from '../contracts/form';
import { hasOwn, type Value } from '../expressions';
import { dayNumber, formatDay, isEmpty, normalise, type FieldValue, type RecordData } from './field-rules';
import { fieldSchema, toFieldError } from './field-schemas';
import { allowedOptions, compileFormLogic, evaluateForm, logicContext, satisfiesConstraint, toValue } from './form-logic';
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
  | 'datetime'
  | 'step'
  | 'constraint'
  | 'calculation'
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

/** An invisible or broken character in a text value (or in an entry of a list), as a field error. */
const checkCharacters = (field: FieldDefinition, value: unknown): FieldError | null => {
  const texts = typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  for (const text of texts) {
    const found = findInvisibleCharacter(text);
    if (found) return { key: field.key, code: 'invalid_characters', message: `${field.label} ${describeInvisibleCharacter(found)}` };
  }
  return null;
};

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

const hiddenMessage = (field: FieldDefinition, byKey: Map<string, FieldDefinition>) => {
  if (!field.relevant && field.showIf) {
    const controller = byKey.get(field.showIf.field);
    return `${field.label} must be left empty: it only applies when ${controller?.label ?? field.showIf.field} is "${field.showIf.equals}"`;
  }
  return `${field.label} must be left empty: it does not apply to this record`;
};

const sameValue = (a: Value, b: unknown) =>
  typeof a === 'number' && typeof b === 'number'
    ? Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a))
    : JSON.stringify(a) === JSON.stringify(b);

/** Builds the validator for one form version. Build once per version, call per record. */
export const createRecordValidator = (definition: Pick<FormDefinition, 'fields'>) => {
  const fields = definition.fields;
  const schemas = new Map(fields.map((f) => [f.key, fieldSchema(f)]));
  const byKey = new Map(fields.map((f) => [f.key, f]));
  const logic = compileFormLogic(fields);

  return (input: unknown, options: ValidateOptions = {}): ValidationResult => {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      return { ok: false, errors: [{ key: '', code: 'type', message: 'The record data must be an object of field values' }] };
    }
    const values = input as Record<string, unknown>;
    const errors: FieldError[] = [];
    for (const key of Object.keys(values)) {
      if (!byKey.has(key)) errors.push({ key, code: 'unknown_field', message: `"${showInvisible(key)}" is not a field of this form` });
    }

    const ctx = logicContext(options.today);
    const state = evaluateForm(logic, values, ctx);
    const data: RecordData = {};
    for (const l of logic) {
      const field = l.field;
      const submitted = hasOwn(values, field.key) ? values[field.key] : undefined;
      const value = normalise(field, submitted);
      if (!state.visible.get(field.key)) {
        if (!isEmpty(value) && value !== false) errors.push({ key: field.key, code: 'hidden', message: hiddenMessage(field, byKey) });
        continue;
      }
      if (l.calculation) {
        const computed = state.calculated.get(field.key) ?? null;
        if (!isEmpty(value) && !sameValue(computed, value)) {
          const shown = computed === null ? 'empty' : JSON.stringify(computed);
          errors.push({ key: field.key, code: 'calculation', message: `${field.label} is calculated (${shown}); it cannot be entered` });
          continue;
        }
        if (computed !== null) data[field.key] = computed as FieldValue;
        continue;
      }
      const unticked = (field.type === 'checkbox' || field.type === 'acknowledge') && value === false;
      if (isEmpty(value) || (unticked && (state.required.get(field.key) || field.type === 'acknowledge'))) {
        if (state.required.get(field.key)) {
          errors.push({
            key: field.key,
            code: 'required',
            message:
              unticked || field.type === 'acknowledge' || field.type === 'checkbox'
                ? `${field.label} must be ticked`
                : `${field.label} is required`,
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
        const rangeError = checkDateRange(field, parsed.data as string, ctx.today);
        if (rangeError) {
          errors.push(rangeError);
          continue;
        }
      }
      if (l.choiceFilter) {
        const allowed = new Set(allowedOptions(l, state, ctx).map((o) => o.value));
        const chosen = (Array.isArray(parsed.data) ? parsed.data : [String(parsed.data)]) as string[];
        const refused = chosen.find((v) => !allowed.has(v));
        if (refused !== undefined) {
          errors.push({ key: field.key, code: 'option', message: `${field.label}: "${refused}" is not offered for the answers above` });
          continue;
        }
      }
      if (!satisfiesConstraint(l, state, toValue(field, parsed.data), ctx)) {
        errors.push({
          key: field.key,
          code: 'constraint',
          message: field.constraintMessage || `${field.label} does not meet its condition`,
        });
        continue;
      }
      data[field.key] = parsed.data;
    }
    return errors.length ? { ok: false, errors } : { ok: true, data };
  };
};

export type RecordValidator = ReturnType<typeof createRecordValidator>;
