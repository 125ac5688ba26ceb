import { Box, Button, Flex, Table, Tbody, Td, Th, Thead, Tr, Typography, VisuallyHidden } from '@strapi/design-system';
import { Download } from '@strapi/icons';
import { Layouts, Page, useNotification } from '@strapi/strapi/admin';
import * as React from 'react';
import { useIntl } from 'react-intl';
import { ExportForm, FORMAT_WORDS, PROFILE_WORDS } from '../components/exports/ExportForm';
import { ExportProgress } from '../components/exports/ExportProgress';
import { StatusBadge } from '../components/StatusBadge';
import {
  useDataExportsApi,
  type DataExportRequest,
  type DataExportRow,
  type ExportFormat,
  type ExportOwner,
} from '../hooks/useDataExports';
import { useFormsApi, type FormListItem } from '../hooks/useForms';
import { useT, type Translate } from '../hooks/useT';
import { PERMISSIONS } from '../pluginId';
import { apiError, fieldErrors, type FieldErrors } from '../utils/api-error';
import { saveFile } from '../utils/save-file';

const statusBadge = (row: DataExportRow, t: Translate) =>
  row.status === 'done' ? (
    <StatusBadge tone="success">{t('exports.status.done', 'Done')}</StatusBadge>
  ) : row.status === 'failed' ? (
    <StatusBadge tone="danger">{t('exports.status.failed', 'Failed')}</StatusBadge>
  ) : (
    <StatusBadge tone="neutral">{t('exports.status.running', 'Running')}</StatusBadge>
  );

/** The admin's recent exports, newest first, with Download for the finished ones. */
const RecentExports = ({
  rows,
  forms,
  onDownload,
}: {
  rows: DataExportRow[];
  forms: FormListItem[];
  onDownload: (id: string, format: ExportFormat) => Promise<void>;
}) => {
  const t = useT();
  const { formatDate } = useIntl();
  const formName = (slug: string) => forms.find((f) => f.slug === slug)?.name ?? slug;
  return (
    <Box background="neutral0" hasRadius shadow="tableShadow" tag="section" aria-label={t('exports.recent', 'Your recent exports')}>
      <Box padding={5} paddingBottom={3}>
        <Typography variant="delta" tag="h2">
          {t('exports.recent', 'Your recent exports')}
        </Typography>
      </Box>
      {rows.length === 0 ? (
        <Box paddingLeft={5} paddingRight={5} paddingBottom={5}>
          <Typography textColor="neutral600">
            {t('exports.recent.empty', 'None yet. Finished files are kept for a day by default.')}
          </Typography>
        </Box>
      ) : (
        <Table colCount={6} rowCount={rows.length + 1} data-testid="eas-data-exports">
          <VisuallyHidden tag="caption">{t('exports.recent', 'Your recent exports')}</VisuallyHidden>
          <Thead>
            <Tr>
              <Th>
                <Typography variant="sigma">{t('exports.started', 'Started')}</Typography>
              </Th>
              <Th>
                <Typography variant="sigma">{t('exports.form', 'Form')}</Typography>
              </Th>
              <Th>
                <Typography variant="sigma">{t('exports.format', 'Format')}</Typography>
              </Th>
              <Th>
                <Typography variant="sigma">{t('exports.profile', 'Data to include')}</Typography>
              </Th>
              <Th>
                <Typography variant="sigma">{t('exports.state', 'State')}</Typography>
              </Th>
              <Th>
                <Typography variant="sigma">{t('exports.file', 'File')}</Typography>
              </Th>
            </Tr>
          </Thead>
          <Tbody>
            {rows.map((r) => (
              <Tr key={r.id}>
                <Td>
                  <Typography>{formatDate(r.createdAt, { dateStyle: 'medium', timeStyle: 'short' })}</Typography>
                </Td>
                <Td>
                  <Typography>{formName(r.form)}</Typography>
                </Td>
                <Td>
                  <Typography>{t(...FORMAT_WORDS[r.format])}</Typography>
                </Td>
                <Td>
                  <Typography>{t(...PROFILE_WORDS[r.profile ?? 'all'])}</Typography>
                </Td>
                <Td>
                  <Flex direction="column" alignItems="flex-start" gap={1}>
                    <Flex gap={2}>
                      {statusBadge(r, t)}
                      <Typography variant="pi">
                        {t('export.progress', '{done} of {total} records', { done: r.done, total: r.total })}
                      </Typography>
                    </Flex>
                    {r.status === 'failed' && r.error ? (
                      <Typography variant="pi" textColor="danger600">
                        {r.error}
                      </Typography>
                    ) : null}
                  </Flex>
                </Td>
                <Td>
                  {r.status === 'done' ? (
                    <Button size="S" variant="secondary" startIcon={<Download />} onClick={() => void onDownload(r.id, r.format)}>
                      {t('exports.download', 'Download')}
                    </Button>
                  ) : (
                    <Typography textColor="neutral600">—</Typography>
                  )}
                </Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
      )}
    </Box>
  );
};

/** EAS → Exports: a form's records as CSV, Excel or a ZIP with the photos and signatures, and the admin's recent exports. */
const Exports = () => {
  const t = useT();
  const api = useDataExportsApi();
  const formsApi = useFormsApi();
  const { toggleNotification } = useNotification();
  const [forms, setForms] = React.useState<FormListItem[] | null>(null);
  const [staff, setStaff] = React.useState<ExportOwner[] | null>(null);
  const [recent, setRecent] = React.useState<DataExportRow[] | null>(null);
  const [job, setJob] = React.useState<{ id: string; total: number; format: ExportFormat } | null>(null);
  const [errors, setErrors] = React.useState<FieldErrors>({});
  const [busy, setBusy] = React.useState(false);

  const loadRecent = React.useCallback(() => api.list().then(setRecent, () => setRecent(null)), [api]);
  React.useEffect(() => {
    formsApi.list().then(setForms, () => setForms([]));
    api.fieldStaff().then(setStaff, () => setStaff(null));
    void loadRecent();
  }, [api, formsApi, loadRecent]);

  const start = async (body: DataExportRequest) => {
    setBusy(true);
    setErrors({});
    setJob(null);
    try {
      setJob(await api.start(body));
      void loadRecent();
    } catch (err) {
      setErrors(fieldErrors(err, t('exports.start-failed', 'The export could not be started.'), { top: true }));
    } finally {
      setBusy(false);
    }
  };
  const download = async (id: string, format: ExportFormat) => {
    try {
      const file = await api.file(id, format);
      saveFile(file.blob, file.name);
    } catch (err) {
      toggleNotification({
        type: 'danger',
        message: apiError(err).message ?? t('exports.download-failed', 'The file could not be downloaded.'),
      });
    }
  };

  if (!forms) return <Page.Loading />;
  return (
    <Page.Main>
      <Page.Title>{t('exports.title', 'Exports')}</Page.Title>
      <Layouts.Header
        title={t('exports.title', 'Exports')}
        subtitle={t('exports.subtitle', 'A form’s records as one table for a spreadsheet or another system; PDFs are on each record.')}
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          <ExportForm forms={forms} staff={staff} errors={errors} busy={busy} onStart={(body) => void start(body)} />
          {job ? <ExportProgress key={job.id} job={job} onFinished={() => void loadRecent()} onDownload={download} /> : null}
          {recent ? <RecentExports rows={recent} forms={forms} onDownload={download} /> : null}
        </Flex>
      </Layouts.Content>
    </Page.Main>
  );
};

export const ExportsPage = () => (
  <Page.Protect permissions={PERMISSIONS.export}>
    <Exports />
  </Page.Protect>
);
