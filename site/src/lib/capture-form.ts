/**
 * Pure helpers between a form version and the capture screen: what input to render for each field, how to read the
 * typed record data back from the form, which fields are shown, and the server's own validation messages.
 */
import type { FieldDefinition, FieldOption, FormDefinition, PhotoSlotDefinition } from '../../../cms/src/plugins/eas/shared/contracts/form';
import {
  MAX_TEXT_LENGTH,
  dayNumber,
  formatDay,
  type FieldValue,
  type RecordData,
  type RepeatEntry,
} from '../../../cms/src/plugins/eas/shared/validation/field-rules';
import { entryKey, formStructure } from '../../../cms/src/plugins/eas/shared/validation/form-structure';
import { photoSlot } from '../../../cms/src/plugins/eas/shared/photo-slots';
import { outstanding } from '../../../cms/src/plugins/eas/shared/record-rules';
import { formatDay as formatLocalDay, parseDay, type DateFormat } from './dates';
import { fieldErrorMessage } from './field-errors';
import { NUMBER_TYPES } from '../../../cms/src/plugins/eas/shared/validation/form-logic';
import { applyFormLogic, liveFormState } from './form-live';
import { createRecordValidator, type FieldError, type RecordValidator } from './validation';

export type InputElement =
  | 'input'
  | 'textarea'
  | 'select'
  | 'checkbox-group'
  | 'note'
  | 'group'
  | 'repeat'
  | 'photo'
  /** A location: GPS or typed (components/field-inputs.ts). */
  | 'geopoint'
  /** A text box with Scan and From a photo (components/field-inputs.ts). */
  | 'barcode';

export interface FieldDescriptor {
  key: string;
  /** Element id (for <label for>), unique in the page. */
  id: string;
  /** The form control's name: the field key. */
  name: string;
  label: string;
  element: InputElement;
  /** The <input type> when element is 'input'. */
  inputType?: 'text' | 'number' | 'date' | 'time' | 'datetime-local' | 'range' | 'checkbox' | 'email' | 'tel';
  /** A calculated field: shown read-only, its value computed live (lib/form-live.ts). */
  calculated?: boolean;
  required: boolean;
  help?: string;
  /** Ids for aria-describedby: the help text (when there is one) and the error message. */
  helpId?: string;
  errorId: string;
  options: FieldOption[];
  /** HTML attributes the browser can check too (min, max, minlength, maxlength, pattern, step, inputmode…). */
  attributes: Record<string, string>;
  showIf?: { field: string; equals: string };
  /** The descriptor key of the group (or, inside an entry, the group of that entry) it is shown in. */
  parent?: string;
  /** The field's own definition. */
  field: FieldDefinition;
}

export interface DescribeOptions {
  /** Prefix of element ids (default "field-"). */
  idPrefix?: string;
  /** The capture day (YYYY-MM-DD); date fields' min/max are day offsets from it. Defaults to today (UTC). */
  today?: string;
  /**
   * Dates typed in the person's format (lib/dates.ts) in a text input, instead of the browser's date input (which
   * follows the browser's language, not the page's).
   */
  dates?: DateFormat;
}

const todayUtc = () => new Date().toISOString().slice(0, 10);

const ELEMENTS: Record<FieldDefinition['type'], Pick<FieldDescriptor, 'element' | 'inputType'>> = {
  text: { element: 'input', inputType: 'text' },
  textarea: { element: 'textarea' },
  number: { element: 'input', inputType: 'number' },
  integer: { element: 'input', inputType: 'number' },
  decimal: { element: 'input', inputType: 'number' },
  range: { element: 'input', inputType: 'range' },
  date: { element: 'input', inputType: 'date' },
  time: { element: 'input', inputType: 'time' },
  datetime: { element: 'input', inputType: 'datetime-local' },
  acknowledge: { element: 'input', inputType: 'checkbox' },
  note: { element: 'note' },
  select: { element: 'select' },
  multiselect: { element: 'checkbox-group' },
  checkbox: { element: 'input', inputType: 'checkbox' },
  email: { element: 'input', inputType: 'email' },
  phone: { element: 'input', inputType: 'tel' },
  geopoint: { element: 'geopoint' },
  barcode: { element: 'barcode', inputType: 'text' },
  group: { element: 'group' },
  repeat: { element: 'repeat' },
  photo: { element: 'photo' },
};

const attributesOf = (field: FieldDefinition, today: string): Record<string, string> => {
  const attrs: Record<string, string> = {};
  const set = (name: string, value: number | string | undefined) => {
    if (value !== undefined) attrs[name] = String(value);
  };
  switch (field.type) {
    case 'text':
    case 'textarea':
      set('minlength', field.min);
      set('maxlength', Math.min(field.max ?? Infinity, MAX_TEXT_LENGTH[field.type]));
      if (field.type === 'text') set('pattern', field.pattern);
      break;
    case 'number':
    case 'decimal':
    case 'integer':
    case 'range':
      set('min', field.min);
      set('max', field.max);
      attrs.step = field.type === 'range' ? String(field.step ?? 1) : field.type === 'integer' ? '1' : 'any';
      attrs.inputmode = field.type === 'integer' ? 'numeric' : 'decimal';
      break;
    case 'date': {
      const base = dayNumber(today);
      if (base !== null) {
        if (field.min !== undefined) attrs.min = formatDay(base + field.min);
        if (field.max !== undefined) attrs.max = formatDay(base + field.max);
      }
      break;
    }
    case 'checkbox':
    case 'acknowledge':
      attrs.value = 'true';
      break;
    case 'email':
      attrs.maxlength = String(MAX_TEXT_LENGTH.email);
      attrs.autocomplete = 'email';
      attrs.inputmode = 'email';
      break;
    case 'barcode':
      attrs.maxlength = String(MAX_TEXT_LENGTH.barcode);
      attrs.autocomplete = 'off';
      attrs.spellcheck = 'false';
      break;
    case 'phone':
      attrs.maxlength = String(MAX_TEXT_LENGTH.phone);
      attrs.autocomplete = 'tel';
      attrs.inputmode = 'tel';
      break;
    default:
      break;
  }
  return attrs;
};

const calculatedAttributes = (field: FieldDefinition, attrs: Record<string, string>): Record<string, string> =>
  field.calculation ? { ...attrs, readonly: 'true', tabindex: '-1' } : attrs;

/** An element id from a key: `meters[0].reading` → `meters-0-reading` (ids keep to letters, digits, - and _). */
const idOf = (prefix: string, key: string) => `${prefix}${key.replace(/[[\].]+/g, '-').replace(/-$/, '')}`;

const describeField = (field: FieldDefinition, key: string, parent: string | undefined, options: DescribeOptions): FieldDescriptor => {
  const prefix = options.idPrefix ?? 'field-';
  const today = options.today ?? todayUtc();
  const id = idOf(prefix, key);
  const common = {
    key,
    id,
    name: key,
    label: field.label,
    required: field.required,
    ...(field.help ? { help: field.help, helpId: `${id}-help` } : {}),
    errorId: `${id}-error`,
    ...(field.showIf ? { showIf: field.showIf } : {}),
    ...(parent ? { parent } : {}),
    field,
  };
  if (field.type === 'date' && options.dates) {
    const example = formatLocalDay(today, options.dates);
    return {
      ...common,
      element: 'input' as const,
      inputType: 'text' as const,
      options: [],
      attributes: { inputmode: 'numeric', autocomplete: 'off', placeholder: example, 'data-date': 'true' },
    };
  }
  return {
    ...common,
    ...ELEMENTS[field.type],
    options: field.options ?? [],
    attributes: calculatedAttributes(field, attributesOf(field, today)),
    ...(field.calculation ? { calculated: true } : {}),
  };
};

/** One descriptor per field outside repeats (repeats themselves included), in the form's order. */
export const describeFields = (definition: Pick<FormDefinition, 'fields'>, options: DescribeOptions = {}): FieldDescriptor[] => {
  const { topLevel, ancestors } = formStructure(definition.fields);
  return topLevel.map((field) => describeField(field, field.key, ancestors.get(field.key)?.[0], options));
};

/** The descriptors of one entry of a repeat: keys, names and ids of the entry (`meters[1].reading`). */
export const describeEntry = (
  definition: Pick<FormDefinition, 'fields'>,
  repeat: string,
  index: number,
  options: DescribeOptions = {}
): FieldDescriptor[] => {
  const { repeatFields, ancestors } = formStructure(definition.fields);
  return (repeatFields.get(repeat) ?? []).map((field) => {
    const parent = ancestors.get(field.key)?.[0];
    return describeField(
      field,
      entryKey(repeat, index, field.key),
      parent && parent !== repeat ? entryKey(repeat, index, parent) : undefined,
      options
    );
  });
};

/** The name of the hidden input that holds how many entries a repeat has on the page. */
export const entryCountName = (repeat: string) => `${repeat}[#]`;

/** What FormData offers (also URLSearchParams, or a test double). */
export interface FormDataLike {
  get(name: string): FormDataEntryValue | null;
  getAll(name: string): FormDataEntryValue[];
}

/** "12,5" as typed on a keyboard with a decimal comma counts as 12.5; anything not a number stays NaN for the validator. */
export const parseNumber = (text: string): number => {
  const t = text.trim();
  return Number(/^[+-]?\d+,\d+$/.test(t) ? t.replace(',', '.') : t);
};

const readField = (field: FieldDefinition, source: FormDataLike, dates?: DateFormat, name = field.key): FieldValue | undefined => {
  if (field.type === 'note' || field.type === 'group' || field.type === 'photo') return undefined;
  if (field.type === 'checkbox' || field.type === 'acknowledge') {
    const raw = source.get(name);
    return typeof raw === 'string' && raw !== '' && raw !== 'false' && raw !== 'off';
  }
  if (field.type === 'multiselect') {
    const values = source.getAll(name).filter((v): v is string => typeof v === 'string' && v !== '');
    return values.length ? values : undefined;
  }
  const raw = source.get(name);
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  if (field.type === 'date' && dates) return parseDay(raw, dates) ?? raw;
  return NUMBER_TYPES.has(field.type) ? parseNumber(raw) : raw;
};

/** A stored value as its input shows it (dates in the person's format). */
export const inputValue = (field: Pick<FieldDefinition, 'type'>, value: unknown, dates?: DateFormat): string =>
  field.type === 'date' && dates && typeof value === 'string' ? formatLocalDay(value, dates) : String(value);

/**
 * Reads typed record data from the form: numbers as numbers, checkboxes as true/false, multi-selects as lists,
 * empty inputs left out, fields hidden by their relevance left out (so the server never sees them) and calculated
 * fields set to their computed value (the value the server recomputes and requires).
 */
export const readRecordData = (definition: Pick<FormDefinition, 'fields'>, source: FormDataLike, dates?: DateFormat): RecordData =>
  applyFormLogic(definition, readRawData(definition, source, dates));

/** What the inputs hold, before relevance and calculations (the live state is computed from it). */
export const readRawData = (definition: Pick<FormDefinition, 'fields'>, source: FormDataLike, dates?: DateFormat): RecordData => {
  const { topLevel, repeatFields } = formStructure(definition.fields);
  const data: RecordData = {};
  for (const field of topLevel) {
    if (field.type === 'repeat') {
      const count = Math.min(Math.max(Math.trunc(Number(source.get(entryCountName(field.key)) ?? 0)) || 0, 0), 1000);
      if (!count) continue;
      data[field.key] = Array.from({ length: count }, (_, i) => {
        const entry: RepeatEntry = {};
        for (const f of repeatFields.get(field.key) ?? []) {
          const value = readField(f, source, dates, entryKey(field.key, i, f.key));
          if (value !== undefined) entry[f.key] = value as RepeatEntry[string];
        }
        return entry;
      });
      continue;
    }
    const value = readField(field, source, dates);
    if (value !== undefined) data[field.key] = value;
  }
  return data;
};

/** The keys of the fields to show for these values. */
export const visibleFieldKeys = (definition: Pick<FormDefinition, 'fields'>, data: Record<string, unknown>): Set<string> =>
  liveFormState(definition, data).visible;

export type CaptureValidation =
  | { ok: true; data: RecordData }
  | { ok: false; errors: FieldError[]; /** First message per field key, to show under each input. */ messages: Record<string, string> };

const validators = new WeakMap<Pick<FormDefinition, 'fields'>, RecordValidator>();

/**
 * Validates with the server's own validator: the same errors the server would answer, each in the person's language
 * (lib/field-errors.ts; days in their format when `dates` is given).
 */
export const validateCapture = (
  definition: Pick<FormDefinition, 'fields'>,
  data: Record<string, unknown>,
  options: { today?: string; dates?: DateFormat } = {}
): CaptureValidation => {
  let validate = validators.get(definition);
  if (!validate) {
    validate = createRecordValidator(definition);
    validators.set(definition, validate);
  }
  const result = validate(data, { today: options.today });
  if (result.ok) return result;
  const messages: Record<string, string> = {};
  for (const e of result.errors)
    messages[e.key] ??= fieldErrorMessage(e, { fields: definition.fields, today: options.today, dates: options.dates });
  return { ok: false, errors: result.errors, messages };
};

/**
 * The required photos not taken yet (taken: the photos on the phone, and the server's when a rejected record is
 * fixed), by the shared rule of what a record still needs (shared/record-rules.ts). Signatures check themselves
 * (signature-slot.ts problem()) and are bound to the content separately (content-hash.ts).
 */
export const missingPhotos = (
  definition: Pick<FormDefinition, 'photos' | 'signatures' | 'fields'>,
  taken: Partial<Record<string, unknown>>
): PhotoSlotDefinition[] => {
  const photos = Object.keys(taken)
    .filter((side) => taken[side])
    .map((side) => ({ side }));
  return outstanding(definition, { photos, signatures: [] }, '').photos.map((side) => photoSlot(definition, side)!);
};
