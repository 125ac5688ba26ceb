/**
 * The expressions of a form version, compiled once: relevance (and the older show-if, read as the equivalent
 * expression), required-if, constraints, calculations, defaults and choice filters. One pass over the fields in
 * order evaluates them for a set of values; the record validator (server and site) and the capture page use it.
 */
import type { FieldDefinition, FieldOption } from '../contracts/form';
import { compileExpression, hasOwn, truthy, toNumber, toText, type CompiledExpression, type Scope, type Value } from '../expressions';
import { normalise } from './field-rules';

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
}

export interface FormState {
  visible: Map<string, boolean>;
  required: Map<string, boolean>;
  /** Computed values of calculated fields that are shown (null when the calculation is empty). */
  calculated: Map<string, Value>;
  /** The values expressions see: shown fields' values, calculated values, null for hidden fields. */
  values: Map<string, Value>;
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
    above.add(field.key);
    return logic;
  });
};

/** One scope per evaluation, reused by every expression of the form (no allocation per field or option). */
const scopeOf = (values: Map<string, Value>, ctx: LogicContext): Scope => ({
  today: ctx.today,
  now: ctx.now,
  current: null,
  field: (key: string) => values.get(key) ?? null,
});

/** Evaluates relevance, required-if and calculations in one pass over the fields, in order. */
export const evaluateForm = (logic: FieldLogic[], data: Record<string, unknown>, ctx: LogicContext): FormState => {
  const state: FormState = { visible: new Map(), required: new Map(), calculated: new Map(), values: new Map() };
  const scope = scopeOf(state.values, ctx);
  for (const l of logic) {
    const key = l.field.key;
    const shown = (!l.controller || state.visible.get(l.controller) === true) && (!l.relevant || truthy(l.relevant.evaluate(scope)));
    state.visible.set(key, shown);
    state.required.set(key, shown && (l.field.required || (l.requiredIf ? truthy(l.requiredIf.evaluate(scope)) : false)));
    if (!shown || l.field.type === 'note') {
      state.values.set(key, null);
      continue;
    }
    if (l.calculation) {
      const v = castCalculated(l.field, l.calculation.evaluate(scope));
      state.calculated.set(key, v);
      state.values.set(key, v);
    } else {
      state.values.set(key, hasOwn(data, key) ? toValue(l.field, data[key]) : null);
    }
  }
  return state;
};

/** Does the shown, filled value satisfy the field's constraint? */
export const satisfiesConstraint = (l: FieldLogic, state: FormState, value: Value, ctx: LogicContext): boolean => {
  if (!l.constraint) return true;
  const scope = scopeOf(state.values, ctx);
  scope.current = value;
  return truthy(l.constraint.evaluate(scope));
};

/** The options a select offers for these values (all of them without a choice filter). */
export const allowedOptions = (l: FieldLogic, state: FormState, ctx: LogicContext): FieldOption[] => {
  const options = l.field.options ?? [];
  if (!l.choiceFilter) return options;
  const filter = l.choiceFilter;
  let option: FieldOption = options[0];
  const scope = scopeOf(state.values, ctx);
  scope.attribute = (name: string) =>
    name === 'value' ? option.value : option.attributes && hasOwn(option.attributes, name) ? option.attributes[name] : null;
  return options.filter((o) => {
    option = o;
    return truthy(filter.evaluate(scope));
  });
};

/** The starting values of a new record from the fields' defaults. */
export const defaultValues = (logic: FieldLogic[], ctx: LogicContext): Record<string, Value> => {
  const out: Record<string, Value> = {};
  for (const l of logic) if (l.default) out[l.field.key] = castCalculated(l.field, l.default.evaluate(scopeOf(new Map(), ctx)));
  return out;
};

export const todayUtc = () => new Date().toISOString().slice(0, 10);
export const logicContext = (today?: string): LogicContext => ({ today: today ?? todayUtc(), now: new Date().toISOString() });

/** Which fields are shown for these values (older callers; same as evaluateForm(...).visible). */
export const visibleFields = (fields: FieldDefinition[], data: Record<string, unknown>): Map<string, boolean> =>
  evaluateForm(compileFormLogic(fields), data, logicContext()).visible;
