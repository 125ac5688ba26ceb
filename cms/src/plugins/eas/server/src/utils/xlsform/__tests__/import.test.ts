import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { validateFormDefinition } from '../../../../../shared/validation/form-definition';
import { toFormDefinition, type FormEntry } from '../../form-definition';
import { importXlsform, xlsformFileProblem } from '../import';

type Cell = string | number | ExcelJS.CellValue;
/** An .xlsx workbook from sheets of rows (first row: the header), as a spreadsheet program would save it. */
const workbook = async (sheets: Record<string, Cell[][]>, edit?: (book: ExcelJS.Workbook) => void) => {
  const book = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) book.addWorksheet(name).addRows(rows);
  edit?.(book);
  return Buffer.from(await book.xlsx.writeBuffer());
};

/** A site survey as real XLSForms are written: two languages, messy headers, pages, a repeat, cascading choices. */
const survey: Cell[][] = [
  [
    'type',
    'name',
    'label::English (en)',
    'LABEL :: french(fr) ',
    'hint::English (en)',
    'required',
    'relevant',
    'constraint',
    'constraint_message::English (en)',
    'calculation',
    'choice_filter',
    'default',
    'appearance',
    'repeat_count',
  ],
  ['start', 'start'],
  ['begin_group', 'visit', 'The visit', 'La visite', '', '', '', '', '', '', '', '', 'field-list'],
  ['text', 'Site-Name ', 'Site name', 'Nom du site', 'As on the gate', 'yes'],
  ['select_one region', 'region', 'Region', 'Région', '', 'TRUE'],
  ['select_one district', 'district', 'District', 'District', '', 1, '', '', '', '', 'region=${region}'],
  ['end_group'],
  ['integer', 'meters', 'How many meters?', 'Combien de compteurs ?', '', 'yes', '', '. > 0 and . < 50', 'Between 1 and 49'],
  ['begin_repeat', 'meter', 'Meter', 'Compteur', '', '', '', '', '', '', '', '', '', 3],
  ['barcode', 'serial', 'Serial', 'Numéro', '', 'true()'],
  ['decimal', 'reading', 'Reading', 'Relevé', '', 'yes', '', '. >= 0'],
  ['select_multiple faults', 'faults', 'Faults', 'Défauts'],
  ['text', 'fault_note', 'Describe the fault', 'Décrivez', '', '', 'count-selected(${faults}) > 0'],
  ['end_repeat'],
  ['calculate', 'total', 'Total', 'Total', '', '', '', '', '', 'sum(${reading})'],
  ['geopoint', 'where', 'Location', 'Position'],
  ['note', 'thanks', 'Thank you', 'Merci', '', '', '${meters} > 0 and ${Site-Name} != \u201cTest\u201d'],
  ['image', 'room', 'Meter room', 'Local'],
  ['image', 'sign', 'Client', 'Client', 'I confirm the readings.', 'yes', '', '', '', '', '', '', 'signature'],
  ['date', 'visited', 'Visit date', 'Date', '', '', '', '', '', '', '', 'today()'],
  ['text', 'status', 'Status', 'Statut', '', '', '', '', '', '', '', 'open'],
];
const choices: Cell[][] = [
  ['list_name', 'name', 'label::English (en)', 'label::french(fr)', 'region'],
  ['region', 'north', 'North', 'Nord'],
  ['region', 'south', 'South', 'Sud'],
  ['district', 'n1', 'North 1', 'Nord 1', 'north'],
  ['district', 's1', 'South 1', 'Sud 1', 'south'],
  ['faults', 'seal', 'Broken seal', 'Scellé cassé'],
  ['faults', 'glass', 'Cracked glass', 'Vitre fêlée'],
];

describe('importing an XLSForm', () => {
  it('turns a two-language survey with pages, a repeat and cascading choices into an EAS form that passes its own rules', async () => {
    const file = await workbook(
      {
        survey,
        choices,
        settings: [
          ['form_title', 'form_id', 'version', 'default_language', 'style'],
          ['Meter round', 'meter_round', '', 'English (en)', 'pages'],
        ],
        'help (read me)': [['This sheet explains the form']],
      },
      (book) => {
        // version as a formula with its cached value, as Excel saves it
        book.getWorksheet('settings')!.getCell('C2').value = { formula: 'TEXT(TODAY(),"yyyymmdd")', result: '20261202' };
      }
    );
    const result = await importXlsform(file);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const { form, notes } = result;
    expect(form).toMatchObject({ name: 'Meter round', slug: 'meter-round', pages: true, defaultLanguage: 'en', languages: 'fr' });
    expect(form.fields.map((f) => [f.key, f.type, f.group ?? null])).toEqual([
      ['visit', 'group', null],
      ['site_name', 'text', 'visit'],
      ['region', 'select', 'visit'],
      ['district', 'select', 'visit'],
      ['meters', 'integer', null],
      ['meter', 'repeat', null],
      ['serial', 'barcode', 'meter'],
      ['reading', 'decimal', 'meter'],
      ['faults', 'multiselect', 'meter'],
      ['fault_note', 'text', 'meter'],
      ['total', 'text', null],
      ['where', 'geopoint', null],
      ['thanks', 'note', null],
      ['room', 'photo', null],
      ['visited', 'date', null],
      ['status', 'text', null],
    ]);
    const byKey = Object.fromEntries(form.fields.map((f) => [f.key, f]));
    expect(byKey.site_name).toMatchObject({
      label: 'Site name',
      help: 'As on the gate',
      required: true,
      translations: { fr: { label: 'Nom du site' } },
    });
    expect(byKey.district).toMatchObject({
      options: 'n1|North 1|region=north\ns1|South 1|region=south',
      choiceFilter: 'region=${region}',
      required: true,
    });
    expect(byKey.region.translations).toEqual({ fr: { label: 'Région', options: { north: 'Nord', south: 'Sud' } } });
    expect(byKey.meters).toMatchObject({ constraint: '. > 0 and . < 50', constraintMessage: 'Between 1 and 49' });
    expect(byKey.meter).toMatchObject({ min: 3, max: 3 });
    expect(byKey.serial.required).toBe(true);
    expect(byKey.fault_note.relevant).toBe('count-selected(${faults}) > 0');
    expect(byKey.total.calculation).toBe('sum(${reading})');
    expect(byKey.thanks.relevant).toBe('${meters} > 0 and ${site_name} != "Test"');
    expect([byKey.visited.default, byKey.status.default]).toEqual(['today()', "'open'"]);
    expect(form.signatures).toEqual([
      { key: 'sign', role: 'Client', consentText: 'I confirm the readings.', required: true, translations: { fr: { role: 'Client' } } },
    ]);
    expect(notes).toContain('survey row 2: "start" is left out: EAS records the capture time, the device and who captured on its own');
    expect(notes).toContain('survey row 4: "Site-Name" is the field key "site_name" in EAS');

    // What EAS makes of the entry is a valid form definition (the rules a save would apply).
    const definition = toFormDefinition(form as unknown as FormEntry);
    expect(validateFormDefinition(definition)).toEqual([]);
    expect(definition.fields.find((f) => f.key === 'district')!.options![0]).toEqual({
      value: 'n1',
      label: 'North 1',
      attributes: { region: 'north' },
    });
  });

  it('refuses the whole workbook with each problem’s sheet, row and column, and says why', async () => {
    const file = await workbook({
      survey: [
        ['type', 'name', 'label', 'calculation', 'relevant'],
        ['audio', 'voice', 'Say it'],
        ['select_one_from_file sites.csv', 'site', 'Site'],
        ['select_one colours', 'colour', 'Colour'],
        ['calculate', 'price', 'Price', "pulldata('prices', 'price', 'id', ${colour})"],
        ['text', 'colour', 'Again'],
        ['text', 'path', 'Path', '', '/data/colour = 1'],
        ['begin_repeat', 'outer', 'Outer'],
        ['begin_repeat', 'inner', 'Inner'],
        ['text', 'deep', 'Deep'],
        ['end_repeat'],
        ['begin_group', 'open', 'Never closed'],
        ['text', 'x', 'X'],
      ],
    });
    const result = await importXlsform(file);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => `${p.sheet} ${p.row ?? ''} ${p.column ?? ''}: ${p.message}`)).toEqual([
      'survey 2 type: "audio": audio recordings are not supported',
      'survey 3 type: "select_one_from_file sites.csv": choices from a file are not supported; put them on the choices sheet',
      'survey 4 type: the choice list "colours" is not on the choices sheet',
      `survey 5 calculation: "pulldata('prices', 'price', 'id', \${colour})" cannot be used: pulldata() is not supported by EAS`,
      'survey 6 name: the name "colour" is already used on row 4',
      'survey 7 relevant: "/data/colour = 1" cannot be used: XPath paths (/data/…, ../) are not supported; name fields as ${name}',
      'survey 9 type: a repeat inside a repeat is not supported',
      'survey 8 type: the repeat "outer" is never closed (end repeat missing)',
      'survey 12 type: the group "open" is never closed (end group missing)',
    ]);
  });

  it('copes with a sheet declaring a million rows, yes/TRUE/1 as required, and thousands of choices', async () => {
    const many = Array.from({ length: 5000 }, (_, i) => ['village', `v${i}`, `Village ${i}`]);
    const file = await workbook(
      {
        survey: [
          ['type', 'name', 'label', 'required'],
          ['select_one village', 'village', 'Village', 'Yes'],
          ['text', 'a', 'A', '1'],
          ['text', 'b', 'B', 'no'],
          ['text', 'c', 'C', '${b} != \u2018\u2019'],
        ],
        choices: [['list name', 'name', 'label'], ...many],
      },
      (book) => {
        book.getWorksheet('survey')!.getCell('Z1000000').value = ' ';
      }
    );
    const result = await importXlsform(file);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.form.fields.map((f) => [f.key, f.required, f.requiredIf ?? null])).toEqual([
      ['village', true, null],
      ['a', true, null],
      ['b', false, null],
      ['c', false, "${b} != ''"],
    ]);
    expect(String(result.form.fields[0].options).split('\n')).toHaveLength(5000);
    expect(result.form.defaultLanguage).toBeUndefined();
  });

  it('says to save as .xlsx for an old .xls or a CSV, and names a file that is not a workbook', async () => {
    expect(xlsformFileProblem(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))).toBe(
      'the file is an Excel 97–2003 workbook (.xls); save it as .xlsx and upload that'
    );
    expect(xlsformFileProblem(Buffer.from('type,name,label\ntext,a,A\n'))).toBe(
      'the file is not an .xlsx workbook (CSV or text?); save it as .xlsx and upload that'
    );
    expect(xlsformFileProblem(await workbook({ survey: [['type']] }))).toBeNull();
    const broken = await importXlsform(Buffer.from('PK\u0003\u0004 not really a zip'));
    expect(broken.ok ? [] : broken.problems.map((p) => p.sheet)).toEqual(['workbook']);
  });
});

describe('exporting a form as an XLSForm', () => {
  it('round-trips: import → export → import gives the same form', async () => {
    const { exportXlsform } = await import('../export');
    const file = await workbook({
      survey,
      choices,
      settings: [
        ['form_title', 'form_id', 'default_language', 'style'],
        ['Meter round', 'meter_round', 'English (en)', 'pages'],
      ],
    });
    const first = await importXlsform(file);
    if (!first.ok) throw new Error(JSON.stringify(first.problems));
    const definition = toFormDefinition(first.form as unknown as FormEntry);
    const again = await importXlsform(await exportXlsform(definition));
    if (!again.ok) throw new Error(JSON.stringify(again.problems));
    expect(toFormDefinition(again.form as unknown as FormEntry)).toEqual(definition);
  });
});

describe('XLSForm details', () => {
  it('reads label::en and label::english(en) alike, range parameters, acknowledge, and refuses instance()', async () => {
    const file = await workbook({
      survey: [
        ['type', 'name', 'label::en', 'label::swahili(sw)', 'parameters', 'relevant'],
        ['range', 'score', 'Score', 'Alama', 'start=0 end=10 step=2'],
        ['acknowledge', 'ok', 'I agree', 'Nakubali'],
        ['text', 'x', 'X', 'X', '', "instance('regions')/root/item = 1"],
      ],
    });
    const result = await importXlsform(file);
    expect(result.ok ? [] : result.problems.map((p) => `${p.row} ${p.column}: ${p.message}`)).toEqual([
      `4 relevant: "instance('regions')/root/item = 1" cannot be used: instance() is not supported by EAS`,
    ]);
    const ok = await importXlsform(
      await workbook({
        survey: [
          ['type', 'name', 'label::en', 'label::swahili(sw)', 'parameters'],
          ['range', 'score', 'Score', 'Alama', 'start=0 end=10 step=2'],
          ['acknowledge', 'ok', 'I agree', 'Nakubali'],
        ],
      })
    );
    if (!ok.ok) throw new Error(JSON.stringify(ok.problems));
    expect(ok.form).toMatchObject({ defaultLanguage: 'en', languages: 'sw' });
    expect(ok.form.fields).toEqual([
      { key: 'score', label: 'Score', type: 'range', min: 0, max: 10, step: 2, required: false, translations: { sw: { label: 'Alama' } } },
      { key: 'ok', label: 'I agree', type: 'acknowledge', required: false, translations: { sw: { label: 'Nakubali' } } },
    ]);
  });
});
