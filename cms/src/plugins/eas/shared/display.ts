/**
 * How a stored value reads to a person, and which value names a record in a list. One home for the rule: the
 * server (record views, admin details, PDFs), the admin and the capture site call it — the site with the words and
 * formats of the person's language.
 */
import type { FieldDefinition, FieldType, FormDefinition } from './contracts/form';

export interface DisplayWords {
  yes: string;
  no: string;
  empty: string;
  /** A stored day (YYYY-MM-DD) as the reader writes it; as stored when absent. */
  day?: (iso: string) => string;
  /** A number as the reader writes it; as stored when absent. */
  number?: (n: number) => string;
}

export const ENGLISH_WORDS: DisplayWords = { yes: 'Yes', no: 'No', empty: '—' };

/** A stored value as a person reads it: option labels, Yes/No, lists joined; '—' when there is none. */
export const displayValue = (field: FieldDefinition, value: unknown, words: DisplayWords = ENGLISH_WORDS): string => {
  if (value === undefined || value === null || value === '') return words.empty;
  const label = (v: unknown) => field.options?.find((o) => o.value === v)?.label ?? String(v);
  if (field.type === 'checkbox' || field.type === 'acknowledge') return value ? words.yes : words.no;
  if (Array.isArray(value)) return value.length ? value.map(label).join(', ') : words.empty;
  if (field.type === 'select') return label(value);
  if (field.type === 'date' && typeof value === 'string' && words.day) return words.day(value);
  if (['number', 'integer', 'decimal', 'range'].includes(field.type) && typeof value === 'number' && words.number)
    return words.number(value);
  return String(value);
};

/** Field types whose one value can name a record in a list (a yes/no or a list of options cannot). */
export const SUMMARY_FIELD_TYPES = [
  'text',
  'textarea',
  'number',
  'integer',
  'decimal',
  'date',
  'datetime',
  'select',
  'email',
  'phone',
] as const satisfies readonly FieldType[];

const isSummaryType = (type: FieldType) => (SUMMARY_FIELD_TYPES as readonly FieldType[]).includes(type);

/**
 * The key field of a form version: the administrator's choice (the form's "list field", frozen in the definition),
 * else its first text field, else none.
 */
export const summaryFieldOf = (definition: Pick<FormDefinition, 'fields' | 'summaryField'>): FieldDefinition | null => {
  if (definition.summaryField) {
    const chosen = definition.fields.find((f) => f.key === definition.summaryField);
    if (chosen && isSummaryType(chosen.type)) return chosen;
  }
  return definition.fields.find((f) => f.type === 'text') ?? null;
};

/** Why a list field cannot be one (null when it can): it must name a field of the form, of a summary type. */
export const summaryFieldProblem = (definition: Pick<FormDefinition, 'fields'>, key: string): string | null => {
  const field = definition.fields.find((f) => f.key === key);
  if (!field) return `List field: "${key}" is not a field of this form`;
  if (!isSummaryType(field.type))
    return `List field: "${key}" is a ${field.type} field; choose one of type ${SUMMARY_FIELD_TYPES.join(', ')}`;
  return null;
};

/** What names a record in a list: the display text of its form's key field; null when that value is empty or redacted. */
export const recordSummary = (
  definition: Pick<FormDefinition, 'fields' | 'summaryField'>,
  data: Record<string, unknown> | null | undefined,
  words: DisplayWords = ENGLISH_WORDS
): string | null => {
  const field = summaryFieldOf(definition);
  if (!field) return null;
  const value = data?.[field.key];
  if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)) return null;
  return displayValue(field, value, words);
};
