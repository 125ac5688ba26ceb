/**
 * How a stored value reads to a person, and which value names a record in a list. One home for the rule: the
 * server (record views, admin details, PDFs), the admin and the capture site call it — the site with the words and
 * formats of the person's language.
 */
import type { FieldDefinition, FieldType, FormDefinition } from './contracts/form';
import { formStructure } from './validation/form-structure';
import { displayGeopoint } from './validation/geopoint';

export interface DisplayWords {
  yes: string;
  no: string;
  empty: string;
  /** A stored day (YYYY-MM-DD) as the reader writes it; as stored when absent. */
  day?: (iso: string) => string;
  /** A number as the reader writes it; as stored when absent. */
  number?: (n: number) => string;
  /** "3 entries" for a repeat's value (the entries themselves read with displayEntries). */
  entries?: (n: number) => string;
}

export const ENGLISH_WORDS: DisplayWords = { yes: 'Yes', no: 'No', empty: '—' };

/** A stored value as a person reads it: option labels, Yes/No, lists joined; '—' when there is none. */
export const displayValue = (field: FieldDefinition, value: unknown, words: DisplayWords = ENGLISH_WORDS): string => {
  if (value === undefined || value === null || value === '') return words.empty;
  const label = (v: unknown) => field.options?.find((o) => o.value === v)?.label ?? String(v);
  if (field.type === 'checkbox' || field.type === 'acknowledge') return value ? words.yes : words.no;
  if (field.type === 'repeat') {
    const n = Array.isArray(value) ? value.length : 0;
    return n === 0 ? words.empty : (words.entries?.(n) ?? `${n} ${n === 1 ? 'entry' : 'entries'}`);
  }
  if (Array.isArray(value)) return value.length ? value.map(label).join(', ') : words.empty;
  if (field.type === 'select') return label(value);
  if (field.type === 'geopoint' && typeof value === 'string') return displayGeopoint(value, words.number);
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
  const { repeatOf } = formStructure(definition.fields);
  if (definition.summaryField) {
    const chosen = definition.fields.find((f) => f.key === definition.summaryField);
    if (chosen && isSummaryType(chosen.type) && !repeatOf.has(chosen.key)) return chosen;
  }
  return definition.fields.find((f) => f.type === 'text' && !repeatOf.has(f.key)) ?? null;
};

/** Why a list field cannot be one (null when it can): it must name a field of the form, of a summary type. */
export const summaryFieldProblem = (definition: Pick<FormDefinition, 'fields'>, key: string): string | null => {
  const field = definition.fields.find((f) => f.key === key);
  if (!field) return `List field: "${key}" is not a field of this form`;
  if (!isSummaryType(field.type))
    return `List field: "${key}" is a ${field.type} field; choose one of type ${SUMMARY_FIELD_TYPES.join(', ')}`;
  const repeat = formStructure(definition.fields).repeatOf.get(key);
  if (repeat) return `List field: "${key}" is asked once per entry of the repeat "${repeat}"; choose a field outside repeats`;
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

export interface DisplayRow {
  field: FieldDefinition;
  /** Where it sits: 0 at the top level, 1 inside a group or repeat, … (for indenting). */
  depth: number;
  /** A group's or repeat's heading (no text of its own), or a field with its display text. */
  heading?: boolean;
  text?: string;
  /** For a repeat: each entry's rows. */
  entries?: DisplayRow[][];
}

/**
 * A record as people read it, in the form's order: group and repeat headings, each answered field with its
 * display text, each repeat's entries. Fields without an answer are left out, and groups left with nothing.
 */
export const displayRows = (
  definition: Pick<FormDefinition, 'fields'>,
  data: Record<string, unknown> | null | undefined,
  words: DisplayWords = ENGLISH_WORDS
): DisplayRow[] => {
  const { ancestors, repeatFields, repeatOf } = formStructure(definition.fields);
  const answered = (v: unknown) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);
  const rowsOf = (fields: FieldDefinition[], values: Record<string, unknown>, base: number): DisplayRow[] => {
    const rows: DisplayRow[] = [];
    for (const field of fields) {
      const depth = (ancestors.get(field.key)?.length ?? 0) - base;
      if (field.type === 'group') rows.push({ field, depth, heading: true });
      else if (field.type === 'repeat') {
        const list = Array.isArray(values[field.key]) ? (values[field.key] as Record<string, unknown>[]) : [];
        if (list.length)
          rows.push({
            field,
            depth,
            heading: true,
            entries: list.map((entry) => rowsOf(repeatFields.get(field.key) ?? [], entry ?? {}, base + depth + 1)),
          });
      } else if (field.type !== 'note' && answered(values[field.key]))
        rows.push({ field, depth, text: displayValue(field, values[field.key], words) });
    }
    // A group heading stays only when something inside it was answered.
    return rows.filter((r, i) => r.field.type !== 'group' || nextInside(rows, i));
  };
  const nextInside = (rows: DisplayRow[], i: number) => {
    for (let j = i + 1; j < rows.length && rows[j].depth > rows[i].depth; j++) if (!rows[j].heading || rows[j].entries) return true;
    return false;
  };
  return rowsOf(
    definition.fields.filter((f) => !repeatOf.has(f.key)),
    data ?? {},
    0
  );
};

export type RecordLine =
  | { kind: 'value'; field: FieldDefinition; text: string }
  | { kind: 'heading'; field: FieldDefinition }
  /** A repeat: one row per entry, one column per field answered in any entry. */
  | { kind: 'table'; field: FieldDefinition; columns: FieldDefinition[]; rows: string[][] };

/** A record as printed (PDF, review screens): answers, group headings and a table per repeat, in the form's order. */
export const recordLines = (
  definition: Pick<FormDefinition, 'fields'>,
  data: Record<string, unknown> | null | undefined,
  words: DisplayWords = ENGLISH_WORDS
): RecordLine[] => {
  const { repeatFields } = formStructure(definition.fields);
  const lines: RecordLine[] = [];
  for (const row of displayRows(definition, data, words)) {
    if (row.entries) {
      const entries = Array.isArray(data?.[row.field.key]) ? (data![row.field.key] as Record<string, unknown>[]) : [];
      const columns = (repeatFields.get(row.field.key) ?? []).filter(
        (f) => f.type !== 'note' && f.type !== 'group' && entries.some((e) => e && e[f.key] !== undefined && e[f.key] !== '')
      );
      lines.push({
        kind: 'table',
        field: row.field,
        columns,
        rows: entries.map((e) => columns.map((c) => displayValue(c, e?.[c.key], words))),
      });
    } else if (row.heading) lines.push({ kind: 'heading', field: row.field });
    else lines.push({ kind: 'value', field: row.field, text: row.text ?? words.empty });
  }
  return lines;
};
