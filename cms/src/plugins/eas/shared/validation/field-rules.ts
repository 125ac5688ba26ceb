import type { FieldDefinition } from '../contracts/form';

/** Field values as stored on a record: a repeat's value is its list of entries. */
export type FieldValue = string | number | boolean | string[] | RepeatEntry[];
export type RepeatEntry = Record<string, string | number | boolean | string[]>;
export type RecordData = Record<string, FieldValue>;

/** Default upper bounds so that no field can carry an unbounded payload. */
export const MAX_TEXT_LENGTH = { text: 1000, textarea: 10000, email: 254, phone: 32, barcode: 2000 } as const;

export const isEmpty = (value: unknown) =>
  value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);

/** Trims text so that "  " counts as empty and stored values have no stray whitespace. */
export const normalise = (field: FieldDefinition, value: unknown): unknown =>
  typeof value === 'string' && field.type !== 'textarea' ? value.trim() : typeof value === 'string' && value.trim() === '' ? '' : value;

/** Calendar date "YYYY-MM-DD" → days since 1970-01-01, or null when it is not a real date. */
export const dayNumber = (value: string): number | null => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(y, mo - 1, d);
  const date = new Date(t);
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return Math.round(t / 86_400_000);
};

export const formatDay = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);
