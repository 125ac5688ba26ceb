/**
 * A field's error in the person's language: the shared validator (and the server, which runs the same one) gives each
 * error a stable code; the words come from the catalogue (`fieldError.<code>`), with the limits read from the field's
 * definition. In English they are the server's own words. An error whose code or field we do not know keeps the
 * server's message.
 */
import type { FieldDefinition } from '../../../cms/src/plugins/eas/shared/contracts/form';
import { MAX_TEXT_LENGTH, dayNumber, formatDay } from '../../../cms/src/plugins/eas/shared/validation/field-rules';
import { parseEntryKey } from '../../../cms/src/plugins/eas/shared/validation/form-structure';
import { formatDay as formatLocalDay, type DateFormat } from './dates';
import { t, tn } from './messages';

export interface FieldErrorLike {
  key: string;
  code?: string;
  message: string;
}

export interface FieldErrorContext {
  fields: readonly FieldDefinition[];
  /** The capture day (YYYY-MM-DD) that date limits count from. Defaults to today (UTC). */
  today?: string;
  /** Days written the person's way; ISO (as the server writes them) when absent. */
  dates?: DateFormat;
}

const todayUtc = () => new Date().toISOString().slice(0, 10);

export const fieldErrorMessage = (error: FieldErrorLike, context: FieldErrorContext): string => {
  if (error.code === 'unknown_field') return t('fieldError.unknown_field', { key: error.key });
  // A field of a repeat's entry: the entry says which one ("Meters 2: Reading is required").
  const inEntry = parseEntryKey(error.key);
  if (inEntry) {
    const repeat = context.fields.find((f) => f.key === inEntry.repeat);
    const own = fieldErrorMessage({ ...error, key: inEntry.key, message: error.message.replace(/^[^:]*\d+: /, '') }, context);
    return repeat ? t('fieldError.inEntry', { repeat: repeat.label, number: inEntry.index + 1, message: own }) : own;
  }
  const field = context.fields.find((f) => f.key === error.key);
  if (!field) return error.message;
  const label = field.label;
  const day = (offset: number) => {
    const base = dayNumber(context.today ?? todayUtc());
    if (base === null) return null;
    const iso = formatDay(base + offset);
    return context.dates ? formatLocalDay(iso, context.dates) : iso;
  };
  const options = () => (field.options ?? []).map((o) => o.label).join(', ');
  const maxLength =
    field.type in MAX_TEXT_LENGTH
      ? Math.min(field.max ?? Infinity, MAX_TEXT_LENGTH[field.type as keyof typeof MAX_TEXT_LENGTH])
      : field.max;
  switch (error.code) {
    case 'required':
      if (field.type === 'repeat') return tn('fieldError.tooFewEntries', field.min ?? 1, { label });
      return t(field.type === 'checkbox' ? 'fieldError.requiredTick' : 'fieldError.required', { label });
    case 'type':
      return t(field.type === 'number' ? 'fieldError.typeNumber' : 'fieldError.type', { label });
    case 'too_short':
      return field.min === undefined ? error.message : tn('fieldError.too_short', field.min, { label });
    case 'too_long':
      return maxLength === undefined ? error.message : tn('fieldError.too_long', maxLength, { label });
    case 'min': {
      if (field.min === undefined) return error.message;
      if (field.type !== 'date') return t('fieldError.min', { label, min: field.min });
      const min = day(field.min);
      return min === null ? error.message : t('fieldError.minDate', { label, min });
    }
    case 'max': {
      if (field.max === undefined) return error.message;
      if (field.type !== 'date') return t('fieldError.max', { label, max: field.max });
      const max = day(field.max);
      return max === null ? error.message : t('fieldError.maxDate', { label, max });
    }
    case 'too_few':
      if (field.type === 'repeat') return tn('fieldError.tooFewEntries', field.min ?? 1, { label });
      return field.min === undefined ? error.message : t('fieldError.too_few', { label, min: field.min });
    case 'too_many':
      if (field.type === 'repeat' && field.max !== undefined) return tn('fieldError.tooManyEntries', field.max, { label });
      return field.max === undefined ? error.message : t('fieldError.too_many', { label, max: field.max });
    case 'pattern':
      return t('fieldError.pattern', { label });
    case 'option':
      return t(field.type === 'multiselect' ? 'fieldError.optionList' : 'fieldError.option', { label, options: options() });
    case 'email':
      return t('fieldError.email', { label });
    case 'phone':
      return t('fieldError.phone', { label });
    case 'date':
      return t('fieldError.date', { label });
    case 'hidden': {
      if (!field.showIf) return error.message;
      const controller = context.fields.find((f) => f.key === field.showIf!.field);
      return t('fieldError.hidden', { label, field: controller?.label ?? field.showIf.field, value: field.showIf.equals });
    }
    case 'invalid_characters':
      return t('fieldError.invalid_characters', { label });
    default:
      return error.message;
  }
};
