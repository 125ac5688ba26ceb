import { Box, Flex, Loader, Typography } from '@strapi/design-system';
import { useFetchClient } from '@strapi/strapi/admin';
import * as React from 'react';
import { useIntl } from 'react-intl';
import { Link } from 'react-router-dom';
import type { Dashboard } from '../../../shared/contracts/dashboard';
import { useT } from '../hooks/useT';

/** On the admin's home page, for those who may read EAS records: the latest submissions and the way to them. */
export const LatestWidget = () => {
  const t = useT();
  const { formatDate } = useIntl();
  const { get } = useFetchClient();
  const [data, setData] = React.useState<Dashboard | null>(null);
  const [failed, setFailed] = React.useState(false);
  React.useEffect(() => {
    get<{ data: Dashboard }>('/eas/dashboard').then(
      (res) => setData(res.data.data),
      () => setFailed(true)
    );
  }, [get]);
  if (failed) return <Typography textColor="danger600">{t('overview.error', 'Could not load the overview.')}</Typography>;
  if (!data) return <Loader small>{t('record.loading', 'Loading…')}</Loader>;
  if (!data.latest.length)
    return (
      <Typography tag="p">
        {t('widget.empty', 'No submission yet.')} <Link to="/plugins/eas/forms/new">{t('dashboard.empty.form', 'Build a form')}</Link>
      </Typography>
    );
  return (
    <Flex direction="column" alignItems="stretch" gap={2} data-testid="eas-widget-latest">
      <Typography variant="pi" textColor="neutral600">
        {t('widget.waiting', '{n} waiting for review', { n: data.counters.byStatus.submitted })}
      </Typography>
      {data.latest.slice(0, 5).map((e) => (
        <Box key={e.documentId}>
          <Link to={`/plugins/eas/records/${e.documentId}`}>{e.reference}</Link>{' '}
          <Typography variant="pi">
            {e.summary ?? e.form.name} · {t(`overview.state.${e.status}`, e.status)}
            {e.submittedAt ? ` · ${formatDate(e.submittedAt, { dateStyle: 'short', timeStyle: 'short' })}` : ''}
          </Typography>
        </Box>
      ))}
    </Flex>
  );
};
