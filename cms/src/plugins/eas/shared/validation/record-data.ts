/**
 * The one validator for record data, shared by the server (POST /api/eas/records) and the capture site (inline
 * errors before submit). Pure: no Strapi, no DOM. Turns a form version's fields into zod schemas and returns
 * per-field errors with stable codes and readable messages.
 */
import type { FieldDefinition, FormDefinition } from '../contracts/form';
import { hasOwn, type Value } from '../expressions';
import { dayNumber, formatDay, isEmpty, normalise, type FieldValue, type RecordData, type RepeatEntry } from './field-rules';
import { fieldSchema, toFieldError } from './field-schemas';
import {
  allowedOptions,
  compileFormLogic,
  evaluateForm,
  logicContext,
  satisfiesConstraint,
  toValue,
  type FieldLogic,
  type FormFrame,
  type FormState,
  type LogicContext,
} from './form-logic';
import { entryKey, formStructure } from './form-structure';
import { describeInvisibleCharacter, findInvisibleCharacter, showInvisible } from './plain-text';

import type { FieldError, FieldErrorCode } from '../contracts/record';

export type { FieldError, FieldErrorCode };

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

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Builds the validator for one form version. Build once per version, call per record. */
export const createRecordValidator = (definition: Pick<FormDefinition, 'fields'>) => {
  const fields = definition.fields;
  const schemas = new Map(fields.map((f) => [f.key, fieldSchema(f)]));
  const byKey = new Map(fields.map((f) => [f.key, f]));
  const logic = compileFormLogic(fields);
  const structure = formStructure(fields);
  const topLogic = logic.filter((l) => !l.repeat);
  const topKeys = new Set(topLogic.map((l) => l.field.key));
  const repeatLogic = new Map([...structure.repeatFields.keys()].map((r) => [r, logic.filter((l) => l.repeat === r)]));

  /** Checks one level's values (the record, or one entry of a repeat) and collects what is accepted into `data`. */
  const checkLevel = (
    level: FieldLogic[],
    values: Record<string, unknown>,
    frame: FormFrame,
    state: FormState,
    ctx: LogicContext,
    errors: FieldError[],
    keyOf: (key: string) => string,
    prefix: string
  ): RecordData => {
    const data: RecordData = {};
    const fail = (e: FieldError) => errors.push({ ...e, key: keyOf(e.key), message: prefix + e.message });
    for (const l of level) {
      const field = l.field;
      const submitted = hasOwn(values, field.key) ? values[field.key] : undefined;
      const value = normalise(field, submitted);
      if (!frame.visible.get(field.key)) {
        if (!isEmpty(value) && value !== false) fail({ key: field.key, code: 'hidden', message: hiddenMessage(field, byKey) });
        continue;
      }
      if (field.type === 'group' || field.type === 'photo') {
        if (value !== undefined)
          fail({
            key: field.key,
            code: 'type',
            message:
              field.type === 'photo'
                ? `${field.label} is a photo: upload it to the record (PUT …/photos/${field.key}), it is not part of the data`
                : `${field.label} is a group and takes no value of its own`,
          });
        continue;
      }
      if (field.type === 'repeat') {
        const entries = checkRepeat(l, value, state, ctx, errors, fail);
        if (entries) data[field.key] = entries;
        continue;
      }
      if (l.calculation) {
        const computed = frame.calculated.get(field.key) ?? null;
        if (!isEmpty(value) && !sameValue(computed, value)) {
          const shown = computed === null ? 'empty' : JSON.stringify(computed);
          fail({ key: field.key, code: 'calculation', message: `${field.label} is calculated (${shown}); it cannot be entered` });
          continue;
        }
        if (computed !== null) data[field.key] = computed as FieldValue;
        continue;
      }
      const unticked = (field.type === 'checkbox' || field.type === 'acknowledge') && value === false;
      if (isEmpty(value) || (unticked && (frame.required.get(field.key) || field.type === 'acknowledge'))) {
        if (frame.required.get(field.key)) {
          fail({
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
        fail(characters);
        continue;
      }
      const parsed = schemas.get(field.key)!.safeParse(value);
      if (!parsed.success) {
        fail(toFieldError(field, parsed.error.issues[0]));
        continue;
      }
      if (field.type === 'date') {
        const rangeError = checkDateRange(field, parsed.data as string, ctx.today);
        if (rangeError) {
          fail(rangeError);
          continue;
        }
      }
      if (l.choiceFilter) {
        const allowed = new Set(allowedOptions(l, frame, ctx).map((o) => o.value));
        const chosen = (Array.isArray(parsed.data) ? parsed.data : [String(parsed.data)]) as string[];
        const refused = chosen.find((v) => !allowed.has(v));
        if (refused !== undefined) {
          fail({ key: field.key, code: 'option', message: `${field.label}: "${refused}" is not offered for the answers above` });
          continue;
        }
      }
      if (!satisfiesConstraint(l, frame, toValue(field, parsed.data), ctx)) {
        fail({ key: field.key, code: 'constraint', message: field.constraintMessage || `${field.label} does not meet its condition` });
        continue;
      }
      data[field.key] = parsed.data;
    }
    return data;
  };

  /** A repeat's value: a list of entries within min/max, each checked against the repeat's own fields. */
  const checkRepeat = (
    l: FieldLogic,
    value: unknown,
    state: FormState,
    ctx: LogicContext,
    errors: FieldError[],
    fail: (e: FieldError) => void
  ): RepeatEntry[] | null => {
    const field = l.field;
    const key = field.key;
    if (value !== undefined && value !== null && !(Array.isArray(value) && value.every(isPlainObject))) {
      fail({ key, code: 'type', message: `${field.label} must be a list of entries (objects of its fields' values)` });
      return null;
    }
    const list = (value ?? []) as Record<string, unknown>[];
    const count = list.length;
    const min = field.min ?? (state.required.get(key) ? 1 : 0);
    if (count < min) {
      fail({
        key,
        code: count === 0 && state.required.get(key) ? 'required' : 'too_few',
        message: count === 0 && min === 1 ? `${field.label} needs at least one entry` : `${field.label} needs at least ${min} entries`,
      });
    }
    if (field.max !== undefined && count > field.max) {
      fail({ key, code: 'too_many', message: `${field.label} may have at most ${field.max} entr${field.max === 1 ? 'y' : 'ies'}` });
      return null;
    }
    const inner = repeatLogic.get(key) ?? [];
    const own = new Set(inner.map((c) => c.field.key));
    const frames = state.entries.get(key) ?? [];
    const entries: RepeatEntry[] = [];
    list.forEach((entry, i) => {
      for (const k of Object.keys(entry))
        if (!own.has(k))
          errors.push({
            key: entryKey(key, i, k),
            code: 'unknown_field',
            message: `${field.label} ${i + 1}: "${showInvisible(k)}" is not a field of this repeat`,
          });
      const checked = checkLevel(inner, entry, frames[i], state, ctx, errors, (k) => entryKey(key, i, k), `${field.label} ${i + 1}: `);
      entries.push(checked as RepeatEntry);
    });
    return count ? entries : null;
  };

  return (input: unknown, options: ValidateOptions = {}): ValidationResult => {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      return { ok: false, errors: [{ key: '', code: 'type', message: 'The record data must be an object of field values' }] };
    }
    const values = input as Record<string, unknown>;
    const errors: FieldError[] = [];
    for (const key of Object.keys(values)) {
      if (!topKeys.has(key)) {
        const inside = structure.repeatOf.get(key);
        errors.push({
          key,
          code: 'unknown_field',
          message: inside
            ? `"${key}" belongs to the repeat "${inside}": send it in each entry of ${inside}`
            : `"${showInvisible(key)}" is not a field of this form`,
        });
      }
    }
    const ctx = logicContext(options.today);
    const state = evaluateForm(logic, values, ctx);
    const data = checkLevel(topLogic, values, state, state, ctx, errors, (k) => k, '');
    return errors.length ? { ok: false, errors } : { ok: true, data };
  };
};

export type RecordValidator = ReturnType<typeof createRecordValidator>;
