import * as React from 'react';
import { Box, Flex, TextButton, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { RecordDetails, RecordHistoryEntry } from '../../../shared/contracts/record';
import { useT, type Translate } from '../hooks/useT';
import { photoName, signatureRole } from '../utils/record-words';

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Who did it: the actor's name then (with the account id, which never changes), else what kind of actor it was. */
const actorName = (entry: RecordHistoryEntry, t: Translate) =>
  (entry.actor.name && entry.actor.id !== null ? `${entry.actor.name} (#${entry.actor.id})` : entry.actor.name) ??
  (entry.actor.kind === 'system'
    ? t('history.actor.system', 'EAS')
    : entry.actor.kind === 'admin'
      ? t('history.actor.admin', 'an administrator')
      : t('history.actor.field-staff', 'field staff'));

/** An audit entry's action as a person says it ("Front photo stored", "Signature of the client stored", "Approved"). */
const actionText = (entry: RecordHistoryEntry, details: RecordDetails, t: Translate): string => {
  switch (entry.action) {
    case 'record.created':
      // A record that needs no photo or signature is submitted as it is created, in the same entry.
      return entry.to === 'submitted' ? t('history.created-submitted', 'Created and submitted') : t('history.created', 'Created');
    case 'record.updated':
      return t('history.updated', 'Recorded information changed');
    case 'photo.stored':
      return t('history.photo-stored', '{photo} stored', { photo: capitalise(photoName(entry.slot ?? '', t)) });
    case 'signature.stored':
      return t('history.signature-stored', 'Signature of the {role} stored', { role: signatureRole(details, entry.slot ?? '') });
    case 'record.submitted':
      return t('history.submitted', 'Submitted');
    case 'record.reviewed':
      return entry.to === 'approved'
        ? t('history.approved', 'Approved')
        : entry.to === 'rejected'
          ? t('history.rejected', 'Rejected')
          : t('history.reviewed', 'Reviewed');
    case 'record.viewed':
      return t('history.viewed', 'Viewed by {name}', { name: actorName(entry, t) });
    case 'record.exported':
      return t('history.exported', 'Exported as PDF');
    case 'record.redacted':
      return t('history.redacted', 'Personal data redacted');
    default:
      return entry.action;
  }
};

const Entry = ({ entry, details, t }: { entry: RecordHistoryEntry; details: RecordDetails; t: Translate }) => {
  const { formatDate } = useIntl();
  const viewed = entry.action === 'record.viewed';
  const when = formatDate(entry.at, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <Box tag="li" marginBottom={2} data-action={entry.action}>
      <Typography variant="pi" fontWeight={viewed ? 'regular' : 'bold'} textColor={viewed ? 'neutral500' : 'neutral800'}>
        {actionText(entry, details, t)}
      </Typography>
      <Typography variant="pi" textColor={viewed ? 'neutral500' : 'neutral600'}>
        {viewed ? ` · ${when}` : ` · ${actorName(entry, t)} · ${when}`}
      </Typography>
      {entry.comment && (
        <Typography variant="pi" tag="p" textColor="neutral700" style={{ whiteSpace: 'pre-wrap' }}>
          “{entry.comment}”
        </Typography>
      )}
    </Box>
  );
};

/**
 * The record's part of the audit chain, oldest first, in words. Views ("Viewed by …", one per opening of this
 * panel) are many and say nothing about the record itself: they stay hidden until asked for, then show subdued.
 */
export const RecordHistory = ({ details }: { details: RecordDetails }) => {
  const t = useT();
  const [showViews, setShowViews] = React.useState(false);
  const views = details.history.filter((e) => e.action === 'record.viewed').length;
  const entries = showViews ? details.history : details.history.filter((e) => e.action !== 'record.viewed');

  return (
    <Box>
      <Flex justifyContent="space-between" alignItems="baseline" gap={2}>
        <Typography variant="sigma" textColor="neutral600" tag="h3">
          {t('record.history', 'History')}
        </Typography>
        {views > 0 && (
          <TextButton onClick={() => setShowViews((v) => !v)} aria-pressed={showViews}>
            {showViews
              ? t('history.hide-views', 'Hide views')
              : t('history.show-views', 'Show {count, plural, one {# view} other {# views}}', { count: views })}
          </TextButton>
        )}
      </Flex>
      <Box tag="ol" marginTop={2} paddingLeft={4} data-testid="eas-history">
        {entries.map((entry) => (
          <Entry key={entry.seq} entry={entry} details={details} t={t} />
        ))}
      </Box>
    </Box>
  );
};
