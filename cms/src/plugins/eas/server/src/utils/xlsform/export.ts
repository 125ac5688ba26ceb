/**
 * An EAS form version as an XLSForm workbook (survey, choices, settings), the inverse of import.ts: importing the
 * export gives the same form again (a test checks the round trip). Written with exceljs; every cell is text (an
 * answer like "=1+1" in a label stays text, never a formula).
 */
import ExcelJS from 'exceljs';
import type { FieldDefinition, FormDefinition } from '../../../../shared/contracts/form';

const TYPES: Partial<Record<FieldDefinition['type'], string>> = {
  text: 'text',
  textarea: 'text',
  number: 'decimal',
  integer: 'integer',
  decimal: 'decimal',
  range: 'range',
  date: 'date',
  time: 'time',
  datetime: 'dateTime',
  checkbox: 'acknowledge',
  acknowledge: 'acknowledge',
  note: 'note',
  geopoint: 'geopoint',
  barcode: 'barcode',
  email: 'email',
  photo: 'image',
};

export const exportXlsform = async (definition: FormDefinition): Promise<Buffer> => {
  const base = definition.defaultLanguage;
  const others = definition.languages ?? [];
  const col = (family: string, lang?: string) => (lang ? `${family}::${lang}` : base ? `${family}::${base}` : family);
  const families = ['label', 'hint', 'constraint_message'];
  const header = [
    'type',
    'name',
    ...families.flatMap((f) => [col(f), ...others.map((l) => col(f, l))]),
    'required',
    'relevant',
    'constraint',
    'calculation',
    'choice_filter',
    'default',
    'appearance',
    'repeat_count',
    'parameters',
  ];
  const rows: Record<string, string>[] = [];
  const choices: Record<string, string>[] = [];
  const attributeColumns = new Set<string>();
  const closing: { key: string; kind: string }[] = [];
  const close = (until?: string) => {
    while (closing.length && closing[closing.length - 1].key !== until) rows.push({ type: `end_${closing.pop()!.kind}` });
  };

  for (const f of definition.fields) {
    close(f.group);
    const row: Record<string, string> = { name: f.key, [col('label')]: f.label };
    if (f.help) row[col('hint')] = f.help;
    if (f.constraintMessage) row[col('constraint_message')] = f.constraintMessage;
    for (const lang of others) {
      const t = f.translations?.[lang];
      if (t?.label) row[col('label', lang)] = t.label;
      if (t?.help) row[col('hint', lang)] = t.help;
      if (t?.constraintMessage) row[col('constraint_message', lang)] = t.constraintMessage;
    }
    if (f.required) row.required = 'yes';
    else if (f.requiredIf) row.required = f.requiredIf;
    const relevant = f.relevant ?? (f.showIf ? `\${${f.showIf.field}} = '${f.showIf.equals.replace(/'/g, "\\'")}'` : undefined);
    if (relevant) row.relevant = relevant;
    if (f.constraint) row.constraint = f.constraint;
    if (f.calculation) row.calculation = f.calculation;
    if (f.choiceFilter) row.choice_filter = f.choiceFilter;
    if (f.default) row.default = /^'[^']*'$/.test(f.default) ? f.default.slice(1, -1) : f.default;
    if (f.type === 'group' || f.type === 'repeat') {
      row.type = `begin_${f.type}`;
      if (f.type === 'repeat' && f.min !== undefined && f.min === f.max) row.repeat_count = String(f.min);
      closing.push({ key: f.key, kind: f.type });
    } else if (f.type === 'select' || f.type === 'multiselect') {
      const list = f.key;
      row.type = `${f.type === 'select' ? 'select_one' : 'select_multiple'} ${list}`;
      for (const o of f.options ?? []) {
        const choice: Record<string, string> = { list_name: list, name: o.value, [col('label')]: o.label };
        for (const lang of others) {
          const label = f.translations?.[lang]?.options?.[o.value];
          if (label) choice[col('label', lang)] = label;
        }
        for (const [k, v] of Object.entries(o.attributes ?? {})) {
          attributeColumns.add(k);
          choice[k] = v;
        }
        choices.push(choice);
      }
    } else {
      row.type = f.calculation && f.type === 'text' ? 'calculate' : (TYPES[f.type] ?? 'text');
      if (f.type === 'textarea') row.appearance = 'multiline';
      if (f.type === 'range') row.parameters = `start=${f.min ?? 1} end=${f.max ?? 10} step=${f.step ?? 1}`;
    }
    rows.push(row);
  }
  close();
  for (const s of definition.signatures) {
    const row: Record<string, string> = {
      type: 'image',
      name: s.key,
      [col('label')]: s.role,
      [col('hint')]: s.consentText,
      appearance: 'signature',
    };
    if (s.required) row.required = 'yes';
    for (const lang of others) {
      const t = s.translations?.[lang];
      if (t?.role) row[col('label', lang)] = t.role;
      if (t?.consentText) row[col('hint', lang)] = t.consentText;
    }
    rows.push(row);
  }

  const book = new ExcelJS.Workbook();
  const put = (name: string, columns: string[], data: Record<string, string>[]) => {
    const sheet = book.addWorksheet(name);
    sheet.addRow(columns);
    for (const d of data) sheet.addRow(columns.map((c) => d[c] ?? null));
  };
  put('survey', header, rows);
  put('choices', ['list_name', 'name', col('label'), ...others.map((l) => col('label', l)), ...attributeColumns], choices);
  put(
    'settings',
    ['form_title', 'form_id', 'default_language', 'style'],
    [
      {
        form_title: definition.name,
        form_id: definition.slug,
        ...(base ? { default_language: base } : {}),
        ...(definition.pages ? { style: 'pages' } : {}),
      },
    ]
  );
  return Buffer.from(await book.xlsx.writeBuffer());
};
