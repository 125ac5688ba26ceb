import * as React from 'react';
import { useFetchClient } from '@strapi/strapi/admin';
import type { RecordDetails } from '../../../shared/contracts/record';
import { apiError, type ApiError } from '../utils/api-error';

/**
 * GET /eas/records/:documentId: the record as editors read it, with the integrity check the server ran for this
 * view. `reload` fetches it again (after a decision or a redaction); an older answer never replaces a newer one.
 */
export const useRecordDetails = (documentId: string) => {
  const { get } = useFetchClient();
  const [details, setDetails] = React.useState<RecordDetails>();
  const [failure, setFailure] = React.useState<ApiError | null>(null);
  const latest = React.useRef(0);

  const reload = React.useCallback(() => {
    const request = ++latest.current;
    get<{ data: RecordDetails }>(`/eas/records/${documentId}`)
      .then(({ data }) => {
        if (request !== latest.current) return;
        setDetails(data.data);
        setFailure(null);
      })
      .catch((err: unknown) => request === latest.current && setFailure(apiError(err)));
  }, [get, documentId]);

  React.useEffect(reload, [reload]);
  return { details, failure, reload };
};
