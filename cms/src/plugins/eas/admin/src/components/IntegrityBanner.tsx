import * as React from 'react';
import { Box, Typography } from '@strapi/design-system';
import { FormattedMessage, useIntl } from 'react-intl';
import type { IntegritySummary } from '../../../shared/contracts/dashboard';
import { useT } from '../hooks/useT';
import { getTranslation } from '../pluginId';
import { Notice } from './Notice';

/**
 * What the last integrity sweep found, on the dashboard: a danger banner with the counts when it found altered
 * records or audit-chain breaks (the list itself is `npm run verify`'s), otherwise one quiet line.
 */
export const IntegrityBanner = ({ integrity }: { integrity: IntegritySummary }) => {
  const t = useT();
  const { formatDate } = useIntl();
  const at = integrity.checkedAt ? formatDate(integrity.checkedAt, { dateStyle: 'medium', timeStyle: 'short' }) : '—';

  if (integrity.status === 'altered') {
    return (
      <Notice
        variant="danger"
        testId="eas-integrity-summary"
        title={t('dashboard.integrity.altered.title', 'Records no longer match what EAS recorded')}
      >
        <Typography variant="omega">
          <FormattedMessage
            id={getTranslation('dashboard.integrity.altered')}
            defaultMessage="{altered, plural, =0 {No altered records} one {# altered record} other {# altered records}}, {breaks, plural, =0 {no audit-chain breaks} one {# audit-chain break} other {# audit-chain breaks}} found by the last check at {at}; run {command} for the list."
            values={{ altered: integrity.altered, breaks: integrity.chainBreaks, at, command: <code>npm run verify</code> }}
          />
        </Typography>
      </Notice>
    );
  }
  return (
    <Box data-testid="eas-integrity-summary">
      <Typography variant="pi" textColor="neutral600">
        {integrity.status === 'ok'
          ? t('dashboard.integrity.ok', 'Integrity: last checked at {at}, nothing altered.', { at })
          : t('dashboard.integrity.unchecked', 'Integrity: not checked yet.')}
      </Typography>
    </Box>
  );
};
