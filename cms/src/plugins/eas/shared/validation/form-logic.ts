/**
 * The expressions of a form version, compiled once: relevance (and the older show-if, read as the equivalent
 * expression), required-if, constraints, calculations, defaults and choice filters. One pass over the fields in
 * order evaluates them for a set of values; the record validator (server and site) and the capture page use it.
 */
import type { FieldDefinition, FieldOption } from '../contracts/form';
import { compileExpression, hasOwn, truthy, toNumber, toText, type CompiledExpression, type Scope, type Value } from '../expressions';
import { normalise } from './field-rules';
import { formStructure } from './form-structure';

export interface FieldLogic {
  field: FieldDefinition;
  relevant?: CompiledExpression;
  /** For a legacy show-if: the controlling field must itself be shown. */
  controller?: string;
  requiredIf?: CompiledExpression;
  constraint?: CompiledExpression;
  calculation?: CompiledExpression;
  default?: CompiledExpression;
  choiceFilter?: CompiledExpression;
  /** The field's direct group or repeat (absent at the top level). */
  parent?: string;
  /** The repeat the field is asked in, once per entry (absent outside repeats). */
  repeat?: string;
}

/**
 * What the expressions of one level found: the top level of the record, or one entry of a repeat (whose lookups
 * fall back to the top level for fields outside the repeat).
 */
export interface FormFrame {
  visible: Map<string, boolean>;
  required: Map<string, boolean>;
  /** Computed values of calculated fields that are shown (null when the calculation is empty). */
  calculated: Map<string, Value>;
  /**
   * The values expressions see: shown fields' values, calculated values, null for hidden fields. At the top level a
   * field of a repeat is the list of its values in every entry, and the repeat the list of its entry numbers.
   */
  values: Map<string, Value>;
  /** The top level, for an entry of a repeat. */
  parent?: FormFrame;
  /** The entry's number (1, 2, …) in its repeat: `position()`. */
  position?: number;
}

export interface FormState extends FormFrame {
  /** Each shown repeat's entries, in order, by repeat key. */
  entries: Map<string, FormFrame[]>;
}

export interface LogicContext {
  today: string;
  now: string;
}

const quote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** The expression an older `showIf { field, equals }` stands for (same outcome as the old rule). */
export const showIfExpression = (showIf: { field: string; equals: string }, controller?: FieldDefinition): string =>
  controller?.type === 'multiselect'
    ? `selected(\${${showIf.field}}, ${quote(showIf.equals)})`
    : `string(\${${showIf.field}}) = ${quote(showIf.equals)}`;

export const NUMBER_TYPES = new Set(['number', 'integer', 'decimal', 'range']);

/** A stored value as expressions see it. */
export const toValue = (field: FieldDefinition, raw: unknown): Value => {
  const v = normalise(field, raw);
  if (v === undefined || v === null || v === '') return null;
  if (Array.isArray(v)) return v.length ? v.map(String) : null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  return null;
};

/** A calculation's result in the field's own type. */
export const castCalculated = (field: FieldDefinition, v: Value): Value => {
  if (v === null || v === '') return null;
  if (NUMBER_TYPES.has(field.type)) {
    const n = toNumber(v);
    return n === null ? null : field.type === 'integer' ? Math.round(n) : n;
  }
  if (field.type === 'checkbox') return truthy(v);
  return toText(v);
};

/** Fields above each field, for compiling its expressions. Throws an ExpressionError for a bad expression. */
export const compileFieldLogic = (field: FieldDefinition, above: ReadonlySet<string>, controllerField?: FieldDefinition): FieldLogic => {
  const logic: FieldLogic = { field };
  const opts = { fields: above };
  if (field.relevant) logic.relevant = compileExpression(field.relevant, opts);
  else if (field.showIf) {
    logic.relevant = compileExpression(showIfExpression(field.showIf, controllerField));
    logic.controller = field.showIf.field;
  }
  if (field.requiredIf) logic.requiredIf = compileExpression(field.requiredIf, opts);
  if (field.constraint) logic.constraint = compileExpression(field.constraint, { ...opts, allowCurrent: true });
  if (field.calculation) logic.calculation = compileExpression(field.calculation, opts);
  if (field.default) logic.default = compileExpression(field.default, { fields: new Set() });
  if (field.choiceFilter) logic.choiceFilter = compileExpression(field.choiceFilter, { ...opts, attributes: optionAttributes(field) });
  return logic;
};

export const optionAttributes = (field: FieldDefinition): Set<string> =>
  new Set(['value', ...(field.options ?? []).flatMap((o) => Object.keys(o.attributes ?? {}))]);

/** Compiles every field's expressions; an expression that does not compile is left out (refused when saved). */
export const compileFormLogic = (fields: FieldDefinition[]): FieldLogic[] => {
  const above = new Set<string>();
  const structure = formStructure(fields);
  return fields.map((field) => {
    let logic: FieldLogic;
    try {
      logic = compileFieldLogic(
        field,
        new Set(above),
        fields.find((f) => f.key === field.showIf?.field)
      );
    } catch {
      logic = { field };
    }
    const parent = structure.ancestors.get(field.key)?.[0];
    if (parent) logic.parent = parent;
    const repeat = structure.repeatOf.get(field.key);
    if (repeat) logic.repeat = repeat;
    above.add(field.key);
    return logic;
  });
};

/** The value of a field as seen from a frame: the entry's own fields first, then the top level. */
const lookup = (frame: FormFrame, key: string): Value => {
  for (let f: FormFrame | undefined = frame; f; f = f.parent) if (f.values.has(key)) return f.values.get(key) ?? null;
  return null;
};

/** One scope per evaluation, reused by every expression of the frame (no allocation per field or option). */
const scopeOf = (frame: FormFrame, ctx: LogicContext): Scope => ({
  today: ctx.today,
  now: ctx.now,
  current: null,
  position: frame.position ?? null,
  field: (key: string) => lookup(frame, key),
});

const newFrame = (parent?: FormFrame, position?: number): FormFrame => ({
  visible: new Map(),
  required: new Map(),
  calculated: new Map(),
  values: new Map(),
  ...(parent ? { parent, position } : {}),
});

const isEntry = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The entries a record holds for a repeat (anything that is not a list of objects holds none). */
export const entriesOf = (data: Record<string, unknown>, key: string): Record<string, unknown>[] => {
  const v = hasOwn(data, key) ? data[key] : undefined;
  return Array.isArray(v) ? v.map((e) => (isEntry(e) ? e : {})) : [];
};

/** Evaluates one level's fields in order: relevance (within its groups), required-if, calculations. */
const evaluateLevel = (logic: FieldLogic[], data: Record<string, unknown>, frame: FormFrame, ctx: LogicContext, state: FormState) => {
  const scope = scopeOf(frame, ctx);
  for (const l of logic) {
    const key = l.field.key;
    const parentShown = !l.parent || (frame.visible.has(l.parent) ? frame.visible.get(l.parent) === true : true);
    const controllerShown = !l.controller || lookupVisible(frame, l.controller);
    const shown = parentShown && controllerShown && (!l.relevant || truthy(l.relevant.evaluate(scope)));
    frame.visible.set(key, shown);
    frame.required.set(key, shown && (l.field.required || (l.requiredIf ? truthy(l.requiredIf.evaluate(scope)) : false)));
    if (l.field.type === 'repeat') {
      evaluateRepeat(l, shown ? entriesOf(data, key) : [], frame, ctx, state);
      continue;
    }
    if (!shown || l.field.type === 'note' || l.field.type === 'group' || l.field.type === 'photo') {
      frame.values.set(key, null);
      continue;
    }
    if (l.calculation) {
      const v = castCalculated(l.field, l.calculation.evaluate(scope));
      frame.calculated.set(key, v);
      frame.values.set(key, v);
    } else {
      frame.values.set(key, hasOwn(data, key) ? toValue(l.field, data[key]) : null);
    }
  }
};

const lookupVisible = (frame: FormFrame, key: string): boolean => {
  for (let f: FormFrame | undefined = frame; f; f = f.parent) if (f.visible.has(key)) return f.visible.get(key) === true;
  return false;
};

const repeatLogic = new WeakMap<FieldLogic, FieldLogic[]>();
const byRepeat = (all: FieldLogic[]) => {
  const out = new Map<string, FieldLogic[]>();
  for (const l of all) if (l.repeat) (out.get(l.repeat) ?? out.set(l.repeat, []).get(l.repeat)!).push(l);
  return out;
};

/** A repeat's entries, each evaluated in its own frame; the top level then sees each field's values as a list. */
const evaluateRepeat = (l: FieldLogic, entries: Record<string, unknown>[], frame: FormFrame, ctx: LogicContext, state: FormState) => {
  const inner = repeatLogic.get(l) ?? [];
  const frames = entries.map((entry, i) => {
    const f = newFrame(frame, i + 1);
    evaluateLevel(inner, entry, f, ctx, state);
    return f;
  });
  if (frame.visible.get(l.field.key)) state.entries.set(l.field.key, frames);
  frame.values.set(
    l.field.key,
    frames.map((_, i) => String(i + 1))
  );
  for (const c of inner) {
    if (c.field.type === 'note' || c.field.type === 'group') continue;
    frame.values.set(
      c.field.key,
      frames.filter((f) => f.visible.get(c.field.key)).map((f) => toText(f.values.get(c.field.key) ?? null))
    );
  }
};

/** Evaluates relevance, required-if and calculations in one pass over the fields, in order; repeats entry by entry. */
export const evaluateForm = (logic: FieldLogic[], data: Record<string, unknown>, ctx: LogicContext): FormState => {
  const state: FormState = { ...newFrame(), entries: new Map() };
  const inner = byRepeat(logic);
  for (const l of logic) if (l.field.type === 'repeat') repeatLogic.set(l, inner.get(l.field.key) ?? []);
  evaluateLevel(
    logic.filter((l) => !l.repeat),
    data,
    state,
    ctx,
    state
  );
  return state;
};

/** Does the shown, filled value satisfy the field's constraint? */
export const satisfiesConstraint = (l: FieldLogic, frame: FormFrame, value: Value, ctx: LogicContext): boolean => {
  if (!l.constraint) return true;
  const scope = scopeOf(frame, ctx);
  scope.current = value;
  return truthy(l.constraint.evaluate(scope));
};

/** The options a select offers for these values (all of them without a choice filter). */
export const allowedOptions = (l: FieldLogic, frame: FormFrame, ctx: LogicContext): FieldOption[] => {
  const options = l.field.options ?? [];
  if (!l.choiceFilter) return options;
  const filter = l.choiceFilter;
  let option: FieldOption = options[0];
  const scope = scopeOf(frame, ctx);
  scope.attribute = (name: string) =>
    name === 'value' ? option.value : option.attributes && hasOwn(option.attributes, name) ? option.attributes[name] : null;
  return options.filter((o) => {
    option = o;
    return truthy(filter.evaluate(scope));
  });
};

/** The starting values of a new entry of a repeat from its fields' defaults. */
export const entryDefaults = (logic: FieldLogic[], repeat: string, ctx: LogicContext): Record<string, Value> => {
  const out: Record<string, Value> = {};
  for (const l of logic)
    if (l.default && l.repeat === repeat) out[l.field.key] = castCalculated(l.field, l.default.evaluate(scopeOf(newFrame(), ctx)));
  return out;
};

/** The starting values of a new record from the fields' defaults (repeats start with no entries). */
export const defaultValues = (logic: FieldLogic[], ctx: LogicContext): Record<string, Value> => {
  const out: Record<string, Value> = {};
  for (const l of logic)
    if (l.default && !l.repeat) out[l.field.key] = castCalculated(l.field, l.default.evaluate(scopeOf(newFrame(), ctx)));
  return out;
};

export const todayUtc = () => new Date().toISOString().slice(0, 10);
export const logicContext = (today?: string): LogicContext => ({ today: today ?? todayUtc(), now: new Date().toISOString() });

/** Which fields are shown for these values (older callers; same as evaluateForm(...).visible). */
export const visibleFields = (fields: FieldDefinition[], data: Record<string, unknown>): Map<string, boolean> =>
  evaluateForm(compileFormLogic(fields), data, logicContext()).visible;
