import * as React from 'react';
import { Box, Flex, Grid, LinkButton, Typography } from '@strapi/design-system';
import { Layouts, Page, useFetchClient } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { Link } from 'react-router-dom';
import { PERMISSIONS, PLUGIN_ID, getTranslation } from '../pluginId';

interface Overview {
  forms: { published: number; total: number };
  records: { total: number; byState: Record<'draft' | 'submitted' | 'approved' | 'rejected', number> };
}

const STATES = ['draft', 'submitted', 'approved', 'rejected'] as const;

const Counter = ({ label, value, testId }: { label: string; value: React.ReactNode; testId: string }) => (
  <Box background="neutral0" hasRadius shadow="tableShadow" padding={6} data-testid={testId}>
    <Flex direction="column" alignItems="flex-start" gap={2}>
      <Typography variant="sigma" textColor="neutral600">
        {label}
      </Typography>
      <Typography variant="alpha" tag="p">
        {value}
      </Typography>
    </Flex>
  </Box>
);

const OverviewContent = () => {
  const { formatMessage } = useIntl();
  const { get } = useFetchClient();
  const [overview, setOverview] = React.useState<Overview | null>(null);
  const [failed, setFailed] = React.useState(false);

  React.useEffect(() => {
    let active = true;
    get<{ data: Overview }>(`/${PLUGIN_ID}/overview`)
      .then(({ data }) => active && setOverview(data.data))
      .catch(() => active && setFailed(true));
    return () => {
      active = false;
    };
  }, [get]);

  const t = (id: string, defaultMessage: string, values?: Record<string, React.ReactNode>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);

  if (failed) return <Page.Error />;
  if (!overview) return <Page.Loading />;

  return (
    <Page.Main>
      <Page.Title>{t('overview.title', 'Evidence capture')}</Page.Title>
      <Layouts.Header
        title={t('overview.title', 'Evidence capture')}
        subtitle={t('overview.subtitle', 'Forms and records captured by field staff')}
        primaryAction={
          <Flex gap={2}>
            <LinkButton tag={Link} variant="secondary" to="/content-manager/collection-types/plugin::eas.form">
              {t('overview.manage-forms', 'Manage forms')}
            </LinkButton>
            <LinkButton tag={Link} to="/content-manager/collection-types/plugin::eas.record">
              {t('overview.review-records', 'Review records')}
            </LinkButton>
          </Flex>
        }
      />
      <Layouts.Content>
        <Grid.Root gap={4}>
          <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
            <Counter
              testId="eas-forms"
              label={t('overview.forms', 'Forms')}
              value={t('overview.forms.published', '{published} published of {total}', overview.forms)}
            />
          </Grid.Item>
          <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
            <Counter testId="eas-records" label={t('overview.records', 'Records')} value={overview.records.total} />
          </Grid.Item>
          {STATES.map((state) => (
            <Grid.Item key={state} col={3} s={6} direction="column" alignItems="stretch">
              <Counter
                testId={`eas-state-${state}`}
                label={t(`overview.state.${state}`, state)}
                value={overview.records.byState[state]}
              />
            </Grid.Item>
          ))}
        </Grid.Root>
      </Layouts.Content>
    </Page.Main>
  );
};

export const OverviewPage = () => (
  <Page.Protect permissions={PERMISSIONS.read}>
    <OverviewContent />
  </Page.Protect>
);
