import { useFetchClient } from '@strapi/strapi/admin';
import * as React from 'react';
import type { RecordStatus } from '../../../shared/contracts/record';
import { dispositionName } from '../utils/save-file';

export const EXPORT_FORMATS = ['csv', 'xlsx', 'zip'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const EXPORT_PROFILES = ['all', 'no-personal'] as const;
export type ExportProfile = (typeof EXPORT_PROFILES)[number];

/** POST /eas/data-exports (docs/exports.md): a form's records as one table, or a ZIP with its photos and signatures. */
export interface DataExportRequest {
  form: string;
  format: ExportFormat;
  version?: number;
  status?: RecordStatus;
  /** Created from / until (YYYY-MM-DD, inclusive). */
  from?: string;
  to?: string;
  /** Field staff (users-permissions user id). */
  owner?: number;
  header?: 'key' | 'label';
  /** The language of the labels when header is 'label' and the form has several. */
  language?: string;
  bom?: boolean;
  profile?: ExportProfile;
}

export interface DataExportProgress {
  id: string;
  status: 'running' | 'done' | 'failed';
  total: number;
  done: number;
  error: string | null;
  format: ExportFormat;
}

/** A field-staff account an export can be limited to. */
export interface ExportOwner {
  id: number;
  username: string;
}

/** One of the admin's recent exports (GET /eas/data-exports, newest first). */
export interface DataExportRow extends DataExportProgress {
  form: string;
  profile: ExportProfile;
  createdAt: string;
}

/** EAS → Exports' calls (server/src/controllers/data-export.ts; all need plugin::eas.export). */
export const useDataExportsApi = () => {
  const { get, post } = useFetchClient();
  return React.useMemo(
    () => ({
      start: async (body: DataExportRequest) =>
        (await post<{ data: { id: string; total: number; format: ExportFormat } }>('/eas/data-exports', body)).data.data,
      progress: async (id: string) => (await get<{ data: DataExportProgress }>(`/eas/data-exports/${id}`)).data.data,
      list: async () => (await get<{ data: DataExportRow[] }>('/eas/data-exports')).data.data,
      /** Whom an export can be limited to (every exporter may list them, unlike EAS → People). */
      fieldStaff: async () => (await get<{ data: ExportOwner[] }>('/eas/data-exports/field-staff')).data.data,
      /** The finished file with the admin's session, and the name the server gives it. */
      file: async (id: string, format: ExportFormat) => {
        const res = await get<Blob>(`/eas/data-exports/${id}/file`, { responseType: 'blob' });
        const name = dispositionName(res.headers?.get('content-disposition')) ?? `eas-records.${format}`;
        return { blob: res.data, name };
      },
    }),
    [get, post]
  );
};
