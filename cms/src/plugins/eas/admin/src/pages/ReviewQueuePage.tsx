import {
  Badge,
  Box,
  Button,
  Field,
  Flex,
  Grid,
  SingleSelect,
  SingleSelectOption,
  Table,
  Tbody,
  Td,
  TextInput,
  Th,
  Thead,
  Tr,
  Typography,
} from '@strapi/design-system';
import { Layouts, Page } from '@strapi/strapi/admin';
import * as React from 'react';
import { useIntl } from 'react-intl';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { RECORD_STATES } from '../../../shared/contracts/record';
import { useFormsApi, type FormListItem } from '../hooks/useForms';
import { DEFAULT_FILTERS, filterQuery, filtersOf, useReviewQueue, type QueueFilters, type QueueRow } from '../hooks/useReviewQueue';
import { useT } from '../hooks/useT';
import { PERMISSIONS } from '../pluginId';

const PAGE_SIZE = 25;

/** EAS → Records: what waits for review, oldest first, with filters; a row opens the record's review page. */
const Queue = () => {
  const t = useT();
  const { formatDate } = useIntl();
  const [search, setSearch] = useSearchParams();
  const navigate = useNavigate();
  const filters = filtersOf(search);
  const page = Number(search.get('page') ?? '1') || 1;
  const load = useReviewQueue();
  const forms = useFormsApi();
  const [rows, setRows] = React.useState<{ data: QueueRow[]; total: number } | null>(null);
  const [failed, setFailed] = React.useState(false);
  const [formList, setFormList] = React.useState<FormListItem[]>([]);
  const [owner, setOwner] = React.useState(filters.owner);
  const query = filterQuery(filters, page > 1 ? { page: String(page) } : {});

  React.useEffect(() => {
    forms.list().then(setFormList, () => setFormList([]));
  }, [forms]);
  React.useEffect(() => {
    load(filters, page, PAGE_SIZE).then(
      (res) => setRows({ data: res.data, total: res.meta.total }),
      () => setFailed(true)
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the query string names every input
  }, [load, query]);

  const set = (patch: Partial<QueueFilters>) => setSearch(filterQuery({ ...filters, ...patch }));

  if (failed) return <Page.Error />;
  return (
    <Page.Main>
      <Page.Title>{t('queue.title', 'Records')}</Page.Title>
      <Layouts.Header
        title={t('queue.title', 'Records')}
        subtitle={
          filters.status === 'submitted'
            ? t('queue.subtitle', 'Waiting for review, the longest waiting first. Open one to approve or reject it.')
            : t('queue.subtitle.other', 'Records by capture time.')
        }
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={4}>
          <Box background="neutral0" hasRadius shadow="tableShadow" padding={4}>
            <Grid.Root gap={4}>
              <Grid.Item col={2} s={6} direction="column" alignItems="stretch">
                <Field.Root name="queue-status">
                  <Field.Label>{t('queue.status', 'Status')}</Field.Label>
                  <SingleSelect value={filters.status} onChange={(v: string | number) => set({ status: String(v) })}>
                    {RECORD_STATES.map((s) => (
                      <SingleSelectOption key={s} value={s}>
                        {t(`overview.state.${s}`, s)}
                      </SingleSelectOption>
                    ))}
                    <SingleSelectOption value="all">{t('queue.all', 'All')}</SingleSelectOption>
                  </SingleSelect>
                </Field.Root>
              </Grid.Item>
              <Grid.Item col={3} s={6} direction="column" alignItems="stretch">
                <Field.Root name="queue-form">
                  <Field.Label>{t('queue.form', 'Form')}</Field.Label>
                  <SingleSelect
                    value={filters.form || '__all'}
                    onChange={(v: string | number) => set({ form: v === '__all' ? '' : String(v) })}
                  >
                    <SingleSelectOption value="__all">{t('queue.all-forms', 'All forms')}</SingleSelectOption>
                    {formList.map((f) => (
                      <SingleSelectOption key={f.slug} value={f.slug}>
                        {f.name}
                      </SingleSelectOption>
                    ))}
                  </SingleSelect>
                </Field.Root>
              </Grid.Item>
              <Grid.Item col={3} s={6} direction="column" alignItems="stretch">
                <Field.Root name="queue-owner">
                  <Field.Label>{t('queue.owner', 'Field staff (username)')}</Field.Label>
                  <TextInput
                    value={owner}
                    onChange={(e: React.ChangeEvent<HTMLInputElement>) => setOwner(e.target.value)}
                    onBlur={() => owner !== filters.owner && set({ owner: owner.trim() })}
                    onKeyDown={(e: React.KeyboardEvent) => e.key === 'Enter' && set({ owner: owner.trim() })}
                  />
                </Field.Root>
              </Grid.Item>
              <Grid.Item col={2} s={6} direction="column" alignItems="stretch">
                <Field.Root name="queue-from">
                  <Field.Label>{t('queue.from', 'Captured from')}</Field.Label>
                  <TextInput
                    type="date"
                    value={filters.from}
                    onChange={(e: React.ChangeEvent<HTMLInputElement>) => set({ from: e.target.value })}
                  />
                </Field.Root>
              </Grid.Item>
              <Grid.Item col={2} s={6} direction="column" alignItems="stretch">
                <Field.Root name="queue-to">
                  <Field.Label>{t('queue.to', 'Captured until')}</Field.Label>
                  <TextInput
                    type="date"
                    value={filters.to}
                    onChange={(e: React.ChangeEvent<HTMLInputElement>) => set({ to: e.target.value })}
                  />
                </Field.Root>
              </Grid.Item>
            </Grid.Root>
          </Box>
          {!rows ? (
            <Page.Loading />
          ) : rows.data.length === 0 ? (
            <Box background="neutral0" hasRadius shadow="tableShadow" padding={6} data-testid="eas-queue-empty">
              <Typography>
                {filters.status === 'submitted'
                  ? t('queue.empty', 'Nothing waits for review. New submissions appear here and on the dashboard.')
                  : t('queue.empty.other', 'No record matches these filters.')}
              </Typography>
              {filterQuery(filters) !== filterQuery(DEFAULT_FILTERS) ? (
                <Box marginTop={3}>
                  <Button variant="secondary" onClick={() => setSearch('')}>
                    {t('queue.clear', 'Clear the filters')}
                  </Button>
                </Box>
              ) : null}
            </Box>
          ) : (
            <Box background="neutral0" hasRadius shadow="tableShadow">
              <Table colCount={6} rowCount={rows.data.length + 1} data-testid="eas-queue">
                <Thead>
                  <Tr>
                    <Th>
                      <Typography variant="sigma">{t('dashboard.reference', 'Reference')}</Typography>
                    </Th>
                    <Th>
                      <Typography variant="sigma">{t('dashboard.summary', 'Key answer')}</Typography>
                    </Th>
                    <Th>
                      <Typography variant="sigma">{t('dashboard.form', 'Form')}</Typography>
                    </Th>
                    <Th>
                      <Typography variant="sigma">{t('dashboard.by', 'Captured by')}</Typography>
                    </Th>
                    <Th>
                      <Typography variant="sigma">{t('dashboard.time', 'Sent')}</Typography>
                    </Th>
                    <Th>
                      <Typography variant="sigma">{t('dashboard.status', 'Status')}</Typography>
                    </Th>
                  </Tr>
                </Thead>
                <Tbody>
                  {rows.data.map((r) => (
                    <Tr
                      key={r.documentId}
                      onClick={() => navigate(`${r.documentId}?${filterQuery(filters)}`)}
                      style={{ cursor: 'pointer' }}
                    >
                      <Td>
                        <Link to={`${r.documentId}?${filterQuery(filters)}`} onClick={(e) => e.stopPropagation()}>
                          {r.reference}
                        </Link>
                      </Td>
                      <Td>
                        <Typography>{r.summary ?? '—'}</Typography>
                      </Td>
                      <Td>
                        <Typography>
                          {r.formName}
                          {r.formVersion ? ` v${r.formVersion}` : ''}
                        </Typography>
                      </Td>
                      <Td>
                        <Typography>{r.owner ?? '—'}</Typography>
                      </Td>
                      <Td>
                        <Typography>{formatDate(r.submittedAt ?? r.capturedAt, { dateStyle: 'medium', timeStyle: 'short' })}</Typography>
                      </Td>
                      <Td>
                        <Flex gap={1}>
                          <Typography>{t(`overview.state.${r.status}`, r.status)}</Typography>
                          {r.photos.some((p) => p.flags.length) ? (
                            <Badge variant="warning">{t('queue.flagged', 'Photo flagged')}</Badge>
                          ) : null}
                        </Flex>
                      </Td>
                    </Tr>
                  ))}
                </Tbody>
              </Table>
              <Flex justifyContent="space-between" padding={4}>
                <Typography variant="pi" textColor="neutral600">
                  {t('queue.count', '{total} records', { total: rows.total })}
                </Typography>
                <Flex gap={2}>
                  <Button
                    variant="tertiary"
                    disabled={page <= 1}
                    onClick={() => setSearch(filterQuery(filters, { page: String(page - 1) }))}
                  >
                    {t('queue.previous', 'Previous')}
                  </Button>
                  <Button
                    variant="tertiary"
                    disabled={page * PAGE_SIZE >= rows.total}
                    onClick={() => setSearch(filterQuery(filters, { page: String(page + 1) }))}
                  >
                    {t('queue.next', 'Next')}
                  </Button>
                </Flex>
              </Flex>
            </Box>
          )}
        </Flex>
      </Layouts.Content>
    </Page.Main>
  );
};

export const ReviewQueuePage = () => (
  <Page.Protect permissions={PERMISSIONS.read}>
    <Queue />
  </Page.Protect>
);
