import * as React from 'react';
import {
  Badge,
  Box,
  Flex,
  Grid,
  LinkButton,
  SingleSelect,
  SingleSelectOption,
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  Tr,
  Typography,
} from '@strapi/design-system';
import { Layouts, Page } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { Link } from 'react-router-dom';
import { IntegrityBanner } from '../components/IntegrityBanner';
import { SubmissionsChart } from '../components/SubmissionsChart';
import { useDashboard, type Connection } from '../hooks/useDashboard';
import { PERMISSIONS, getTranslation } from '../pluginId';
import { RECORD_STATES } from '../../../shared/contracts/record';

const RECORD_URL = (documentId: string) => `records/${documentId}`;

const Counter = ({ label, value, testId }: { label: string; value: React.ReactNode; testId: string }) => (
  <Box background="neutral0" hasRadius shadow="tableShadow" padding={5} data-testid={testId} width="100%">
    <Flex direction="column" alignItems="flex-start" gap={1}>
      <Typography variant="sigma" textColor="neutral600">
        {label}
      </Typography>
      <Typography variant="alpha" tag="p">
        {value}
      </Typography>
    </Flex>
  </Box>
);

const ConnectionBadge = ({ connection, t }: { connection: Connection; t: (id: string, d: string) => string }) => (
  <Badge
    variant={connection === 'live' ? 'success' : connection === 'revoked' ? 'danger' : 'warning'}
    data-testid="eas-connection"
    aria-live="polite"
  >
    {connection === 'live'
      ? t('dashboard.live', 'Live')
      : connection === 'revoked'
        ? t('dashboard.revoked', 'Live updates stopped: your access changed. Reload the page.')
        : t('dashboard.reconnecting', 'Reconnecting…')}
  </Badge>
);

const DashboardContent = () => {
  const { formatMessage, formatDate, formatTime } = useIntl();
  /** "3 min ago" for today, else the date and time. */
  const formatRelativeTime = (iso: string) =>
    new Date(iso).toDateString() === new Date().toDateString()
      ? formatTime(iso, { hour: '2-digit', minute: '2-digit' })
      : formatDate(iso, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
  const t = (id: string, defaultMessage: string, values?: Record<string, React.ReactNode>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values) as string;
  const { data, error, connection } = useDashboard();
  const [range, setRange] = React.useState<'hourly' | 'daily'>('hourly');

  if (error) return <Page.Error />;
  if (!data) return <Page.Loading />;

  return (
    <Page.Main>
      <Page.Title>{t('overview.title', 'Evidence capture')}</Page.Title>
      <Layouts.Header
        title={t('overview.title', 'Evidence capture')}
        subtitle={t('overview.subtitle', 'Forms and records captured by field staff')}
        secondaryAction={<ConnectionBadge connection={connection} t={t} />}
        primaryAction={
          <Flex gap={2}>
            <LinkButton tag={Link} variant="secondary" to="forms">
              {t('overview.manage-forms', 'Manage forms')}
            </LinkButton>
            <LinkButton tag={Link} to="records">
              {t('overview.review-records', 'Review records')}
            </LinkButton>
          </Flex>
        }
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          <IntegrityBanner integrity={data.integrity} />
          <Box background="neutral0" hasRadius shadow="tableShadow" padding={5}>
            <Typography variant="delta" tag="h2">
              {t('dashboard.latest', 'Latest submissions')}
            </Typography>
            {data.latest.length === 0 ? (
              <Box paddingTop={4} data-testid="eas-dashboard-empty">
                <Typography tag="p">
                  {t(
                    'dashboard.empty',
                    'Records appear here the moment field staff send them, newest first, with their photo, key answer and status. To get the first one: build and publish a form, then give field staff an account; they capture on the site (/) from their phone.'
                  )}
                </Typography>
                <Flex gap={2} marginTop={4}>
                  <LinkButton tag={Link} to="forms/new">
                    {t('dashboard.empty.form', 'Build a form')}
                  </LinkButton>
                  <LinkButton tag={Link} variant="secondary" to="/content-manager/collection-types/plugin::users-permissions.user/create">
                    {t('dashboard.empty.staff', 'Add field staff')}
                  </LinkButton>
                </Flex>
              </Box>
            ) : (
              <Table colCount={7} rowCount={data.latest.length + 1} data-testid="eas-latest">
                <Thead>
                  <Tr>
                    <Th>
                      <Typography variant="sigma">{t('dashboard.photo', 'Photo')}</Typography>
                    </Th>
                    <Th>
                      <Typography variant="sigma">{t('dashboard.time', 'Sent')}</Typography>
                    </Th>
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
                      <Typography variant="sigma">{t('dashboard.status', 'Status')}</Typography>
                    </Th>
                  </Tr>
                </Thead>
                <Tbody>
                  {data.latest.map((e) => (
                    <Tr key={e.documentId}>
                      <Td>
                        {e.thumbnailUrl ? (
                          <img src={e.thumbnailUrl} alt="" width={48} height={48} style={{ objectFit: 'cover', borderRadius: 4 }} />
                        ) : null}
                      </Td>
                      <Td>
                        <Typography>
                          {(e.submittedAt ?? e.capturedAt) ? formatRelativeTime(e.submittedAt ?? e.capturedAt!) : '—'}
                        </Typography>
                      </Td>
                      <Td>
                        <Link to={RECORD_URL(e.documentId)}>{e.reference}</Link>
                      </Td>
                      <Td>
                        <Typography>{e.summary ?? '—'}</Typography>
                      </Td>
                      <Td>
                        <Typography>{e.form.name}</Typography>
                      </Td>
                      <Td>
                        <Typography>{e.owner?.username ?? '—'}</Typography>
                      </Td>
                      <Td>
                        <Typography>{t(`overview.state.${e.status}`, e.status)}</Typography>
                      </Td>
                    </Tr>
                  ))}
                </Tbody>
              </Table>
            )}
          </Box>
          <Grid.Root gap={4}>
            <Grid.Item col={3} s={6} direction="column" alignItems="stretch">
              <Counter testId="eas-today" label={t('dashboard.today', 'Submitted today')} value={data.counters.today} />
            </Grid.Item>
            <Grid.Item col={3} s={6} direction="column" alignItems="stretch">
              <Counter testId="eas-week" label={t('dashboard.week', 'Last 7 days')} value={data.counters.week} />
            </Grid.Item>
            <Grid.Item col={3} s={6} direction="column" alignItems="stretch">
              <Counter testId="eas-records" label={t('overview.records', 'Records')} value={data.counters.total} />
            </Grid.Item>
            <Grid.Item col={3} s={6} direction="column" alignItems="stretch">
              <Counter
                testId="eas-forms"
                label={t('overview.forms', 'Forms')}
                value={t('overview.forms.published', '{published} published of {total}', data.forms)}
              />
            </Grid.Item>
            {RECORD_STATES.map((state) => (
              <Grid.Item key={state} col={3} s={6} direction="column" alignItems="stretch">
                <Counter testId={`eas-state-${state}`} label={t(`overview.state.${state}`, state)} value={data.counters.byStatus[state]} />
              </Grid.Item>
            ))}
          </Grid.Root>

          <Box background="neutral0" hasRadius shadow="tableShadow" padding={5}>
            <Flex justifyContent="space-between" marginBottom={3}>
              <Typography variant="delta" tag="h2">
                {t('dashboard.chart', 'Submissions over time')}
              </Typography>
              <Box width="200px">
                <SingleSelect
                  aria-label={t('dashboard.range', 'Range')}
                  value={range}
                  onChange={(v: string | number) => setRange(v as 'hourly' | 'daily')}
                >
                  <SingleSelectOption value="hourly">{t('dashboard.24h', 'Last 24 hours')}</SingleSelectOption>
                  <SingleSelectOption value="daily">{t('dashboard.14d', 'Last 14 days')}</SingleSelectOption>
                </SingleSelect>
              </Box>
            </Flex>
            <SubmissionsChart
              points={data.series[range]}
              label={t('dashboard.chart', 'Submissions over time')}
              format={(iso) =>
                range === 'hourly' ? formatTime(iso, { hour: '2-digit' }) : formatDate(iso, { day: 'numeric', month: 'short' })
              }
            />
          </Box>

          <Grid.Root gap={4}>
            <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
              <Box background="neutral0" hasRadius shadow="tableShadow" padding={5} width="100%">
                <Typography variant="delta" tag="h2">
                  {t('dashboard.per-form', 'By form')}
                </Typography>
                <Table colCount={3} rowCount={data.perForm.length + 1}>
                  <Thead>
                    <Tr>
                      <Th>
                        <Typography variant="sigma">{t('dashboard.form', 'Form')}</Typography>
                      </Th>
                      <Th>
                        <Typography variant="sigma">{t('overview.records', 'Records')}</Typography>
                      </Th>
                      <Th>
                        <Typography variant="sigma">{t('overview.state.submitted', 'Submitted')}</Typography>
                      </Th>
                    </Tr>
                  </Thead>
                  <Tbody>
                    {data.perForm.map((f) => (
                      <Tr key={f.slug}>
                        <Td>
                          <Typography>{f.name}</Typography>
                        </Td>
                        <Td>
                          <Typography>{f.total}</Typography>
                        </Td>
                        <Td>
                          <Typography>{f.byStatus.submitted}</Typography>
                        </Td>
                      </Tr>
                    ))}
                  </Tbody>
                </Table>
              </Box>
            </Grid.Item>
            <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
              <Box background="neutral0" hasRadius shadow="tableShadow" padding={5} width="100%">
                <Typography variant="delta" tag="h2">
                  {t('dashboard.per-user', 'By field staff')}
                </Typography>
                <Table colCount={3} rowCount={data.perUser.length + 1}>
                  <Thead>
                    <Tr>
                      <Th>
                        <Typography variant="sigma">{t('dashboard.by', 'Captured by')}</Typography>
                      </Th>
                      <Th>
                        <Typography variant="sigma">{t('overview.records', 'Records')}</Typography>
                      </Th>
                      <Th>
                        <Typography variant="sigma">{t('dashboard.today', 'Submitted today')}</Typography>
                      </Th>
                    </Tr>
                  </Thead>
                  <Tbody>
                    {data.perUser.map((u) => (
                      <Tr key={u.username}>
                        <Td>
                          <Typography>{u.username}</Typography>
                        </Td>
                        <Td>
                          <Typography>{u.total}</Typography>
                        </Td>
                        <Td>
                          <Typography>{u.submittedToday}</Typography>
                        </Td>
                      </Tr>
                    ))}
                  </Tbody>
                </Table>
              </Box>
            </Grid.Item>
          </Grid.Root>
        </Flex>
      </Layouts.Content>
    </Page.Main>
  );
};

export const DashboardPage = () => (
  <Page.Protect permissions={PERMISSIONS.read}>
    <DashboardContent />
  </Page.Protect>
);
