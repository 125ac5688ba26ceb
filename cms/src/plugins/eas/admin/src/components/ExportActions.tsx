import * as React from 'react';
import { Button, Flex, ProgressBar, Typography } from '@strapi/design-system';
import { Download } from '@strapi/icons';
import { useFetchClient, useNotification, useRBAC } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { PERMISSIONS, getTranslation } from '../pluginId';
import { apiError } from '../utils/api-error';
import { saveFile as save } from '../utils/save-file';
import { RECORD_UID } from './RecordPanel';

const errorMessage = (err: unknown, fallback: string) => apiError(err).message ?? fallback;

interface DocumentActionProps {
  model: string;
  documentId?: string;
  document?: { reference?: string };
}

/** "Export PDF" as a button (the record's review page); nothing without the export permission. */
export const ExportPdfButton = ({ documentId, reference }: { documentId: string; reference: string }) => {
  const { formatMessage } = useIntl();
  const { get } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { allowedActions } = useRBAC(PERMISSIONS.export);
  const [busy, setBusy] = React.useState(false);
  if (!allowedActions.canExport) return null;
  return (
    <Button
      variant="secondary"
      startIcon={<Download />}
      loading={busy}
      onClick={async () => {
        setBusy(true);
        try {
          const { data } = await get<Blob>(`/eas/records/${documentId}/pdf`, { responseType: 'blob' });
          save(data, `${reference}.pdf`);
        } catch (err) {
          toggleNotification({ type: 'danger', message: errorMessage(err, 'The PDF could not be created.') });
        } finally {
          setBusy(false);
        }
      }}
    >
      {formatMessage({ id: getTranslation('export.pdf'), defaultMessage: 'Export PDF' })}
    </Button>
  );
};

/** "Export PDF" on a record's edit view; hidden without the export permission. */
export const ExportPdfAction = ({ model, documentId, document }: DocumentActionProps) => {
  const { formatMessage } = useIntl();
  const { get } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { allowedActions } = useRBAC(PERMISSIONS.export);
  if (model !== RECORD_UID || !documentId || documentId === 'create' || !allowedActions.canExport) return null;
  return {
    label: formatMessage({ id: getTranslation('export.pdf'), defaultMessage: 'Export PDF' }),
    icon: <Download />,
    position: ['panel', 'table-row'],
    onClick: async () => {
      try {
        const { data } = await get<Blob>(`/eas/records/${documentId}/pdf`, { responseType: 'blob' });
        save(data, `${document?.reference ?? documentId}.pdf`);
      } catch (err) {
        toggleNotification({ type: 'danger', message: errorMessage(err, 'The PDF could not be created.') });
      }
    },
  };
};
ExportPdfAction.type = 'eas-export-pdf';

interface Progress {
  status: 'running' | 'done' | 'failed';
  total: number;
  done: number;
  failed: { reference: string; error: string }[];
  error: string | null;
}

/** Starts a bulk export, shows its progress, and offers the ZIP when it is ready. */
const BulkExport = ({ documentIds }: { documentIds: string[] }) => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string, values?: Record<string, React.ReactNode>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values) as string;
  const { get, post } = useFetchClient();
  const [job, setJob] = React.useState<{ id: string } | null>(null);
  const [progress, setProgress] = React.useState<Progress | null>(null);
  const [error, setError] = React.useState<string | null>(null);

  React.useEffect(() => {
    post<{ data: { id: string; total: number } }>('/eas/exports', { documentIds })
      .then(({ data }) => setJob({ id: data.data.id }))
      .catch((err) => setError(errorMessage(err, t('export.failed', 'The export could not be started.'))));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  React.useEffect(() => {
    if (!job || progress?.status === 'done' || progress?.status === 'failed') return undefined;
    const timer = setTimeout(() => {
      get<{ data: Progress }>(`/eas/exports/${job.id}`)
        .then(({ data }) => setProgress(data.data))
        .catch((err) => setError(errorMessage(err, t('export.failed', 'The export failed.'))));
    }, 400);
    return () => clearTimeout(timer);
    // `t` is a new function each render but always says the same; only a new job or progress restarts the poll.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [job, progress, get]);

  const download = async () => {
    if (!job) return;
    const { data } = await get<Blob>(`/eas/exports/${job.id}/file`, { responseType: 'blob' });
    save(data, `eas-export-${new Date().toISOString().slice(0, 10)}.zip`);
  };

  if (error) return <Typography textColor="danger600">{error}</Typography>;
  const done = progress?.done ?? 0;
  const total = progress?.total ?? documentIds.length;
  return (
    <Flex direction="column" alignItems="stretch" gap={3}>
      <Typography>{t('export.progress', '{done} of {total} records', { done, total })}</Typography>
      <ProgressBar value={Math.round((done / Math.max(total, 1)) * 100)} size="M" data-testid="eas-export-progress" />
      {progress?.failed?.length ? (
        <Typography textColor="danger600">
          {t('export.some-failed', '{count} could not be exported (see errors.txt in the ZIP)', { count: progress.failed.length })}
        </Typography>
      ) : null}
      {progress?.status === 'done' && (
        <Button startIcon={<Download />} onClick={download}>
          {t('export.download', 'Download ZIP')}
        </Button>
      )}
      {progress?.status === 'failed' && <Typography textColor="danger600">{progress.error}</Typography>}
    </Flex>
  );
};

interface BulkActionProps {
  model: string;
  documents: { documentId: string }[];
}

/** "Export PDFs" for the records selected in the list view. */
export const ExportPdfsBulkAction = ({ model, documents }: BulkActionProps) => {
  const { formatMessage } = useIntl();
  const { allowedActions } = useRBAC(PERMISSIONS.export);
  if (model !== RECORD_UID || !allowedActions.canExport) return null;
  const title = formatMessage({ id: getTranslation('export.pdfs'), defaultMessage: 'Export PDFs' });
  return {
    label: title,
    icon: <Download />,
    dialog: {
      type: 'modal',
      title,
      content: <BulkExport documentIds={documents.map((d) => d.documentId)} />,
    },
  };
};
ExportPdfsBulkAction.type = 'eas-export-pdfs';
