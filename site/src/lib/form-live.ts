/**
 * The form's expressions on the phone, with the shared code the server validates with (shared/validation/form-logic):
 * which fields are shown, the live values of calculated fields, the options a cascading select offers, and the
 * defaults a new record starts with. Compiled once per form version.
 */
import type { FieldOption, FormDefinition } from '../../../cms/src/plugins/eas/shared/contracts/form';
import type { FieldValue, RecordData } from '../../../cms/src/plugins/eas/shared/validation/field-rules';
import {
  allowedOptions,
  compileFormLogic,
  defaultValues,
  evaluateForm,
  logicContext,
  type FieldLogic,
} from '../../../cms/src/plugins/eas/shared/validation/form-logic';

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
  visible: Set<string>;
  required: Set<string>;
  /** Calculated fields' values (null: empty). */
  calculated: Map<string, FieldValue | null>;
  /** For selects with a choice filter: the options offered now. */
  options: Map<string, FieldOption[]>;
}

export const liveFormState = (definition: Definition, data: Record<string, unknown>, today?: string): LiveFormState => {
  const logic = logicOf(definition);
  const ctx = logicContext(today);
  const state = evaluateForm(logic, data, ctx);
  const options = new Map<string, FieldOption[]>();
  for (const l of logic) if (l.choiceFilter) options.set(l.field.key, allowedOptions(l, state, ctx));
  return {
    visible: new Set([...state.visible].filter(([, v]) => v).map(([k]) => k)),
    required: new Set([...state.required].filter(([, v]) => v).map(([k]) => k)),
    calculated: state.calculated as Map<string, FieldValue | null>,
    options,
  };
};

/** Record data as it is sent: hidden fields dropped, calculated fields set, options no longer offered dropped. */
export const applyFormLogic = (definition: Definition, data: RecordData, today?: string): RecordData => {
  const live = liveFormState(definition, data, today);
  const out: RecordData = {};
  for (const field of definition.fields) {
    if (!live.visible.has(field.key)) continue;
    if (live.calculated.has(field.key)) {
      const v = live.calculated.get(field.key);
      if (v !== null && v !== undefined) out[field.key] = v;
      continue;
    }
    const value = data[field.key];
    if (value === undefined) continue;
    const offered = live.options.get(field.key);
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

/** The values a new record starts with (fields' `default` expressions, e.g. `today()`). */
export const initialValues = (definition: Definition, today?: string): RecordData => {
  const out: RecordData = {};
  for (const [k, v] of Object.entries(defaultValues(logicOf(definition), logicContext(today)))) if (v !== null) out[k] = v as FieldValue;
  return out;
};
