import * as React from 'react';
import { useFetchClient } from '@strapi/strapi/admin';
import type { RedactRecord, ReviewRecord } from '../../../shared/contracts/record';

/** The editor's and administrator's writes on one record: the review decision and an audited redaction. */
export const useRecordActions = (documentId: string) => {
  const { post } = useFetchClient();
  return React.useMemo(
    () => ({
      review: (body: ReviewRecord.Request) => post(`/eas/records/${documentId}/review`, body),
      redact: (body: RedactRecord.Request) => post(`/eas/records/${documentId}/redact`, body),
    }),
    [post, documentId]
  );
};
