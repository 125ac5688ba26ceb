/**
 * How a stored value reads to a person, and which field says what a record is about — one rule for the server
 * (review panel, PDFs, `RecordView.summary`) and the capture site (review screen, records list).
 */
import type { FieldDefinition, FormDefinition } from './contracts/form';

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

/** A stored value as a person reads it: option labels, Yes/No, lists joined. */
export const displayValue = (field: FieldDefinition, value: unknown, words: DisplayWords = ENGLISH_WORDS): string => {
  if (value === undefined || value === null || value === '') return words.empty;
  const label = (v: unknown) => field.options?.find((o) => o.value === v)?.label ?? String(v);
  if (field.type === 'checkbox') return value ? words.yes : words.no;
  if (Array.isArray(value)) return value.length ? value.map(label).join(', ') : words.empty;
  if (field.type === 'select') return label(value);
  if (field.type === 'date' && typeof value === 'string' && words.day) return words.day(value);
  if (field.type === 'number' && typeof value === 'number' && words.number) return words.number(value);
  return String(value);
};

/** Field types whose value can name a record in a list (a photo-less line of text). */
export const SUMMARY_FIELD_TYPES: readonly FieldDefinition['type'][] = ['text', 'textarea', 'select', 'number', 'date', 'email', 'phone'];

/**
 * The field that names a record in lists: the form's choice (`summaryField`) when it is one of its fields of a
 * summary type, else the first text field, else none.
 */
export const summaryFieldOf = (definition: Pick<FormDefinition, 'fields'> & { summaryField?: string | null }): FieldDefinition | null => {
  const chosen = definition.summaryField ? definition.fields.find((f) => f.key === definition.summaryField) : undefined;
  if (chosen && SUMMARY_FIELD_TYPES.includes(chosen.type)) return chosen;
  return definition.fields.find((f) => f.type === 'text') ?? null;
};

/** The words that name this record in a list (null when the field is empty, or there is no such field). */
export const recordSummary = (
  definition: Pick<FormDefinition, 'fields'> & { summaryField?: string | null },
  data: Record<string, unknown> | null | undefined,
  words: DisplayWords = ENGLISH_WORDS
): string | null => {
  const field = summaryFieldOf(definition);
  if (!field || !data) return null;
  const value = data[field.key];
  if (value === undefined || value === null || value === '' || (Array.isArray(value) && !value.length)) return null;
  const text = displayValue(field, value, words).replace(/\s+/g, ' ').trim();
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
};
