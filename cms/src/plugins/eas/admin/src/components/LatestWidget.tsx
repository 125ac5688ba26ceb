import { Box, Flex, Loader, Typography } from '@strapi/design-system';
import { useAuth, useFetchClient } from '@strapi/strapi/admin';
import * as React from 'react';
import { useIntl } from 'react-intl';
import { Link, useNavigate } from 'react-router-dom';
import { EDITOR_ROLE } from '../../../shared/roles';
import type { Dashboard } from '../../../shared/contracts/dashboard';
import { useT } from '../hooks/useT';

/**
 * EAS editors work on the EAS dashboard: the first time the admin's home opens after they signed in, they are taken
 * there (once per sign-in: the home page stays reachable). Anyone with another role stays on the home page.
 */
const useEditorsLandOnTheDashboard = () => {
  const navigate = useNavigate();
  const user = useAuth('EasLanding', (state) => state.user);
  const token = useAuth('EasLanding', (state) => state.token);
  React.useEffect(() => {
    const roles = user?.roles ?? [];
    if (!token || !roles.length || !roles.every((r) => r.name === EDITOR_ROLE.name)) return;
    const key = `eas.landed:${user?.id ?? ''}:${token.slice(-12)}`;
    if (window.sessionStorage.getItem(key)) return;
    window.sessionStorage.setItem(key, '1');
    navigate('/plugins/eas', { replace: true });
  }, [user, token, navigate]);
};

/** On the admin's home page, for those who may read EAS records: the latest submissions and the way to them. */
export const LatestWidget = () => {
  useEditorsLandOnTheDashboard();
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
