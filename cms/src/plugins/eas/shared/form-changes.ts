/**
 * What changed between two versions of a form, as the builder's Publish dialog shows it: fields, photos and
 * signatures added, removed or changed (which settings), and which changes make answers given with the previous
 * version invalid under the new one. Pure; the admin translates the codes.
 *
 * Drafts already on phones stay on the version they were started with (the phone renders and sends them with it,
 * and the server accepts every version a form had), so such a change never loses a draft; it means the records of
 * the two versions differ, which editors and exports see. The dialog says so.
 */
import type { FieldDefinition, FormDefinition, PhotoSlotDefinition, SignatureSlotDefinition } from './contracts/form';

export type ChangeKind = 'added' | 'removed' | 'changed';
export type ItemKind = 'field' | 'photo' | 'signature';

/**
 * Why answers given with the previous version would be refused now:
 * - removed: the question is gone (its answers are kept on the old records only);
 * - type: the same key holds another kind of answer;
 * - now_required / new_required: an answer that could be left empty must be given;
 * - options_removed: a choice people could pick is no longer offered;
 * - narrower: the smallest/largest accepted value or length moved inwards;
 * - rule_added: a constraint, pattern or required-if rule was added or changed.
 */
export type BreakingReason = 'removed' | 'type' | 'now_required' | 'new_required' | 'options_removed' | 'narrower' | 'rule_added';

export interface FormChange {
  item: ItemKind;
  change: ChangeKind;
  /** Field key, photo side or signature key. */
  key: string;
  label: string;
  /** For a change: the settings that differ, e.g. ["label", "options"]. */
  settings: string[];
  breaking: BreakingReason[];
}

export interface FormChanges {
  /** The form's own settings that differ: name, description, pages, languages, pdf, summaryField. */
  form: string[];
  items: FormChange[];
  /** True when nothing differs (publishing then mints no new version). */
  same: boolean;
}

const FIELD_SETTINGS = [
  'label',
  'type',
  'required',
  'help',
  'options',
  'min',
  'max',
  'step',
  'pattern',
  'group',
  'showIf',
  'relevant',
  'requiredIf',
  'constraint',
  'constraintMessage',
  'calculation',
  'default',
  'choiceFilter',
  'translations',
] as const satisfies readonly (keyof FieldDefinition)[];

const PHOTO_SETTINGS = [
  'label',
  'required',
  'hint',
  'maxPixels',
  'minWidth',
  'minHeight',
  'minMegapixels',
  'allowOverride',
  'translations',
] as const satisfies readonly (keyof PhotoSlotDefinition)[];

const SIGNATURE_SETTINGS = [
  'role',
  'consentText',
  'required',
  'translations',
] as const satisfies readonly (keyof SignatureSlotDefinition)[];

const FORM_SETTINGS = ['name', 'description', 'pages', 'defaultLanguage', 'languages', 'pdf', 'summaryField'] as const;

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

const differing = <T extends object>(a: T, b: T, settings: readonly (keyof T)[]) => settings.filter((s) => !same(a[s], b[s])).map(String);

/** Kinds of answer that are the same value whatever the field type says (a decimal and an old "number"). */
const valueKind = (type: FieldDefinition['type']) => (type === 'number' ? 'decimal' : type);

const fieldBreaking = (before: FieldDefinition, after: FieldDefinition): BreakingReason[] => {
  const out: BreakingReason[] = [];
  if (valueKind(before.type) !== valueKind(after.type) && !(before.type === 'integer' && after.type === 'decimal')) out.push('type');
  if (after.required && !before.required) out.push('now_required');
  const kept = new Set((after.options ?? []).map((o) => o.value));
  if ((before.options ?? []).some((o) => !kept.has(o.value))) out.push('options_removed');
  const lower = after.min !== undefined && (before.min === undefined || after.min > before.min);
  const upper = after.max !== undefined && (before.max === undefined || after.max < before.max);
  if (lower || upper) out.push('narrower');
  const ruleChanged = (['constraint', 'pattern', 'requiredIf'] as const).some((r) => after[r] && after[r] !== before[r]);
  if (ruleChanged) out.push('rule_added');
  return out;
};

const byKey = <T>(items: readonly T[], key: (t: T) => string) => new Map(items.map((t) => [key(t), t]));

const compare = <T extends object>(
  item: ItemKind,
  before: readonly T[],
  after: readonly T[],
  keyOf: (t: T) => string,
  labelOf: (t: T) => string,
  settings: readonly (keyof T)[],
  requiredOf: (t: T) => boolean,
  breakingOf: (a: T, b: T) => BreakingReason[]
): FormChange[] => {
  const old = byKey(before, keyOf);
  const now = byKey(after, keyOf);
  const out: FormChange[] = [];
  for (const t of after) {
    const key = keyOf(t);
    const prev = old.get(key);
    if (!prev) {
      out.push({ item, change: 'added', key, label: labelOf(t), settings: [], breaking: requiredOf(t) ? ['new_required'] : [] });
      continue;
    }
    const diff = differing(prev, t, settings);
    if (diff.length) out.push({ item, change: 'changed', key, label: labelOf(t), settings: diff, breaking: breakingOf(prev, t) });
  }
  for (const t of before) {
    const key = keyOf(t);
    if (!now.has(key)) out.push({ item, change: 'removed', key, label: labelOf(t), settings: [], breaking: ['removed'] });
  }
  return out;
};

/** The changes from `previous` (the last published version; null: none yet) to `next` (the draft). */
export const formChanges = (previous: FormDefinition | null, next: FormDefinition): FormChanges => {
  if (!previous) {
    return { form: [], items: [], same: false };
  }
  const valueField = (f: FieldDefinition) => !['note', 'group', 'photo'].includes(f.type);
  const items = [
    ...compare(
      'field',
      previous.fields,
      next.fields,
      (f) => f.key,
      (f) => f.label,
      FIELD_SETTINGS,
      (f) => f.required && valueField(f) && !f.relevant && !f.showIf,
      (a, b) => (valueField(b) ? fieldBreaking(a, b) : [])
    ),
    ...compare(
      'photo',
      previous.photos,
      next.photos,
      (p) => p.side,
      (p) => p.label,
      PHOTO_SETTINGS,
      (p) => p.required,
      (a, b) => (b.required && !a.required ? ['now_required'] : [])
    ),
    ...compare(
      'signature',
      previous.signatures,
      next.signatures,
      (s) => s.key,
      (s) => s.role,
      SIGNATURE_SETTINGS,
      (s) => s.required,
      (a, b) => (b.required && !a.required ? ['now_required'] : [])
    ),
  ];
  const orderChanged = !same(
    previous.fields.map((f) => f.key).filter((k) => next.fields.some((f) => f.key === k)),
    next.fields.map((f) => f.key).filter((k) => previous.fields.some((f) => f.key === k))
  );
  const form = [...FORM_SETTINGS.filter((s) => !same(previous[s], next[s])), ...(orderChanged ? ['order'] : [])];
  return { form, items, same: form.length === 0 && items.length === 0 };
};

/** The changes that make answers given with the previous version invalid now. */
export const breakingChanges = (changes: FormChanges) => changes.items.filter((c) => c.breaking.length > 0);
