import type { RecordStatus } from '../../../shared/contracts/record';
import type { DataExportRequest, ExportFormat, ExportProfile } from '../hooks/useDataExports';

/** What the Exports page's form holds; '' is "not chosen" (every version, status, field staff; no date). */
export interface ExportChoices {
  form: string;
  format: ExportFormat;
  version: string;
  status: RecordStatus | '';
  from: string;
  to: string;
  owner: string;
  header: 'key' | 'label';
  language: string;
  bom: boolean;
  profile: ExportProfile;
}

export const DEFAULT_CHOICES: ExportChoices = {
  form: '',
  format: 'csv',
  version: '',
  status: '',
  from: '',
  to: '',
  owner: '',
  header: 'key',
  language: '',
  bom: false,
  profile: 'all',
};

/** Whether the export's tables are CSV files (a CSV, or the records.csv and repeat tables of a ZIP). */
export const hasCsv = (format: ExportFormat) => format === 'csv' || format === 'zip';

/**
 * The body of POST /eas/data-exports for these choices: what is not chosen is left out; the byte order mark only
 * where there are CSV files (a CSV, and the tables in a ZIP); the language only for labels of a form in several
 * languages (`languages`, its default first).
 */
export const exportRequest = (c: ExportChoices, languages: readonly string[] = []): DataExportRequest => {
  const body: DataExportRequest = { form: c.form, format: c.format, header: c.header, profile: c.profile };
  if (c.version) body.version = Number(c.version);
  if (c.status) body.status = c.status;
  if (c.from) body.from = c.from;
  if (c.to) body.to = c.to;
  if (c.owner) body.owner = Number(c.owner);
  if (c.header === 'label' && languages.length > 1 && c.language && languages.includes(c.language)) body.language = c.language;
  if (hasCsv(c.format) && c.bom) body.bom = true;
  return body;
};
