/**
 * An XLSForm workbook (.xlsx) as plain rows: the survey, choices and settings sheets, each row a map of normalised
 * column names to trimmed text, with its spreadsheet row number for messages. Read with exceljs (never SheetJS's
 * `xlsx` from the npm registry, whose release there has known vulnerabilities on untrusted files). Copes with what
 * real XLSForms do: headers in any case with stray spaces ("LABEL :: English (en) "), formula cells (their cached
 * result), rich text, dates, sheets that declare a million rows, extra help sheets.
 */
import ExcelJS from 'exceljs';

export interface SheetRow {
  /** The row's number in the spreadsheet (1 is the header). */
  row: number;
  cells: Record<string, string>;
}

export interface XlsformSheets {
  survey: SheetRow[] | null;
  choices: SheetRow[] | null;
  settings: SheetRow[] | null;
  /** Header names as written, by normalised name, per sheet (for messages). */
  headers: Record<string, Record<string, string>>;
}

/** Rows past this in a sheet are refused (a survey is a few hundred rows; choice lists a few thousand). */
export const MAX_ROWS = 100_000;

/** "LABEL :: English (en) " → "label::english (en)"; "list name" → "list_name". */
export const normaliseHeader = (raw: string) =>
  raw
    .replace(/\s*::\s*/g, '::')
    .trim()
    .toLowerCase()
    .replace(/^list name$/, 'list_name');

const text = (value: ExcelJS.CellValue): string => {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('result' in value) return text((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue); // a formula: its cached value
    if ('richText' in value)
      return (value as ExcelJS.CellRichTextValue).richText
        .map((r) => r.text)
        .join('')
        .trim();
    if ('text' in value) return String((value as ExcelJS.CellHyperlinkValue).text).trim();
    if ('error' in value) return '';
  }
  return String(value).trim();
};

const readSheet = (sheet: ExcelJS.Worksheet, headers: Record<string, string>): SheetRow[] => {
  const rows: SheetRow[] = [];
  const names: string[] = [];
  sheet.getRow(1).eachCell({ includeEmpty: false }, (cell, col) => {
    const raw = text(cell.value);
    if (!raw) return;
    names[col] = normaliseHeader(raw);
    headers[names[col]] = raw;
  });
  // eachRow visits rows that hold something, whatever dimension the sheet declares.
  sheet.eachRow({ includeEmpty: false }, (row, number) => {
    if (number === 1) return;
    if (rows.length >= MAX_ROWS) throw new XlsformTooLarge(sheet.name);
    const cells: Record<string, string> = {};
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      const name = names[col];
      const value = text(cell.value);
      if (name && value) cells[name] = value;
    });
    if (Object.keys(cells).length) rows.push({ row: number, cells });
  });
  return rows;
};

export class XlsformTooLarge extends Error {
  constructor(readonly sheet: string) {
    super(`the "${sheet}" sheet has more than ${MAX_ROWS} rows`);
  }
}

export const readXlsform = async (buffer: Buffer): Promise<XlsformSheets> => {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(buffer as unknown as ArrayBuffer);
  const byName = (name: string) => book.worksheets.find((w) => w.name.trim().toLowerCase() === name);
  const headers: Record<string, Record<string, string>> = {};
  const sheet = (name: string) => {
    const found = byName(name);
    if (!found) return null;
    headers[name] = {};
    return readSheet(found, headers[name]);
  };
  return { survey: sheet('survey'), choices: sheet('choices'), settings: sheet('settings'), headers };
};
