/**
 * The form's expressions on the phone, with the shared code the server validates with (shared/validation/form-logic):
 * which fields are shown, the live values of calculated fields, the options a cascading select offers, and the
 * defaults a new record starts with. Compiled once per form version.
 */
import type { FieldDefinition, FieldOption, FormDefinition } from '../../../cms/src/plugins/eas/shared/contracts/form';
import type { FieldValue, RecordData, RepeatEntry } from '../../../cms/src/plugins/eas/shared/validation/field-rules';
import {
  allowedOptions,
  compileFormLogic,
  defaultValues,
  entryDefaults,
  evaluateForm,
  logicContext,
  type FieldLogic,
  type FormFrame,
} from '../../../cms/src/plugins/eas/shared/validation/form-logic';
import { entryKey, formStructure } from '../../../cms/src/plugins/eas/shared/validation/form-structure';

type Definition = Pick<FormDefinition, 'fields'>;
const compiled = new WeakMap<Definition, FieldLogic[]>();
const logicOf = (definition: Definition) => {
  let logic = compiled.get(definition);
  if (!logic) {
    logic = compileFormLogic(definition.fields);
    compiled.set(definition, logic);
  }
  return logic;
};

export interface LiveFormState {
  /** Keys of the fields shown: plain keys, and `meters[0].reading` for a field of a repeat's entry. */
  visible: Set<string>;
  required: Set<string>;
  /** Calculated fields' values (null: empty), by the same keys. */
  calculated: Map<string, FieldValue | null>;
  /** For selects with a choice filter: the options offered now, by the same keys. */
  options: Map<string, FieldOption[]>;
  /** The number of entries of each shown repeat. */
  entries: Map<string, number>;
}

export const liveFormState = (definition: Definition, data: Record<string, unknown>, today?: string): LiveFormState => {
  const logic = logicOf(definition);
  const ctx = logicContext(today);
  const state = evaluateForm(logic, data, ctx);
  const live: LiveFormState = { visible: new Set(), required: new Set(), calculated: new Map(), options: new Map(), entries: new Map() };
  const collect = (frame: FormFrame, level: FieldLogic[], keyOf: (k: string) => string) => {
    for (const l of level) {
      const key = keyOf(l.field.key);
      if (frame.visible.get(l.field.key)) live.visible.add(key);
      if (frame.required.get(l.field.key)) live.required.add(key);
      if (frame.calculated.has(l.field.key)) live.calculated.set(key, frame.calculated.get(l.field.key) as FieldValue | null);
      if (l.choiceFilter) live.options.set(key, allowedOptions(l, frame, ctx));
    }
  };
  collect(
    state,
    logic.filter((l) => !l.repeat),
    (k) => k
  );
  for (const [repeat, frames] of state.entries) {
    live.entries.set(repeat, frames.length);
    const level = logic.filter((l) => l.repeat === repeat);
    frames.forEach((frame, i) => collect(frame, level, (k) => entryKey(repeat, i, k)));
  }
  return live;
};

/** Keeps what is shown, sets what is calculated, drops options no longer offered: one level (record or entry). */
const applyLevel = (
  fields: readonly FieldDefinition[],
  data: Record<string, unknown>,
  live: LiveFormState,
  keyOf: (k: string) => string,
  entriesOf: (repeat: FieldDefinition, value: unknown) => RepeatEntry[]
): Record<string, FieldValue> => {
  const out: Record<string, FieldValue> = {};
  for (const field of fields) {
    const key = keyOf(field.key);
    if (!live.visible.has(key)) continue;
    if (field.type === 'repeat') {
      const entries = entriesOf(field, data[field.key]);
      if (entries.length) out[field.key] = entries;
      continue;
    }
    if (live.calculated.has(key)) {
      const v = live.calculated.get(key);
      if (v !== null && v !== undefined) out[field.key] = v;
      continue;
    }
    const value = data[field.key] as FieldValue | undefined;
    if (value === undefined) continue;
    const offered = live.options.get(key);
    if (offered) {
      const allowed = new Set(offered.map((o) => o.value));
      if (Array.isArray(value)) {
        const kept = (value as string[]).filter((v) => allowed.has(v));
        if (kept.length) out[field.key] = kept;
        continue;
      }
      if (!allowed.has(String(value))) continue;
    }
    out[field.key] = value;
  }
  return out;
};

/** Record data as it is sent: hidden fields dropped, calculated fields set, options no longer offered dropped. */
export const applyFormLogic = (definition: Definition, data: RecordData, today?: string): RecordData => {
  const live = liveFormState(definition, data, today);
  const { topLevel, repeatFields } = formStructure(definition.fields);
  return applyLevel(
    topLevel,
    data,
    live,
    (k) => k,
    (repeat, value) =>
      (Array.isArray(value) ? value : []).map(
        (entry, i) =>
          applyLevel(
            repeatFields.get(repeat.key) ?? [],
            (entry ?? {}) as Record<string, unknown>,
            live,
            (k) => entryKey(repeat.key, i, k),
            () => []
          ) as RepeatEntry
      )
  );
};

/** The values a new entry of a repeat starts with (its fields' `default` expressions). */
export const newEntryValues = (definition: Definition, repeat: string, today?: string): RepeatEntry => {
  const out: RepeatEntry = {};
  for (const [k, v] of Object.entries(entryDefaults(logicOf(definition), repeat, logicContext(today))))
    if (v !== null) out[k] = v as RepeatEntry[string];
  return out;
};

/** The values a new record starts with (fields' `default` expressions, e.g. `today()`). */
export const initialValues = (definition: Definition, today?: string): RecordData => {
  const out: RecordData = {};
  for (const [k, v] of Object.entries(defaultValues(logicOf(definition), logicContext(today)))) if (v !== null) out[k] = v as FieldValue;
  return out;
};
