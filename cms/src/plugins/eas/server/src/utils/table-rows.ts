/**
 * A record as one table row (data exports as CSV / XLSX): the columns of a form version and the typed cells of a
 * record, plus the neutralisation of spreadsheet formulas. Pure: no Strapi inside, so the CSV and XLSX writers and
 * their tests share one flattening.
 */
import type { FieldDefinition, FormDefinition } from '../../../shared/contracts/form';
import { formStructure } from '../../../shared/validation/form-structure';
import { photoSlots } from '../../../shared/photo-slots';
import { parseGeopoint } from '../../../shared/validation/geopoint';

const GEO_PARTS = [
  ['latitude', 'latitude'],
  ['longitude', 'longitude'],
  ['altitude', 'altitude (m)'],
  ['accuracy', 'accuracy (m)'],
] as const;
import { NUMBER_TYPES } from '../../../shared/validation/form-logic';

/** The fields that get a column in the records table: all but those asked in a repeat (they have tables of their own). */
const tableFields = (definition: Pick<FormDefinition, 'fields'>): FieldDefinition[] =>
  formStructure(definition.fields).topLevel.filter((f) => f.type !== 'photo');

/** A cell keeps its type so the XLSX writer can store numbers, dates and booleans as such. */
export type Cell = string | number | boolean | Date | null;

export interface Column {
  /** Stable machine name ("reference", "field.weight", "photo.front.sha256"). */
  key: string;
  /** What a person reads in the header ("Weight (kg)", "Photo front — SHA-256"). */
  label: string;
}

export interface RecordForRow {
  reference: string | null;
  state: string;
  owner?: { username?: string | null; email?: string | null } | null;
  capturedBy?: string | null;
  createdAt: string | Date;
  submittedAt?: string | Date | null;
  reviewedAt?: string | Date | null;
  location?: { lat?: number; lng?: number; accuracy?: number } | null;
  integrityHash?: string | null;
  data?: Record<string, unknown> | null;
  /** qualityFlags as stored: ",blurred,time_mismatch," (docs/photo-quality.md). */
  photos?: { side: string; sha256?: string | null; qualityFlags?: string | null }[];
  signatures?: { slot: string; sha256?: string | null }[];
}

/** Link to a photo or signature file for a record (the admin media route or a signed evidence URL). */
export type MediaLink = (kind: 'photo' | 'signature', reference: string, slot: string) => string | null;

const BASE: Column[] = [
  { key: 'reference', label: 'Reference' },
  { key: 'status', label: 'Status' },
  { key: 'owner', label: 'Owner' },
  { key: 'createdAt', label: 'Created at' },
  { key: 'submittedAt', label: 'Submitted at' },
  { key: 'reviewedAt', label: 'Reviewed at' },
  { key: 'latitude', label: 'Latitude' },
  { key: 'longitude', label: 'Longitude' },
  { key: 'accuracy', label: 'Location accuracy (m)' },
  { key: 'integrityHash', label: 'Integrity hash' },
];

/** The columns for a form version: the record's own, each field, then a hash and a link per photo and signature. */
export const columnsFor = (definition: FormDefinition): Column[] => [
  ...BASE,
  ...tableFields(definition).flatMap((f) => [
    { key: `field.${f.key}`, label: f.type === 'repeat' ? `${f.label} (entries)` : f.label },
    // A location also as numbers, one column each, as ODK exports it (the text column keeps what was stored).
    ...(f.type === 'geopoint' ? GEO_PARTS.map(([part, name]) => ({ key: `field.${f.key}.${part}`, label: `${f.label} — ${name}` })) : []),
  ]),
  ...photoSlots(definition).flatMap((p) => [
    { key: `photo.${p.side}.sha256`, label: `${p.label} — SHA-256` },
    { key: `photo.${p.side}.link`, label: `${p.label} — link` },
    { key: `photo.${p.side}.flags`, label: `${p.label} — quality flags` },
  ]),
  ...definition.signatures.flatMap((s) => [
    { key: `signature.${s.key}.sha256`, label: `${s.role} signature — SHA-256` },
    { key: `signature.${s.key}.link`, label: `${s.role} signature — link` },
  ]),
];

const asDate = (v: string | Date | null | undefined): Date | null => {
  if (v === null || v === undefined || v === '') return null;
  const d = v instanceof Date ? v : new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
};

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** A field's answer as a typed cell: numbers stay numbers, dates become dates, multiselects are joined with "; ". */
export const fieldCell = (type: string, value: unknown): Cell => {
  if (value === null || value === undefined || value === '') return null;
  if (type === 'repeat') return Array.isArray(value) ? value.length : null;
  if (NUMBER_TYPES.has(type)) return typeof value === 'number' && Number.isFinite(value) ? value : String(value);
  if (type === 'checkbox' || type === 'acknowledge') return typeof value === 'boolean' ? value : String(value);
  if (type === 'date' && typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const d = new Date(`${value}T00:00:00Z`);
    return Number.isNaN(d.getTime()) ? value : d;
  }
  if (Array.isArray(value)) return value.map(String).join('; ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
};

/** The typed cells of one record, in the order of columnsFor(definition). */
export const rowFor = (definition: FormDefinition, record: RecordForRow, link: MediaLink): Cell[] => {
  const reference = record.reference ?? '';
  const data = record.data ?? {};
  const photo = (side: string) => record.photos?.find((p) => p.side === side);
  const signature = (key: string) => record.signatures?.find((s) => s.slot === key);
  return [
    reference,
    record.state,
    record.owner?.username ?? record.owner?.email ?? record.capturedBy ?? null,
    asDate(record.createdAt),
    asDate(record.submittedAt),
    asDate(record.reviewedAt),
    num(record.location?.lat),
    num(record.location?.lng),
    num(record.location?.accuracy),
    record.integrityHash ?? null,
    ...tableFields(definition).flatMap((f) => {
      const cell = fieldCell(f.type, data[f.key]);
      if (f.type !== 'geopoint') return [cell];
      const g = typeof data[f.key] === 'string' ? parseGeopoint(data[f.key] as string) : null;
      return [cell, ...GEO_PARTS.map(([part]) => (g ? (g[part] ?? null) : null))];
    }),
    ...photoSlots(definition).flatMap((p) => {
      const found = photo(p.side);
      const flags = (found?.qualityFlags ?? '').split(',').filter(Boolean).join('; ');
      return [found?.sha256 ?? null, found ? link('photo', reference, p.side) : null, flags || null];
    }),
    ...definition.signatures.flatMap((s) => {
      const found = signature(s.key);
      return [found?.sha256 ?? null, found ? link('signature', reference, s.key) : null];
    }),
  ];
};

export interface RepeatTable {
  repeat: FieldDefinition;
  columns: Column[];
}

/** One table per repeat (as ODK exports them): the record's reference, the entry number, then the repeat's fields. */
export const repeatTablesFor = (definition: Pick<FormDefinition, 'fields'>): RepeatTable[] => {
  const { repeatFields } = formStructure(definition.fields);
  return definition.fields
    .filter((f) => f.type === 'repeat')
    .map((repeat) => ({
      repeat,
      columns: [
        { key: 'reference', label: 'Reference' },
        { key: 'entry', label: 'Entry' },
        ...(repeatFields.get(repeat.key) ?? [])
          .filter((f) => f.type !== 'group')
          .map((f) => ({ key: `field.${repeat.key}.${f.key}`, label: `${repeat.label} — ${f.label}` })),
      ],
    }));
};

/** The rows of one record in a repeat's table: one per entry. */
export const repeatRowsFor = (definition: Pick<FormDefinition, 'fields'>, table: RepeatTable, record: RecordForRow): Cell[][] => {
  const entries = record.data?.[table.repeat.key];
  if (!Array.isArray(entries)) return [];
  const fields = (formStructure(definition.fields).repeatFields.get(table.repeat.key) ?? []).filter((f) => f.type !== 'group');
  return entries.map((entry, i) => [
    record.reference ?? '',
    i + 1,
    ...fields.map((f) => fieldCell(f.type, (entry as Record<string, unknown> | null)?.[f.key])),
  ]);
};

/** What an export holds: everything, or nothing personal (docs/exports.md "Profiles"). */
export const EXPORT_PROFILES = ['all', 'no-personal'] as const;
export type ExportProfile = (typeof EXPORT_PROFILES)[number];

/**
 * The definition an export of `profile` tabulates: for "no-personal", without the fields marked personal (and the
 * fields inside a personal group or repeat), without photo fields and without the photo and signature slots — so
 * columnsFor/rowFor/repeatTablesFor leave out their columns and an export with media leaves out their files.
 */
export const definitionFor = <D extends Pick<FormDefinition, 'fields' | 'photos' | 'signatures'>>(
  definition: D,
  profile: ExportProfile
): D => {
  if (profile === 'all') return definition;
  const dropped = new Set<string>();
  const fields = definition.fields.filter((f) => {
    const out = f.personal === true || f.type === 'photo' || (f.group !== undefined && dropped.has(f.group));
    if (out) dropped.add(f.key);
    return !out;
  });
  return { ...definition, fields, photos: [], signatures: [] };
};

/** Text a spreadsheet would run as a formula (OWASP "CSV injection"): starts with = + - @, a tab or a CR. */
export const isFormulaLike = (text: string) => /^[=+\-@\t\r]/.test(text);

/** A cell for CSV: formula-like text gets a leading apostrophe; dates are ISO 8601 (UTC); booleans true/false. */
export const csvCell = (cell: Cell): string => {
  if (cell === null) return '';
  if (cell instanceof Date) return cell.toISOString();
  if (typeof cell === 'number' || typeof cell === 'boolean') return String(cell);
  return isFormulaLike(cell) ? `'${cell}` : cell;
};
