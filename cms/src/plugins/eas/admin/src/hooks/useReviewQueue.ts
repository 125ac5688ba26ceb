import { useFetchClient } from '@strapi/strapi/admin';
import * as React from 'react';
import type { RecordStatus } from '../../../shared/contracts/record';

/** One row of GET /eas/records (server/src/services/review.ts queue). */
export interface QueueRow {
  documentId: string;
  reference: string;
  status: RecordStatus;
  form: string;
  formName: string;
  formVersion: number | null;
  summary: string | null;
  owner: string | null;
  capturedAt: string;
  submittedAt: string | null;
  photos: { side: string; flags: string[] }[];
}

export interface QueueFilters {
  status: string;
  form: string;
  owner: string;
  from: string;
  to: string;
}

export const DEFAULT_FILTERS: QueueFilters = { status: 'submitted', form: '', owner: '', from: '', to: '' };

/** The filters as the queue's query string (and the page's own URL, so Next and Back keep them). */
export const filterQuery = (f: QueueFilters, extra: Record<string, string> = {}) =>
  new URLSearchParams(Object.entries({ ...f, ...extra }).filter(([, v]) => v !== '')).toString();

export const filtersOf = (search: URLSearchParams): QueueFilters => ({
  status: search.get('status') ?? DEFAULT_FILTERS.status,
  form: search.get('form') ?? '',
  owner: search.get('owner') ?? '',
  from: search.get('from') ?? '',
  to: search.get('to') ?? '',
});

/** The review queue with these filters (submitted records oldest first by default). */
export const useReviewQueue = () => {
  const { get } = useFetchClient();
  return React.useCallback(
    async (filters: QueueFilters, page = 1, pageSize = 25) =>
      (
        await get<{ data: QueueRow[]; meta: { page: number; pageSize: number; total: number } }>(
          `/eas/records?${filterQuery(filters, { page: String(page), pageSize: String(pageSize) })}`
        )
      ).data,
    [get]
  );
};
