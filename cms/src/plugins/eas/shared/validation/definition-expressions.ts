/**
 * The definition rules for the expression attributes and the newer field types: every expression must compile and
 * name only fields above its own, with a message naming the field and the attribute.
 */
import type { FieldDefinition } from '../contracts/form';
import { ExpressionError } from '../expressions';
import { compileExpression, type CompileOptions } from '../expressions/compile';
import { optionAttributes } from './form-logic';

type Add = (path: (string | number)[], message: string) => void;

const ATTRIBUTES = [
  ['relevant', 'relevance'],
  ['requiredIf', 'required-if'],
  ['constraint', 'constraint'],
  ['calculation', 'calculation'],
  ['default', 'default'],
  ['choiceFilter', 'choice filter'],
] as const;

const SELECTS = new Set(['select', 'multiselect']);
const NO_VALUE = new Set(['note']);

export const checkFieldExpressions = (fields: FieldDefinition[], f: FieldDefinition, i: number, name: string, add: Add) => {
  const at = (attr: string) => ['fields', i, attr];
  const above = new Set(fields.slice(0, i).map((g) => g.key));
  for (const [attr, what] of ATTRIBUTES) {
    const source = f[attr];
    if (source === undefined) continue;
    const options: CompileOptions =
      attr === 'default'
        ? { fields: new Set() }
        : { fields: above, allowCurrent: attr === 'constraint', ...(attr === 'choiceFilter' ? { attributes: optionAttributes(f) } : {}) };
    try {
      compileExpression(source, options);
    } catch (err) {
      if (!(err instanceof ExpressionError)) throw err;
      const hint = attr === 'default' && /field/.test(err.message) ? ' (a default may not name fields)' : '';
      add(at(attr), `${name}: the ${what} expression is not valid: ${err.message}${hint}`);
    }
  }
  if (f.relevant && f.showIf) add(at('relevant'), `${name}: use either show-if or a relevance expression, not both`);
  if (f.constraintMessage && !f.constraint) add(at('constraintMessage'), `${name}: a constraint message needs a constraint`);
  if (f.choiceFilter && !SELECTS.has(f.type))
    add(at('choiceFilter'), `${name}: a choice filter only applies to select and multiselect fields`);
  if (f.calculation && f.default) add(at('default'), `${name}: a calculated field cannot also have a default`);
  if (NO_VALUE.has(f.type)) {
    if (f.required || f.requiredIf) add(at('required'), `${name}: a note shows text and cannot be required`);
    if (f.calculation || f.constraint || f.default)
      add(at('type'), `${name}: a note carries no value (no calculation, constraint or default)`);
  }
  if (f.type === 'range') {
    if (f.min === undefined || f.max === undefined || f.step === undefined)
      add(at('step'), `${name}: a range needs a minimum, a maximum and a step`);
    else if (!(f.step > 0) || f.step > f.max - f.min) add(at('step'), `${name}: the step must be more than 0 and at most max − min`);
    else if ((f.max - f.min) / f.step > 1000) add(at('step'), `${name}: a range may have at most 1000 steps`);
  } else if (f.step !== undefined) add(at('step'), `${name}: a step only applies to range fields`);
  if (f.type === 'geopoint') {
    if (f.min !== undefined) add(at('min'), `${name}: a location has no minimum; max is the worst accuracy accepted, in metres`);
    if (f.max !== undefined && !(f.max > 0)) add(at('max'), `${name}: the accuracy limit (max) must be more than 0 metres`);
  }
  if (f.type === 'barcode' && (f.min !== undefined || f.max !== undefined))
    add(at('min'), `${name}: min and max do not apply to barcode fields`);
  if (f.type === 'integer') {
    for (const attr of ['min', 'max'] as const) {
      const v = f[attr];
      if (v !== undefined && !Number.isInteger(v)) add(at(attr), `${name}: ${attr} of an integer field must be a whole number`);
    }
  }
};
