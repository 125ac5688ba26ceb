/**
 * Rules for a form definition as an administrator edits it: refused on save with a message naming the field.
 * Pure; used by the server's form guard (and usable by an admin preview).
 */
import type { FieldDefinition, FormDefinition } from '../contracts/form';
import { summaryFieldProblem } from '../display';
import { checkFieldExpressions } from './definition-expressions';
import { checkStructure } from './form-structure';
import { checkTranslations } from '../i18n/form-language';

export interface DefinitionIssue {
  /** Where the problem is, e.g. ["fields", 2, "max"]. */
  path: (string | number)[];
  message: string;
}

const KEY = /^[a-z][a-z0-9_]*$/;
const SELECTS = new Set(['select', 'multiselect']);
const LENGTHS = new Set(['text', 'textarea', 'multiselect']);

const name = (f: FieldDefinition, i: number) => `Field ${i + 1}${f.key ? ` ("${f.key}")` : ''}`;

export const validateFormDefinition = (
  def: Pick<FormDefinition, 'fields' | 'signatures' | 'summaryField'> &
    Partial<Pick<FormDefinition, 'photos' | 'defaultLanguage' | 'languages'>>
): DefinitionIssue[] => {
  const issues: DefinitionIssue[] = [];
  const add = (path: (string | number)[], message: string) => issues.push({ path, message });
  const seen = new Map<string, number>();

  def.fields.forEach((f, i) => {
    const at = (attr: string) => ['fields', i, attr];
    if (!KEY.test(f.key)) {
      add(at('key'), `${name(f, i)}: the key must start with a lowercase letter and use only a-z, 0-9 and _`);
    } else if (seen.has(f.key)) {
      add(at('key'), `${name(f, i)}: the key is already used by field ${seen.get(f.key)! + 1}; keys must be unique`);
    } else {
      seen.set(f.key, i);
    }
    if (!f.label.trim()) add(at('label'), `${name(f, i)}: a label is required`);

    if (SELECTS.has(f.type)) {
      const values = (f.options ?? []).map((o) => o.value);
      if (values.length === 0) add(at('options'), `${name(f, i)}: a ${f.type} field needs options, one per line (value|Label)`);
      const dup = values.find((v, j) => values.indexOf(v) !== j);
      if (dup !== undefined) add(at('options'), `${name(f, i)}: the option "${dup}" is listed twice`);
    } else if (f.options?.length) {
      add(at('options'), `${name(f, i)}: options only apply to select and multiselect fields`);
    }

    if (f.type !== 'repeat' && f.type !== 'geopoint' && f.min !== undefined && f.max !== undefined && f.min > f.max) {
      add(at('max'), `${name(f, i)}: the minimum (${f.min}) is greater than the maximum (${f.max})`);
    }
    if (LENGTHS.has(f.type)) {
      for (const attr of ['min', 'max'] as const) {
        const v = f[attr];
        if (v !== undefined && (v < 0 || !Number.isInteger(v))) add(at(attr), `${name(f, i)}: ${attr} must be a whole number ≥ 0`);
      }
    }
    checkFieldExpressions(def.fields, f, i, name(f, i), add);
    if (
      ['checkbox', 'acknowledge', 'select', 'email', 'phone', 'time', 'datetime', 'note'].includes(f.type) &&
      (f.min !== undefined || f.max !== undefined)
    ) {
      add(at('min'), `${name(f, i)}: min and max do not apply to ${f.type} fields`);
    }

    if (f.pattern) {
      if (!['text', 'textarea'].includes(f.type)) add(at('pattern'), `${name(f, i)}: a pattern only applies to text fields`);
      try {
        new RegExp(f.pattern, 'u');
      } catch {
        add(at('pattern'), `${name(f, i)}: the pattern is not a valid regular expression`);
      }
    }

    if (f.showIf) {
      const target = def.fields.findIndex((g) => g.key === f.showIf!.field);
      if (target === -1) {
        add(at('showIfField'), `${name(f, i)}: show-if refers to "${f.showIf.field}", which is not a field of this form`);
      } else if (target >= i) {
        add(at('showIfField'), `${name(f, i)}: show-if may only depend on a field above it`);
      } else {
        const controller = def.fields[target];
        const options = (controller.options ?? []).map((o) => o.value);
        if (SELECTS.has(controller.type) && !options.includes(f.showIf.equals)) {
          add(at('showIfEquals'), `${name(f, i)}: show-if value "${f.showIf.equals}" is not an option of "${controller.key}"`);
        }
        if (controller.type === 'checkbox' && !['true', 'false'].includes(f.showIf.equals)) {
          add(at('showIfEquals'), `${name(f, i)}: show-if on a checkbox must be "true" or "false"`);
        }
      }
    }
  });

  checkStructure(def.fields, name, add);
  checkTranslations({ photos: [], ...def }, add);

  const slots = new Map<string, number>();
  def.signatures.forEach((s, i) => {
    const label = `Signature ${i + 1}${s.key ? ` ("${s.key}")` : ''}`;
    if (!KEY.test(s.key)) add(['signatures', i, 'key'], `${label}: the key must start with a lowercase letter and use only a-z, 0-9 and _`);
    else if (slots.has(s.key)) add(['signatures', i, 'key'], `${label}: the key is already used by signature ${slots.get(s.key)! + 1}`);
    else slots.set(s.key, i);
    if (!s.role.trim()) add(['signatures', i, 'role'], `${label}: a role is required (e.g. "Site manager")`);
    if (!s.consentText.trim()) add(['signatures', i, 'consentText'], `${label}: the consent text shown to the signer is required`);
  });

  if (def.summaryField) {
    const problem = summaryFieldProblem(def, def.summaryField);
    if (problem) add(['listField'], problem);
  }

  return issues;
};
