/**
 * The form builder's editing rules, pure: which settings each field type has, new fields, keys and option values
 * made from labels, moving a field (with what it contains), and show-if as "field is value" read from and written
 * to the expression the form model stores (docs/expressions.md). The page (pages/FormBuilderPage.tsx) only draws.
 */
import type { FieldDefinition, FieldType, FormDefinition } from '../../../shared/contracts/form';
import { CONTAINER_TYPES } from '../../../shared/validation/form-structure';

/** A setting of a field the builder shows; only those of the field's type are shown. */
export type FieldSetting =
  | 'required'
  | 'help'
  | 'options'
  | 'min'
  | 'max'
  | 'step'
  | 'pattern'
  | 'showIf'
  | 'constraint'
  | 'calculation'
  | 'default'
  | 'choiceFilter'
  | 'personal';

const ANSWER: FieldSetting[] = ['required', 'help', 'showIf', 'constraint', 'default', 'personal'];

/** The settings each type uses (what the form model's validator accepts for it). */
export const SETTINGS: Record<FieldType, FieldSetting[]> = {
  text: [...ANSWER, 'min', 'max', 'pattern', 'calculation'],
  textarea: [...ANSWER, 'min', 'max', 'pattern'],
  number: [...ANSWER, 'min', 'max', 'calculation'],
  integer: [...ANSWER, 'min', 'max', 'calculation'],
  decimal: [...ANSWER, 'min', 'max', 'calculation'],
  date: [...ANSWER, 'calculation'],
  time: [...ANSWER],
  datetime: [...ANSWER],
  select: [...ANSWER, 'options', 'choiceFilter'],
  multiselect: [...ANSWER, 'options', 'min', 'max', 'choiceFilter'],
  checkbox: ['help', 'showIf', 'default', 'personal'],
  acknowledge: ['help', 'showIf', 'personal'],
  range: [...ANSWER, 'min', 'max', 'step'],
  email: [...ANSWER],
  phone: [...ANSWER],
  note: ['help', 'showIf'],
  group: ['showIf'],
  repeat: ['showIf', 'min', 'max'],
  geopoint: ['required', 'help', 'showIf', 'max', 'personal'],
  barcode: [...ANSWER, 'pattern'],
  // No "personal data" on a photo: photos (and signatures) are always left out of exports without personal data.
  photo: ['required', 'help', 'showIf'],
};

/** The order types are offered in the "Add a field" palette. */
export const PALETTE: FieldType[] = [
  'text',
  'textarea',
  'integer',
  'decimal',
  'date',
  'time',
  'datetime',
  'select',
  'multiselect',
  'checkbox',
  'acknowledge',
  'range',
  'email',
  'phone',
  'geopoint',
  'barcode',
  'photo',
  'note',
  'group',
  'repeat',
];

/** "Site name (main)" → "site_name_main": a key the model accepts (lowercase letter first; a-z, 0-9, _). */
export const keyFromLabel = (label: string, taken: ReadonlySet<string>, fallback = 'field'): string => {
  const base =
    label
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^[^a-z]+|_+$/g, '')
      .slice(0, 50) || fallback;
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}_${i}`)) return `${base}_${i}`;
};

/** An option value made from its label, as ODK tools do ("Needs repair" → "needs_repair"). */
export const valueFromLabel = (label: string, taken: ReadonlySet<string>) => keyFromLabel(label, taken, 'option');

/** A new field of `type` at the end of `group` (top level when absent), with a free key. */
export const newField = (type: FieldType, fields: readonly FieldDefinition[], group?: string): FieldDefinition => {
  const taken = new Set(fields.map((f) => f.key));
  const field: FieldDefinition = { key: keyFromLabel(type, taken), label: '', type, required: false };
  if (group) field.group = group;
  if (type === 'select' || type === 'multiselect') field.options = [];
  if (type === 'range') Object.assign(field, { min: 1, max: 5, step: 1 });
  return field;
};

/** The indexes of a field and of everything inside it (a group's or repeat's fields follow it in the list). */
export const blockOf = (fields: readonly FieldDefinition[], index: number): [number, number] => {
  const inside = new Set([fields[index].key]);
  let end = index + 1;
  while (end < fields.length && fields[end].group && inside.has(fields[end].group!)) {
    inside.add(fields[end].key);
    end++;
  }
  return [index, end];
};

/** Where a new field of a group goes: after the group's last field (nested ones included). */
export const insertionPoint = (fields: readonly FieldDefinition[], group?: string): number => {
  if (!group) return fields.length;
  const at = fields.findIndex((f) => f.key === group);
  return at === -1 ? fields.length : blockOf(fields, at)[1];
};

/**
 * Moves the field at `from` (with what it contains) one place up or down among its siblings, or before the field
 * at `to` (drag and drop; it then joins that field's group). Returns a new list; the same list when it cannot move.
 */
export const moveField = (fields: readonly FieldDefinition[], from: number, to: number | 'up' | 'down'): FieldDefinition[] => {
  const [start, end] = blockOf(fields, from);
  const block = fields.slice(start, end);
  const rest = [...fields.slice(0, start), ...fields.slice(end)];
  const moved = block[0];
  let at: number;
  let group = moved.group;
  if (to === 'up' || to === 'down') {
    const siblings = rest.map((f, i) => [f, i] as const).filter(([f]) => f.group === moved.group);
    const before = siblings.filter(([, i]) => i < start);
    const after = siblings.filter(([, i]) => i >= start);
    if (to === 'up') {
      if (!before.length) return [...fields];
      at = before[before.length - 1][1];
    } else {
      if (!after.length) return [...fields];
      at = blockOf(rest, after[0][1])[1];
    }
  } else {
    if (to >= start && to < end) return [...fields];
    const target = fields[to];
    if (!target) {
      at = rest.length;
      group = undefined;
    } else {
      at = rest.indexOf(target);
      group = target.group;
    }
    // A repeat may not sit inside another repeat: the model refuses it, so does the builder.
    if (moved.type === 'repeat' && group && isInRepeat(rest, group)) return [...fields];
  }
  const head = { ...moved };
  if (group) head.group = group;
  else delete head.group;
  return [...rest.slice(0, at), head, ...block.slice(1), ...rest.slice(at)];
};

const isInRepeat = (fields: readonly FieldDefinition[], group: string): boolean => {
  let key: string | undefined = group;
  while (key) {
    const f = fields.find((g) => g.key === key);
    if (!f) return false;
    if (f.type === 'repeat') return true;
    key = f.group;
  }
  return false;
};

/** Removes a field with what it contains. */
export const removeField = (fields: readonly FieldDefinition[], index: number): FieldDefinition[] => {
  const [start, end] = blockOf(fields, index);
  return [...fields.slice(0, start), ...fields.slice(end)];
};

/** The containers (groups, repeats) a field may be put in: every one but itself and those inside it. */
export const containersFor = (fields: readonly FieldDefinition[], index: number): FieldDefinition[] => {
  const [start, end] = blockOf(fields, index);
  return fields.filter((f, i) => CONTAINER_TYPES.has(f.type) && (i < start || i >= end));
};

/** Marks a field as personal data (left out of exports without personal data) or not; stored only when true. */
export const withPersonal = (f: FieldDefinition, personal: boolean): FieldDefinition => {
  const next = { ...f };
  if (personal) next.personal = true;
  else delete next.personal;
  return next;
};

/** Show-if as the builder's two dropdowns: the field and the value it must have. */
export interface ShowIf {
  field: string;
  value: string;
}

const QUOTED = "'((?:[^'\\\\]|\\\\.)*)'";
const EQUALS = new RegExp(`^\\s*(?:string\\()?\\$\\{([a-z][a-z0-9_]*)\\}\\)?\\s*=\\s*${QUOTED}\\s*$`);
const SELECTED = new RegExp(`^\\s*selected\\(\\s*\\$\\{([a-z][a-z0-9_]*)\\}\\s*,\\s*${QUOTED}\\s*\\)\\s*$`);

/** The field's show-if when it is one "field is value" condition (older show-if included); null otherwise. */
export const readShowIf = (f: FieldDefinition): ShowIf | null => {
  if (f.showIf && !f.relevant) return { field: f.showIf.field, value: f.showIf.equals };
  if (!f.relevant) return null;
  const m = EQUALS.exec(f.relevant) ?? SELECTED.exec(f.relevant);
  return m ? { field: m[1], value: m[2].replace(/\\(.)/g, '$1') } : null;
};

/** The expression for "show when `field` is `value`", as the form model reads it. */
export const showIfExpression = (fields: readonly FieldDefinition[], { field, value }: ShowIf): string => {
  const target = fields.find((f) => f.key === field);
  const quoted = `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (target?.type === 'multiselect') return `selected(\${${field}}, ${quoted})`;
  if (target?.type === 'checkbox' || target?.type === 'acknowledge') return `string(\${${field}}) = ${quoted}`;
  return `\${${field}} = ${quoted}`;
};

/** Sets (or with null clears) a field's show-if; the older showIf is replaced by the expression. */
export const withShowIf = (fields: readonly FieldDefinition[], f: FieldDefinition, showIf: ShowIf | null): FieldDefinition => {
  const next = { ...f };
  delete next.showIf;
  if (showIf) next.relevant = showIfExpression(fields, showIf);
  else delete next.relevant;
  return next;
};

/** Fields a show-if can depend on: those above this one that hold an answer. */
export const showIfSources = (fields: readonly FieldDefinition[], index: number): FieldDefinition[] =>
  fields.slice(0, index).filter((f) => !['note', 'group', 'repeat', 'photo', 'geopoint'].includes(f.type));

/** The values a show-if on `source` can be chosen from; null when the value is typed (text, numbers, dates). */
export const showIfValues = (source: FieldDefinition): { value: string; label: string }[] | null => {
  if (source.type === 'select' || source.type === 'multiselect')
    return (source.options ?? []).map((o) => ({ value: o.value, label: o.label }));
  if (source.type === 'checkbox' || source.type === 'acknowledge') return [{ value: 'true', label: '✓' }];
  return null;
};

/** A new form as the builder starts it: front and back photos on, one signature, as EAS records usually have. */
export const newForm = (): FormDefinition => ({
  slug: '',
  name: '',
  fields: [],
  photos: [
    { side: 'front', label: 'Front photo', required: true, maxPixels: 8_000_000 },
    { side: 'back', label: 'Back photo', required: true, maxPixels: 8_000_000 },
  ],
  signatures: [],
  pdf: {},
});

/** Drops settings the field's type does not use (after a type change) and empty texts, as the model stores it. */
export const tidyField = (f: FieldDefinition): FieldDefinition => {
  const uses = new Set(SETTINGS[f.type]);
  const out: FieldDefinition = { ...f };
  if (!uses.has('options')) delete out.options;
  if (!uses.has('min')) delete out.min;
  if (!uses.has('max')) delete out.max;
  if (!uses.has('step')) delete out.step;
  if (!uses.has('pattern')) delete out.pattern;
  if (!uses.has('calculation')) delete out.calculation;
  if (!uses.has('choiceFilter')) delete out.choiceFilter;
  if (!uses.has('constraint')) {
    delete out.constraint;
    delete out.constraintMessage;
  }
  if (!uses.has('default')) delete out.default;
  if (!uses.has('required')) out.required = false;
  // Stored only when true (a version from before the setting keeps its exact content and hash).
  if (!uses.has('personal') || out.personal !== true) delete out.personal;
  for (const k of Object.keys(out) as (keyof FieldDefinition)[]) if (out[k] === '' && k !== 'label' && k !== 'key') delete out[k];
  return out;
};

/** The definition as the builder sends it: fields tidied, option rows without a label dropped. */
export const tidyDefinition = (d: FormDefinition): FormDefinition => ({
  ...d,
  fields: d.fields.map((f) => tidyField(f.options ? { ...f, options: f.options.filter((o) => o.label.trim() || o.value.trim()) } : f)),
});

/** A choice's attributes (cascading choices) as typed: "region=north; size=large". */
export const attributesText = (attributes: Record<string, string> | undefined) =>
  Object.entries(attributes ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');

/** "region=north; size=large" → { region: "north", size: "large" } (names as the form model's keys; blanks dropped). */
export const parseAttributes = (text: string): Record<string, string> | undefined => {
  const pairs = text
    .split(/[;\n]/)
    .map((p) => p.split('='))
    .map(([k, ...v]) => [k.trim().toLowerCase(), v.join('=').trim().replace(/[|;]/g, '')] as const)
    .filter(([k, v]) => /^[a-z][a-z0-9_]*$/.test(k) && v !== '');
  return pairs.length ? Object.fromEntries(pairs) : undefined;
};
