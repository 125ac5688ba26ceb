import * as React from 'react';
import { Badge, Box, Flex, LinkButton, Typography } from '@strapi/design-system';
import { Link } from 'react-router-dom';
import { useIntl } from 'react-intl';
import type { RecordDetails } from '../../../shared/contracts/record';
import { useRecordDetails } from '../hooks/useRecordDetails';
import { useT } from '../hooks/useT';
import { getTranslation } from '../pluginId';
import { IntegrityStatus } from './IntegrityStatus';
import { RecordEvidence } from './RecordEvidence';
import { RecordHistory } from './RecordHistory';
import { RedactDialog } from './RedactDialog';
import { ReviewActions } from './ReviewActions';

export const RECORD_UID = 'plugin::eas.record';

const STATUS_VARIANT: Record<RecordDetails['status'], 'secondary' | 'success' | 'danger' | 'neutral'> = {
  draft: 'neutral',
  submitted: 'secondary',
  approved: 'success',
  rejected: 'danger',
};

const CapturedData = ({ details }: { details: RecordDetails }) => {
  const t = useT();
  return (
    <Box>
      <Typography variant="sigma" textColor="neutral600" tag="h3">
        {t('record.data', 'Captured data')}
      </Typography>
      <Box tag="dl" marginTop={2}>
        {details.fields.map((f) => (
          <Box key={f.key} marginBottom={2}>
            <Typography tag="dt" variant="pi" fontWeight="bold">
              {f.label}
            </Typography>
            <Typography tag="dd" variant="pi" style={{ whiteSpace: 'pre-wrap', margin: 0 }}>
              {f.display}
            </Typography>
          </Box>
        ))}
      </Box>
    </Box>
  );
};

/**
 * A record as editors review it: its custody first (the integrity check run for this view), then status, the
 * captured values with their labels, photos and signatures, the decision, redaction, and the history.
 */
const RecordReview = ({ documentId }: { documentId: string }) => {
  const t = useT();
  const { details, failure, reload } = useRecordDetails(documentId);

  if (!details) {
    return failure ? (
      <Typography textColor="danger600">{failure.message ?? t('record.load-failed', 'Could not load the record.')}</Typography>
    ) : (
      <Typography textColor="neutral600">{t('record.loading', 'Loading…')}</Typography>
    );
  }

  return (
    <Flex direction="column" alignItems="stretch" gap={4} width="100%">
      <LinkButton tag={Link} to={`/plugins/eas/records/${documentId}`} variant="secondary" fullWidth>
        {t('record.open-review', 'Open the review page')}
      </LinkButton>
      <IntegrityStatus details={details} />
      <Flex gap={2} wrap="wrap">
        <Badge variant={STATUS_VARIANT[details.status]} data-testid="eas-record-status">
          {t(`overview.state.${details.status}`, details.status)}
        </Badge>
        <Typography variant="pi" textColor="neutral600">
          {details.form.name} · v{details.form.version}
        </Typography>
      </Flex>
      {details.owner && (
        <Typography variant="pi">{t('record.captured-by', 'Captured by {name}', { name: details.owner.username })}</Typography>
      )}
      <CapturedData details={details} />
      <RecordEvidence details={details} />
      <ReviewActions documentId={documentId} details={details} onChange={reload} />
      <RedactDialog documentId={documentId} details={details} onDone={reload} />
      <RecordHistory details={details} />
    </Flex>
  );
};

/** Content-Manager edit-view side panel; returns null for every other content type. */
export const RecordPanel = ({ model, documentId }: { model: string; documentId?: string }) => {
  const { formatMessage } = useIntl();
  if (model !== RECORD_UID || !documentId || documentId === 'create') return null;
  return {
    title: formatMessage({ id: getTranslation('record.panel'), defaultMessage: 'Evidence record' }),
    content: <RecordReview documentId={documentId} />,
  };
};
