/**
 * An XLSForm (survey, choices, settings) into an EAS form entry — the data the Content Manager stores for a form,
 * as a draft — or the precise list of what cannot be imported (sheet, row, column, what and why). Never a silent
 * partial import: any problem refuses the whole workbook. See docs/xlsform.md for the mapping.
 */
import type { FieldDefinition } from '../../../../shared/contracts/form';
import { type CompileOptions } from '../../../../shared/expressions/compile';
import { translateExpression } from './expressions';
import { readXlsform, XlsformTooLarge } from './read';

export interface XlsformProblem {
  sheet: 'survey' | 'choices' | 'settings' | 'workbook';
  row?: number;
  column?: string;
  message: string;
}

/** The form entry (Content Manager data of plugin::eas.form) an import creates. */
export interface ImportedForm {
  name: string;
  slug: string;
  description?: string;
  fields: Record<string, unknown>[];
  frontPhoto: { enabled: false };
  backPhoto: { enabled: false };
  signatures: Record<string, unknown>[];
  pages: boolean;
  defaultLanguage?: string;
  languages?: string;
}

export type ImportResult = { ok: true; form: ImportedForm; notes: string[] } | { ok: false; problems: XlsformProblem[] };

const LANGUAGE_NAMES: Record<string, string> = {
  english: 'en',
  french: 'fr',
  français: 'fr',
  francais: 'fr',
  spanish: 'es',
  español: 'es',
  espanol: 'es',
  portuguese: 'pt',
  português: 'pt',
  arabic: 'ar',
  swahili: 'sw',
  kiswahili: 'sw',
  hindi: 'hi',
  bengali: 'bn',
  amharic: 'am',
  hausa: 'ha',
  somali: 'so',
  russian: 'ru',
  chinese: 'zh',
};

/** "English (en)", "english(en)", "en", "EN", "English" → "en". */
export const languageCode = (raw: string): string => {
  const t = raw.trim();
  const paren = /\(\s*([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\s*\)\s*$/.exec(t);
  if (paren) return paren[1].toLowerCase();
  if (/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(t)) return t.toLowerCase();
  return LANGUAGE_NAMES[t.toLowerCase()] ?? t.toLowerCase().replace(/\s+/g, '-');
};

/** The texts of a column family (`label`, `label::fr`, …) of one row: by language ('' = no language given). */
const texts = (cells: Record<string, string>, family: string): Map<string, string> => {
  const out = new Map<string, string>();
  for (const [col, value] of Object.entries(cells)) {
    if (col === family) out.set('', value);
    else if (col.startsWith(`${family}::`)) out.set(languageCode(col.slice(family.length + 2)), value);
  }
  return out;
};

const KEY = /^[a-z][a-z0-9_]*$/;
/** XLSForm names allow capitals, dashes and dots; EAS keys are lower-case snake case. */
const keyOf = (name: string) =>
  name
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');

const TRUE = /^(yes|true|true\(\)|1|y)$/i;
const FALSE = /^(no|false|false\(\)|0|n)$/i;

const SIMPLE_TYPES: Record<string, FieldDefinition['type']> = {
  text: 'text',
  integer: 'integer',
  int: 'integer',
  decimal: 'decimal',
  range: 'range',
  date: 'date',
  time: 'time',
  datetime: 'datetime',
  note: 'note',
  acknowledge: 'acknowledge',
  trigger: 'acknowledge',
  geopoint: 'geopoint',
  barcode: 'barcode',
  email: 'email',
  calculate: 'text',
};

/** ODK metadata EAS records on its own (capture time, device, user): left out with a note. */
const METADATA = new Set([
  'start',
  'end',
  'today',
  'deviceid',
  'imei',
  'username',
  'email-meta',
  'phonenumber',
  'simserial',
  'subscriberid',
  'audit',
  'start-geopoint',
  'background-geopoint',
]);

const UNSUPPORTED_TYPES: Record<string, string> = {
  audio: 'audio recordings are not supported',
  video: 'videos are not supported',
  file: 'file uploads are not supported',
  geotrace: 'lines (geotrace) are not supported; use a geopoint',
  geoshape: 'areas (geoshape) are not supported; use a geopoint',
  rank: 'ranking is not supported',
  hidden: 'hidden fields are not supported; use a calculate',
  'xml-external': 'external data is not supported',
  'csv-external': 'external data is not supported',
  select_one_from_file: 'choices from a file are not supported; put them on the choices sheet',
  select_multiple_from_file: 'choices from a file are not supported; put them on the choices sheet',
  'begin loop': 'loops are not supported; use a repeat',
};

export const importXlsform = async (buffer: Buffer, filename = 'form.xlsx'): Promise<ImportResult> => {
  const problems: XlsformProblem[] = [];
  const notes: string[] = [];
  let sheets;
  try {
    sheets = await readXlsform(buffer);
  } catch (err) {
    if (err instanceof XlsformTooLarge) return { ok: false, problems: [{ sheet: 'workbook', message: err.message }] };
    return {
      ok: false,
      problems: [{ sheet: 'workbook', message: `the file cannot be read as an .xlsx workbook (${(err as Error).message})` }],
    };
  }
  if (!sheets.survey) return { ok: false, problems: [{ sheet: 'workbook', message: 'the workbook has no "survey" sheet' }] };

  // ── settings ─────────────────────────────────────────────────────────────────────────────────────────────
  const settings = sheets.settings?.[0]?.cells ?? {};
  const declared = settings.default_language ? languageCode(settings.default_language) : undefined;
  // The form's own language: the one of the plain `label` column (settings default_language, else "default"), or,
  // when every label column names a language, default_language or the first of them.
  const labelColumns = Object.keys(sheets.headers.survey ?? {}).filter((c) => c === 'label' || c.startsWith('label::'));
  const plain = labelColumns.includes('label');
  const baseLanguage = plain
    ? (declared ?? 'default')
    : (declared ?? (labelColumns[0] ? languageCode(labelColumns[0].slice(7)) : undefined));
  /** A column's language as the form stores it: '' for the plain column and for the form's own language. */
  const own = (lang: string) => lang === '' || lang === baseLanguage;

  // ── choices ──────────────────────────────────────────────────────────────────────────────────────────────
  const lists = new Map<string, { value: string; labels: Map<string, string>; attributes: Record<string, string>; row: number }[]>();
  for (const { row, cells } of sheets.choices ?? []) {
    const list = cells.list_name;
    const value = cells.name ?? cells.value;
    if (!list && !value) continue;
    if (!list) {
      problems.push({ sheet: 'choices', row, column: 'list_name', message: 'a choice without a list name' });
      continue;
    }
    if (value === undefined) {
      problems.push({ sheet: 'choices', row, column: 'name', message: `a choice of the list "${list}" without a name (its value)` });
      continue;
    }
    const labels = texts(cells, 'label');
    const attributes: Record<string, string> = {};
    for (const [col, v] of Object.entries(cells))
      if (
        !['list_name', 'name', 'value'].includes(col) &&
        !col.startsWith('label') &&
        !col.startsWith('media::') &&
        !['image', 'audio', 'video'].includes(col)
      )
        attributes[col] = v;
    for (const text of [value, ...labels.values(), ...Object.values(attributes)])
      if (/[|\n]/.test(text))
        problems.push({ sheet: 'choices', row, message: `"${text}" contains a | or a line break, which EAS option lists cannot hold` });
    for (const [k, v] of Object.entries(attributes))
      if (/[;=]/.test(v) || !KEY.test(k))
        problems.push({
          sheet: 'choices',
          row,
          column: k,
          message: `the column "${k}" (value "${v}") cannot be a choice-filter attribute: names must be a-z, 0-9, _ and values without ; or =`,
        });
    const entries = lists.get(list) ?? lists.set(list, []).get(list)!;
    if (entries.some((e) => e.value === value))
      problems.push({ sheet: 'choices', row, column: 'name', message: `the list "${list}" has the value "${value}" twice` });
    entries.push({ value, labels, attributes, row });
  }

  // ── survey ───────────────────────────────────────────────────────────────────────────────────────────────
  const fields: Record<string, unknown>[] = [];
  const signatures: Record<string, unknown>[] = [];
  const languages = new Set<string>();
  const seen = new Map<string, number>();
  const stack: { key: string; kind: 'group' | 'repeat'; row: number }[] = [];
  const pages = /pages/i.test(settings.style ?? '');

  const pickTexts = (cells: Record<string, string>, family: string) => {
    const all = texts(cells, family);
    let base: string | undefined;
    const others: Record<string, string> = {};
    for (const [lang, value] of all) {
      if (own(lang)) base ??= value;
      else {
        languages.add(lang);
        others[lang] = value;
      }
    }
    return { base, others };
  };

  const expression = (row: number, column: string, source: string | undefined, options: CompileOptions = {}) => {
    if (!source) return undefined;
    // ${Site-Name} names the field by its XLSForm name; EAS knows it by its key (${site_name}).
    const t = translateExpression(
      source.replace(/\$\{([^}]+)\}/g, (_, n: string) => `\${${keyOf(n)}}`),
      options
    );
    if (!t.ok) {
      problems.push({ sheet: 'survey', row, column, message: `"${source}" cannot be used: ${t.reason}` });
      return undefined;
    }
    return t.expression;
  };

  for (const { row, cells } of sheets.survey) {
    const rawType = (cells.type ?? '').replace(/\s+/g, ' ').trim();
    if (!rawType) {
      if (cells.name || cells.label) problems.push({ sheet: 'survey', row, column: 'type', message: 'a question without a type' });
      continue;
    }
    const [typeWord, listName] = rawType.split(' ');
    const type = typeWord.toLowerCase();
    const lower = rawType.toLowerCase();

    if (lower === 'end group' || lower === 'end_group' || lower === 'end repeat' || lower === 'end_repeat') {
      const kind = lower.includes('repeat') ? 'repeat' : 'group';
      const open = stack.pop();
      if (!open) problems.push({ sheet: 'survey', row, column: 'type', message: `"${rawType}" without a matching begin ${kind}` });
      else if (open.kind !== kind)
        problems.push({
          sheet: 'survey',
          row,
          column: 'type',
          message: `"${rawType}" closes the ${open.kind} "${open.key}" begun on row ${open.row}`,
        });
      continue;
    }
    if (METADATA.has(type)) {
      notes.push(`survey row ${row}: "${type}" is left out: EAS records the capture time, the device and who captured on its own`);
      continue;
    }
    const unsupported = UNSUPPORTED_TYPES[lower] ?? UNSUPPORTED_TYPES[type];
    if (unsupported) {
      problems.push({ sheet: 'survey', row, column: 'type', message: `"${rawType}": ${unsupported}` });
      continue;
    }

    const name = cells.name ?? '';
    const key = keyOf(name);
    if (!name) {
      problems.push({ sheet: 'survey', row, column: 'name', message: `a "${rawType}" question without a name` });
      continue;
    }
    if (!KEY.test(key)) {
      problems.push({ sheet: 'survey', row, column: 'name', message: `"${name}" cannot be a field key (it must start with a letter)` });
      continue;
    }
    if (key !== name) notes.push(`survey row ${row}: "${name}" is the field key "${key}" in EAS`);
    if (seen.has(key)) {
      problems.push({ sheet: 'survey', row, column: 'name', message: `the name "${name}" is already used on row ${seen.get(key)}` });
      continue;
    }
    seen.set(key, row);

    const label = pickTexts(cells, 'label');
    const hint = pickTexts(cells, 'hint');
    const cmsg = pickTexts(cells, 'constraint_message');
    const appearance = (cells.appearance ?? '').toLowerCase();
    const parent = stack.length ? stack[stack.length - 1].key : undefined;
    const inRepeat = stack.some((s) => s.kind === 'repeat');

    if (type === 'image' && /signature|draw/.test(appearance)) {
      if (inRepeat) problems.push({ sheet: 'survey', row, column: 'type', message: 'a signature inside a repeat is not supported' });
      signatures.push({
        key,
        role: label.base ?? name,
        consentText: hint.base ?? label.base ?? name,
        required: TRUE.test(cells.required ?? ''),
        ...(Object.keys(label.others).length || Object.keys(hint.others).length
          ? {
              translations: Object.fromEntries(
                [...new Set([...Object.keys(label.others), ...Object.keys(hint.others)])].map((lang) => [
                  lang,
                  {
                    ...(label.others[lang] ? { role: label.others[lang] } : {}),
                    ...(hint.others[lang] ? { consentText: hint.others[lang] } : {}),
                  },
                ])
              ),
            }
          : {}),
      });
      continue;
    }

    const field: Record<string, unknown> = { key, label: label.base ?? name, required: false };
    if (parent) field.group = parent;
    if (hint.base) field.help = hint.base;

    if (type === 'begin' || type === 'begin_group' || type === 'begin_repeat') {
      const kind: 'group' | 'repeat' = lower.includes('repeat') ? 'repeat' : 'group';
      if (kind === 'repeat' && inRepeat)
        problems.push({ sheet: 'survey', row, column: 'type', message: 'a repeat inside a repeat is not supported' });
      field.type = kind;
      if (kind === 'repeat' && cells.repeat_count) {
        if (/^\d+$/.test(cells.repeat_count)) field.min = field.max = Number(cells.repeat_count);
        else
          problems.push({
            sheet: 'survey',
            row,
            column: 'repeat_count',
            message: `"${cells.repeat_count}": a repeat count from an expression is not supported; give a number`,
          });
      }
      stack.push({ key, kind, row });
    } else if (type === 'image') {
      if (inRepeat) problems.push({ sheet: 'survey', row, column: 'type', message: 'a photo inside a repeat is not supported (yet)' });
      field.type = 'photo';
    } else if (type === 'select_one' || type === 'select_multiple') {
      field.type = type === 'select_one' ? 'select' : 'multiselect';
      const list = listName ? lists.get(listName) : undefined;
      if (!listName) problems.push({ sheet: 'survey', row, column: 'type', message: `"${rawType}" names no choice list` });
      else if (!list)
        problems.push({ sheet: 'survey', row, column: 'type', message: `the choice list "${listName}" is not on the choices sheet` });
      else {
        const base = (e: (typeof list)[number]) => [...e.labels].find(([lang]) => own(lang))?.[1] ?? e.value;
        field.options = list
          .map((e) => {
            const attrs = Object.entries(e.attributes)
              .map(([k, v]) => `${k}=${v}`)
              .join('; ');
            return `${e.value}|${base(e)}${attrs ? `|${attrs}` : ''}`;
          })
          .join('\n');
        const optionTexts: Record<string, Record<string, string>> = {};
        for (const e of list)
          for (const [lang, text] of e.labels)
            if (!own(lang)) {
              languages.add(lang);
              (optionTexts[lang] ??= {})[e.value] = text;
            }
        if (Object.keys(optionTexts).length) field.optionTranslations = optionTexts;
        const attributes = new Set(['value', ...list.flatMap((e) => Object.keys(e.attributes))]);
        field.choiceFilter = expression(row, 'choice_filter', cells.choice_filter, { attributes });
      }
    } else if (SIMPLE_TYPES[type]) {
      field.type = type === 'text' && /multiline/.test(appearance) ? 'textarea' : SIMPLE_TYPES[type];
      if (type === 'range') {
        const params = Object.fromEntries(
          (cells.parameters ?? '')
            .split(/[\s,;]+/)
            .filter(Boolean)
            .map((p) => p.split('='))
        );
        field.min = Number(params.start ?? 1);
        field.max = Number(params.end ?? 10);
        field.step = Number(params.step ?? 1);
      }
      if (type === 'calculate') {
        if (!cells.calculation)
          problems.push({ sheet: 'survey', row, column: 'calculation', message: 'a calculate without a calculation' });
        notes.push(`survey row ${row}: the calculate "${name}" is a read-only field in EAS (shown, stored)`);
      }
    } else {
      problems.push({ sheet: 'survey', row, column: 'type', message: `"${rawType}" is not a question type EAS knows` });
      continue;
    }

    // Required: yes/no as written in real forms, or an expression (EAS: required-if).
    const required = cells.required;
    if (required) {
      if (TRUE.test(required)) field.required = true;
      else if (!FALSE.test(required)) field.requiredIf = expression(row, 'required', required);
    }
    if (cells.required_message) notes.push(`survey row ${row}: the required message is EAS's own ("… is required"), in each language`);
    field.relevant = expression(row, 'relevant', cells.relevant);
    field.constraint = expression(row, 'constraint', cells.constraint, { allowCurrent: true });
    if (cmsg.base) field.constraintMessage = cmsg.base;
    field.calculation = expression(row, 'calculation', cells.calculation);
    if (cells.default) {
      const d = cells.default;
      field.default = /\(/.test(d)
        ? expression(row, 'default', d)
        : /^-?\d+(\.\d+)?$/.test(d)
          ? d
          : `'${d.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
    }

    const translations: Record<string, Record<string, unknown>> = {};
    for (const [lang, v] of Object.entries(label.others)) (translations[lang] ??= {}).label = v;
    for (const [lang, v] of Object.entries(hint.others)) (translations[lang] ??= {}).help = v;
    for (const [lang, v] of Object.entries(cmsg.others)) (translations[lang] ??= {}).constraintMessage = v;
    for (const [lang, v] of Object.entries((field.optionTranslations as Record<string, Record<string, string>>) ?? {}))
      (translations[lang] ??= {}).options = v;
    delete field.optionTranslations;
    if (Object.keys(translations).length) field.translations = translations;
    for (const k of Object.keys(field)) if (field[k] === undefined) delete field[k];
    fields.push(field);
  }
  for (const open of stack)
    problems.push({
      sheet: 'survey',
      row: open.row,
      column: 'type',
      message: `the ${open.kind} "${open.key}" is never closed (end ${open.kind} missing)`,
    });

  const formId = settings.form_id ? keyOf(settings.form_id).replace(/_/g, '-') : keyOf(filename.replace(/\.xlsx$/i, '')).replace(/_/g, '-');
  if (!formId) problems.push({ sheet: 'settings', column: 'form_id', message: 'the form needs an id (settings form_id)' });
  if (!fields.length && !signatures.length) problems.push({ sheet: 'survey', message: 'the survey has no questions' });
  if (problems.length) return { ok: false, problems };

  const others = [...languages].filter((l) => l !== baseLanguage);
  return {
    ok: true,
    notes,
    form: {
      name: settings.form_title || formId,
      slug: formId,
      fields,
      frontPhoto: { enabled: false },
      backPhoto: { enabled: false },
      signatures,
      pages,
      ...(baseLanguage && (others.length || declared) ? { defaultLanguage: baseLanguage } : {}),
      ...(others.length ? { languages: others.join(', ') } : {}),
    },
  };
};

/** Why a file cannot be an .xlsx workbook (null when it looks like one: a ZIP). Old .xls and CSV get advice. */
export const xlsformFileProblem = (bytes: Buffer): string | null => {
  if (bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return null;
  if (bytes.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])))
    return 'the file is an Excel 97–2003 workbook (.xls); save it as .xlsx and upload that';
  return 'the file is not an .xlsx workbook (CSV or text?); save it as .xlsx and upload that';
};
