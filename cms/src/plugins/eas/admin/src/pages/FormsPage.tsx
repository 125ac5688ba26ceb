import { Badge, Box, Button, EmptyStateLayout, Flex, LinkButton, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { Plus, Upload } from '@strapi/icons';
import { Layouts, Page, useNotification } from '@strapi/strapi/admin';
import * as React from 'react';
import { useIntl } from 'react-intl';
import { Link, useNavigate } from 'react-router-dom';
import { useFormsApi, type FormListItem } from '../hooks/useForms';
import { useT, type Translate } from '../hooks/useT';
import { apiError } from '../utils/api-error';

export const statusBadge = (status: FormListItem['status'], archived: boolean, t: Translate) =>
  archived ? (
    <Badge>{t('forms.archived', 'Archived')}</Badge>
  ) : status === 'published' ? (
    <Badge variant="success">{t('forms.published', 'Published')}</Badge>
  ) : status === 'modified' ? (
    <Badge variant="warning">{t('forms.modified', 'Changes not published')}</Badge>
  ) : (
    <Badge variant="secondary">{t('forms.draft', 'Draft — not published')}</Badge>
  );

/** EAS → Forms: every form with its status, version and records; create one or import an XLSForm. */
export const FormsPage = () => {
  const t = useT();
  const { formatDate } = useIntl();
  const api = useFormsApi();
  const navigate = useNavigate();
  const { toggleNotification } = useNotification();
  const [forms, setForms] = React.useState<FormListItem[] | null>(null);
  const [failed, setFailed] = React.useState(false);
  const fileInput = React.useRef<HTMLInputElement>(null);

  React.useEffect(() => {
    api.list().then(setForms, () => setFailed(true));
  }, [api]);

  const importFile = async (file: File | undefined) => {
    if (!file) return;
    try {
      const created = await api.importXlsform(file);
      navigate(created.documentId);
    } catch (err) {
      const problems = (
        err as { response?: { data?: { error?: { details?: { problems?: { message: string; row?: number; sheet: string }[] } } } } }
      ).response?.data?.error?.details?.problems;
      toggleNotification({
        type: 'danger',
        title: t('forms.import-failed', 'The XLSForm could not be imported'),
        message: problems?.length
          ? problems.map((p) => `${p.sheet}${p.row ? ` ${p.row}` : ''}: ${p.message}`).join('; ')
          : (apiError(err).message ?? ''),
      });
    }
  };

  if (failed) return <Page.Error />;
  if (!forms) return <Page.Loading />;
  return (
    <Page.Main>
      <Page.Title>{t('forms.title', 'Forms')}</Page.Title>
      <Layouts.Header
        title={t('forms.title', 'Forms')}
        subtitle={t('forms.subtitle', 'What field staff fill in. Publishing a form gives field staff its new version.')}
        primaryAction={
          <Flex gap={2}>
            <input
              ref={fileInput}
              type="file"
              accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              hidden
              data-testid="eas-xlsform-file"
              onChange={(e) => void importFile(e.target.files?.[0])}
            />
            <Button variant="secondary" startIcon={<Upload />} onClick={() => fileInput.current?.click()}>
              {t('forms.import', 'Import XLSForm')}
            </Button>
            <LinkButton tag={Link} to="new" startIcon={<Plus />}>
              {t('forms.create', 'Create a form')}
            </LinkButton>
          </Flex>
        }
      />
      <Layouts.Content>
        {forms.length === 0 ? (
          <EmptyStateLayout
            content={t('forms.empty', 'No form yet. Create one here, or import an XLSForm from ODK, KoboToolbox or Survey123.')}
            action={
              <LinkButton tag={Link} to="new" variant="secondary" startIcon={<Plus />}>
                {t('forms.create', 'Create a form')}
              </LinkButton>
            }
          />
        ) : (
          <Box background="neutral0" hasRadius shadow="tableShadow">
            <Table colCount={5} rowCount={forms.length + 1}>
              <Thead>
                <Tr>
                  <Th>
                    <Typography variant="sigma">{t('forms.name', 'Form')}</Typography>
                  </Th>
                  <Th>
                    <Typography variant="sigma">{t('forms.status', 'Status')}</Typography>
                  </Th>
                  <Th>
                    <Typography variant="sigma">{t('forms.version', 'Version')}</Typography>
                  </Th>
                  <Th>
                    <Typography variant="sigma">{t('forms.records', 'Records (waiting for review)')}</Typography>
                  </Th>
                  <Th>
                    <Typography variant="sigma">{t('forms.updated', 'Last changed')}</Typography>
                  </Th>
                </Tr>
              </Thead>
              <Tbody>
                {forms.map((f) => (
                  <Tr key={f.documentId}>
                    <Td>
                      <Link to={f.documentId}>{f.name}</Link>
                    </Td>
                    <Td>{statusBadge(f.status, f.archived, t)}</Td>
                    <Td>
                      <Typography>{f.version ? `v${f.version}` : '—'}</Typography>
                    </Td>
                    <Td>
                      <Typography>
                        {f.records} ({f.waiting})
                      </Typography>
                    </Td>
                    <Td>
                      <Typography>{formatDate(f.updatedAt, { dateStyle: 'medium', timeStyle: 'short' })}</Typography>
                    </Td>
                  </Tr>
                ))}
              </Tbody>
            </Table>
          </Box>
        )}
      </Layouts.Content>
    </Page.Main>
  );
};
