import { useFetchClient } from '@strapi/strapi/admin';
import * as React from 'react';
import type { FormDefinition } from '../../../shared/contracts/form';

/** What GET /eas/forms lists (server/src/services/form-builder.ts). */
export interface FormListItem {
  documentId: string;
  name: string;
  slug: string;
  status: 'draft' | 'published' | 'modified';
  version: number;
  archived: boolean;
  records: number;
  waiting: number;
  updatedAt: string;
}

/** A form as the builder edits it (GET/PUT /eas/forms/:documentId). */
export interface BuilderForm {
  documentId: string;
  status: FormListItem['status'];
  version: number;
  archived: boolean;
  definition: FormDefinition;
  published: FormDefinition | null;
  newVersion?: boolean;
}

/** The form builder's calls to the admin API. */
export const useFormsApi = () => {
  const { get, post, put } = useFetchClient();
  return React.useMemo(
    () => ({
      list: async () => (await get<{ data: FormListItem[] }>('/eas/forms')).data.data,
      read: async (documentId: string) => (await get<{ data: BuilderForm }>(`/eas/forms/${documentId}`)).data.data,
      create: async (definition: FormDefinition) => (await post<{ data: BuilderForm }>('/eas/forms', { definition })).data.data,
      save: async (documentId: string, definition: FormDefinition) =>
        (await put<{ data: BuilderForm }>(`/eas/forms/${documentId}`, { definition })).data.data,
      publish: async (documentId: string) => (await post<{ data: BuilderForm }>(`/eas/forms/${documentId}/publish`)).data.data,
      importXlsform: async (file: File) => {
        const body = new FormData();
        body.append('file', file);
        return (await post<{ data: { documentId: string; notes: string[] } }>('/eas/forms/import', body)).data.data;
      },
    }),
    [get, post, put]
  );
};
