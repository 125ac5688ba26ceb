import { Box, Button, Flex, Typography } from '@strapi/design-system';
import { Download } from '@strapi/icons';
import * as React from 'react';
import { useT } from '../../hooks/useT';
import { useDataExportsApi, type DataExportProgress, type ExportFormat } from '../../hooks/useDataExports';
import { apiError } from '../../utils/api-error';
import { Notice } from '../Notice';

/** How often a running export is asked for its progress. */
const POLL_MS = 1000;

interface Props {
  job: { id: string; total: number; format: ExportFormat };
  onFinished: () => void;
  onDownload: (id: string, format: ExportFormat) => Promise<void>;
}

/**
 * A progress bar for a white card (the Design System's ProgressBar is white on grey, made for dark backgrounds).
 */
const Bar = ({ percent, label }: { percent: number; label: string }) => (
  <Box
    role="progressbar"
    aria-label={label}
    aria-valuemin={0}
    aria-valuemax={100}
    aria-valuenow={percent}
    background="neutral150"
    hasRadius
    style={{ height: '0.8rem', overflow: 'hidden' }}
  >
    <Box background="primary600" hasRadius style={{ height: '100%', width: `${percent}%`, transition: 'width 0.3s' }} />
  </Box>
);

/** The export just started: its progress (polled), then Download, or what went wrong. */
export const ExportProgress = ({ job, onFinished, onDownload }: Props) => {
  const t = useT();
  const api = useDataExportsApi();
  const [progress, setProgress] = React.useState<DataExportProgress | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const [busy, setBusy] = React.useState(false);
  const finished = progress?.status === 'done' || progress?.status === 'failed';

  React.useEffect(() => {
    if (finished || error) return undefined;
    const timer = setTimeout(
      () =>
        api
          .progress(job.id)
          .then(setProgress, (err) => setError(apiError(err).message ?? t('exports.progress-failed', 'The progress could not be read.'))),
      progress ? POLL_MS : 0
    );
    return () => clearTimeout(timer);
  }, [api, job.id, progress, finished, error, t]);
  React.useEffect(() => {
    if (finished) onFinished();
    // Reported once, when it finishes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [finished]);

  const done = progress?.done ?? 0;
  const total = progress?.total ?? job.total;
  return (
    <Box
      background="neutral0"
      hasRadius
      shadow="tableShadow"
      padding={5}
      tag="section"
      aria-label={t('exports.current', 'This export')}
      data-testid="eas-data-export"
      data-export-id={job.id}
      data-status={progress?.status ?? 'running'}
    >
      <Flex direction="column" alignItems="stretch" gap={3}>
        <Typography variant="delta" tag="h2">
          {t('exports.current', 'This export')}
        </Typography>
        <Typography aria-live="polite">
          {progress?.status === 'done'
            ? t('exports.ready', 'Ready: {total} records', { total })
            : t('export.progress', '{done} of {total} records', { done, total })}
        </Typography>
        <Bar percent={Math.round((done / Math.max(total, 1)) * 100)} label={t('exports.progress', 'Export progress')} />
        {progress?.status === 'done' ? (
          <Box>
            <Button
              startIcon={<Download />}
              loading={busy}
              onClick={async () => {
                setBusy(true);
                await onDownload(job.id, progress.format ?? job.format).finally(() => setBusy(false));
              }}
            >
              {t('exports.download', 'Download')}
            </Button>
          </Box>
        ) : null}
        {progress?.status === 'failed' || error ? (
          <Notice variant="danger" title={t('exports.failed', 'The export failed')}>
            <Typography>{progress?.error ?? error}</Typography>
          </Notice>
        ) : null}
      </Flex>
    </Box>
  );
};
