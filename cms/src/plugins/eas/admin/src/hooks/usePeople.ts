import { useFetchClient } from '@strapi/strapi/admin';
import * as React from 'react';

export interface FieldStaffRow {
  id: number;
  username: string;
  email: string;
  blocked: boolean;
  createdAt: string;
  lastSync: string | null;
  records: number;
  waiting: number;
}

/** EAS → People's calls (server/src/controllers/people.ts). */
export const usePeopleApi = () => {
  const { get, post, put } = useFetchClient();
  return React.useMemo(
    () => ({
      fieldStaff: async () => (await get<{ data: FieldStaffRow[] }>('/eas/people/field-staff')).data.data,
      addFieldStaff: async (body: { username: string; email: string; password?: string }) =>
        (await post<{ data: { id: number; username: string; password?: string } }>('/eas/people/field-staff', body)).data.data,
      setBlocked: async (id: number, blocked: boolean) => (await put(`/eas/people/field-staff/${id}/blocked`, { blocked })).data,
      inviteEditor: async (body: { firstname: string; lastname?: string; email: string }) =>
        (await post<{ data: { email: string; registrationToken: string } }>('/eas/people/editors', body)).data.data,
    }),
    [get, post, put]
  );
};
