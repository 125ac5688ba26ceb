import * as React from 'react';
import { Box, Flex, Link, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { RecordDetails } from '../../../shared/contracts/record';
import { useT, type Translate } from '../hooks/useT';
import { findingText } from '../utils/record-words';
import { Notice } from './Notice';

/** A check older than this reads "checked at …" rather than "just now" (the panel may stay open for a while). */
const JUST_NOW_MS = 2 * 60_000;

const Checked = ({ check, t }: { check: RecordDetails['integrity']; t: Translate }) => {
  const { formatTime } = useIntl();
  const files = check.filesChecked;
  // When the panel opened: rendering stays pure, and the wording does not flip while it is read.
  const [openedAt] = React.useState(() => Date.now());
  const text =
    openedAt - Date.parse(check.checkedAt) < JUST_NOW_MS
      ? t('integrity.checked-now', 'Checked just now, {files, plural, =0 {no files} one {# file} other {# files}} re-hashed.', { files })
      : t('integrity.checked-at', 'Checked at {time}, {files, plural, =0 {no files} one {# file} other {# files}} re-hashed.', {
          files,
          time: formatTime(check.checkedAt),
        });
  return (
    <Typography variant="pi" textColor="neutral700" data-testid="eas-integrity-checked">
      {text}
    </Typography>
  );
};

const Hash = ({ label, value }: { label: string; value: string }) => (
  <Typography variant="pi" textColor="neutral600" tag="p" style={{ wordBreak: 'break-all' }}>
    {label}: <code>{value}</code>
  </Typography>
);

/** The notice for the check's status; altered lists what no longer matches, in words. */
const StatusNotice = ({ details, t }: { details: RecordDetails; t: Translate }) => {
  const { formatDate } = useIntl();
  const check = details.integrity;
  switch (check.status) {
    case 'intact':
      return (
        <Notice variant="success" testId="eas-integrity" title={t('integrity.intact', 'Intact: this record matches what EAS recorded')}>
          <Checked check={check} t={t} />
        </Notice>
      );
    case 'altered':
      return (
        <Notice
          variant="danger"
          testId="eas-integrity"
          title={t('integrity.altered', 'Altered: this record no longer matches what EAS recorded')}
        >
          <Typography variant="omega">{t('integrity.altered.parts', 'What changed:')}</Typography>
          <Box tag="ul" paddingLeft={5} style={{ listStyle: 'disc' }}>
            {check.findings.map((f) => (
              <Typography tag="li" variant="omega" key={`${f.part}:${f.problem}`}>
                {findingText(f, details, t)}
              </Typography>
            ))}
          </Box>
          <Typography variant="omega" fontWeight="semiBold">
            {t('integrity.altered.do-not-approve', 'It must not be approved. Reject it or investigate the change first.')}
          </Typography>
          <Checked check={check} t={t} />
        </Notice>
      );
    case 'redacted': {
      const date = details.redactedAt ? formatDate(details.redactedAt, { dateStyle: 'medium', timeStyle: 'short' }) : '—';
      return (
        <Notice variant="neutral" testId="eas-integrity" title={t('integrity.redacted', 'Redacted on {date}', { date })}>
          <Typography variant="omega">
            {t(
              'integrity.redacted.body',
              'Personal data was removed at a data-protection request (see the history). Everything else still matches what EAS recorded.'
            )}
          </Typography>
          <Checked check={check} t={t} />
        </Notice>
      );
    }
  }
};

/**
 * The record's custody at a glance, at the top of its panel: the integrity check the server ran for this view
 * (intact, altered with the parts in words, or redacted), its hashes, and a link to
 * the public verify page that a PDF's QR code opens.
 */
export const IntegrityStatus = ({ details }: { details: RecordDetails }) => {
  const t = useT();
  const check = details.integrity;
  const differs = check.status === 'altered' && check.recordedHash !== null && check.computedHash !== check.recordedHash;
  return (
    <Flex direction="column" alignItems="stretch" gap={2}>
      <StatusNotice details={details} t={t} />
      {check.recordedHash && <Hash label={t('integrity.recorded-hash', 'Integrity hash (as on its PDFs)')} value={check.recordedHash} />}
      {differs && <Hash label={t('integrity.computed-hash', 'Hash of the record as stored now')} value={check.computedHash} />}
      {check.recordedHash && (
        <Link href={`/verify/${encodeURIComponent(details.reference)}?hash=${check.recordedHash}`} isExternal>
          {t('integrity.verify-page', 'What the public verify page says')}
        </Link>
      )}
    </Flex>
  );
};
