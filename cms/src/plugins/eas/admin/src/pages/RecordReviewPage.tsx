import { Badge, Box, Button, Flex, Grid, Modal, Typography } from '@strapi/design-system';
import { ArrowLeft, ArrowRight } from '@strapi/icons';
import { Layouts, Page } from '@strapi/strapi/admin';
import * as React from 'react';
import { useIntl } from 'react-intl';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import type { RecordDetails } from '../../../shared/contracts/record';
import { ExportPdfButton } from '../components/ExportActions';
import { IntegrityStatus } from '../components/IntegrityStatus';
import { Binding } from '../components/RecordEvidence';
import { RecordHistory } from '../components/RecordHistory';
import { RedactDialog } from '../components/RedactDialog';
import { ReviewActions } from '../components/ReviewActions';
import { useRecordDetails } from '../hooks/useRecordDetails';
import { filterQuery, filtersOf, useReviewQueue } from '../hooks/useReviewQueue';
import { useT } from '../hooks/useT';
import { PERMISSIONS } from '../pluginId';

const STATUS_VARIANT: Record<RecordDetails['status'], 'secondary' | 'success' | 'danger' | 'neutral'> = {
  draft: 'neutral',
  submitted: 'secondary',
  approved: 'success',
  rejected: 'danger',
};

/** A photo as large as the column allows; a click opens it full size. */
const Photo = ({ photo }: { photo: RecordDetails['photos'][number] }) => {
  const t = useT();
  const [open, setOpen] = React.useState(false);
  if (!photo.url) {
    return (
      <Box background="neutral100" hasRadius padding={4}>
        <Typography variant="pi" textColor="neutral600">
          {photo.label}: {t('evidence.redacted', 'Removed by a redaction')}
        </Typography>
      </Box>
    );
  }
  return (
    <Box tag="figure" margin={0}>
      <Modal.Root open={open} onOpenChange={setOpen}>
        <Modal.Trigger>
          <button
            type="button"
            style={{ all: 'unset', cursor: 'zoom-in', display: 'block', width: '100%' }}
            aria-label={t('review.zoom', 'Open {label} full size', { label: photo.label })}
          >
            <img
              src={photo.url}
              alt={photo.label}
              style={{ width: '100%', maxHeight: 420, objectFit: 'contain', background: '#f6f6f9', borderRadius: 4 }}
            />
          </button>
        </Modal.Trigger>
        <Modal.Content style={{ maxWidth: '95vw', width: 'auto' }}>
          <Modal.Header>
            <Modal.Title>{photo.label}</Modal.Title>
          </Modal.Header>
          <Modal.Body>
            <img src={photo.url} alt={photo.label} style={{ maxWidth: '90vw', maxHeight: '75vh' }} />
          </Modal.Body>
        </Modal.Content>
      </Modal.Root>
      <Typography tag="figcaption" variant="pi" fontWeight="bold">
        {photo.label}
      </Typography>
      {photo.quality?.flags?.length ? (
        <Typography variant="pi" textColor="warning700" tag="p">
          {t('review.photo-flags', 'Quality: {flags}', { flags: photo.quality.flags.join(', ') })}
        </Typography>
      ) : null}
    </Box>
  );
};

const Card = ({ title, children }: { title: string; children: React.ReactNode }) => (
  <Box background="neutral0" hasRadius shadow="tableShadow" padding={5} tag="section" aria-label={title}>
    <Typography variant="delta" tag="h2">
      {title}
    </Typography>
    <Box marginTop={3}>{children}</Box>
  </Box>
);

/**
 * A record's own review page (EAS → Records → a record): the decision fixed at the top (Alt+A approve, Alt+R
 * reject, Alt+N next), the answers as people read them, the photos large side by side, each signature with the
 * text it was given over and whether it endorses the record now, the custody check, the location and the history.
 */
const Review = ({ documentId }: { documentId: string }) => {
  const t = useT();
  const { formatDate } = useIntl();
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const filters = filtersOf(search);
  const query = filterQuery(filters);
  const { details, failure, reload } = useRecordDetails(documentId);
  const loadQueue = useReviewQueue();
  const [decided, setDecided] = React.useState(false);
  const [noNext, setNoNext] = React.useState(false);

  const next = React.useCallback(async () => {
    // The next record of the same queue: the first one still in it that is not this one.
    const { data } = await loadQueue(filters, 1, 2);
    const following = data.find((r) => r.documentId !== documentId);
    if (!following) {
      setNoNext(true);
      return;
    }
    navigate(`../${following.documentId}?${filterQuery(filters)}`, { relative: 'path' });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the filters are the URL's (query)
  }, [loadQueue, documentId, navigate, query]);

  React.useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey && e.key.toLowerCase() === 'n') {
        e.preventDefault();
        void next();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [next]);

  if (failure) return <Page.Error />;
  if (!details) return <Page.Loading />;
  const loc = details.location;

  return (
    <Page.Main>
      <Page.Title>{details.reference}</Page.Title>
      <Layouts.Header
        navigationAction={
          <Link to={`..?${filterQuery(filters)}`} relative="path" style={{ display: 'inline-flex', gap: 8, alignItems: 'center' }}>
            <ArrowLeft aria-hidden /> {t('queue.title', 'Records')}
          </Link>
        }
        title={details.reference}
        subtitle={
          <Flex gap={2} wrap="wrap">
            <Badge variant={STATUS_VARIANT[details.status]} data-testid="eas-review-status">
              {t(`overview.state.${details.status}`, details.status)}
            </Badge>
            <Typography variant="pi" textColor="neutral600">
              {details.form.name} v{details.form.version}
              {details.owner ? ` · ${t('record.captured-by', 'Captured by {name}', { name: details.owner.username })}` : ''}
              {` · ${formatDate(details.capturedAt, { dateStyle: 'medium', timeStyle: 'short' })}`}
            </Typography>
          </Flex>
        }
        primaryAction={
          <Flex gap={2}>
            <ExportPdfButton documentId={documentId} reference={details.reference} />
            <Button variant="secondary" endIcon={<ArrowRight />} onClick={() => void next()}>
              {t('review.next', 'Next record (Alt+N)')}
            </Button>
          </Flex>
        }
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={5}>
          {/* The decision stays in view while the record scrolls under it. */}
          <Box
            background="neutral0"
            hasRadius
            shadow="tableShadow"
            padding={4}
            style={{ position: 'sticky', top: 0, zIndex: 2 }}
            data-testid="eas-review-bar"
          >
            <Flex direction="column" alignItems="stretch" gap={3}>
              <IntegrityStatus details={details} />
              {decided || details.status !== 'submitted' ? (
                <Flex gap={3} wrap="wrap">
                  <Typography data-testid="eas-review-done">
                    {details.status === 'approved'
                      ? t('review.done.approved', 'Approved.')
                      : details.status === 'rejected'
                        ? t('review.done.rejected', 'Rejected: the field staff see your comment and can fix and resend it.')
                        : t('review.not-submitted', 'This record is not waiting for review.')}
                  </Typography>
                  {noNext ? (
                    <Typography textColor="neutral600">{t('review.no-next', 'Nothing else waits in this queue.')}</Typography>
                  ) : null}
                </Flex>
              ) : null}
              <ReviewActions documentId={documentId} details={details} onChange={reload} onDecided={() => setDecided(true)} shortcuts />
            </Flex>
          </Box>

          <Grid.Root gap={5}>
            <Grid.Item col={5} s={12} direction="column" alignItems="stretch">
              <Card title={t('record.data', 'Captured data')}>
                <Box tag="dl" margin={0}>
                  {details.fields.map((f) => (
                    <Box key={f.key} marginBottom={3}>
                      <Typography tag="dt" variant="pi" fontWeight="bold" textColor="neutral600">
                        {f.label}
                      </Typography>
                      <Typography tag="dd" style={{ whiteSpace: 'pre-wrap', margin: 0 }} dir="auto">
                        {f.display || '—'}
                      </Typography>
                    </Box>
                  ))}
                </Box>
              </Card>
            </Grid.Item>
            <Grid.Item col={7} s={12} direction="column" alignItems="stretch">
              <Flex direction="column" alignItems="stretch" gap={5}>
                {details.photos.length ? (
                  <Card title={t('review.photos', 'Photos')}>
                    <Grid.Root gap={4}>
                      {details.photos.map((p) => (
                        <Grid.Item key={p.side} col={6} s={12} direction="column" alignItems="stretch">
                          <Photo photo={p} />
                        </Grid.Item>
                      ))}
                    </Grid.Root>
                  </Card>
                ) : null}
                {details.signatures.length ? (
                  <Card title={t('review.signatures', 'Signatures')}>
                    <Flex direction="column" alignItems="stretch" gap={4}>
                      {details.signatures.map((s) => (
                        <Box key={s.slot} padding={3} hasRadius borderColor="neutral200" borderStyle="solid" borderWidth="1px">
                          <Typography variant="pi" fontWeight="bold">
                            {s.role || s.slot}: {s.signerName}
                            {s.signedAt ? ` · ${formatDate(s.signedAt, { dateStyle: 'medium', timeStyle: 'short' })}` : ''}
                          </Typography>
                          <Typography tag="p" variant="pi" textColor="neutral600" style={{ fontStyle: 'italic' }} dir="auto">
                            “{s.consentText}”
                          </Typography>
                          {s.url ? (
                            <img
                              src={s.url}
                              alt={t('record.signature-of', 'Signature of {name}', { name: s.signerName ?? '' })}
                              style={{ maxWidth: 320, maxHeight: 140 }}
                            />
                          ) : null}
                          <Binding signature={s} redacted={Boolean(details.redactedAt)} t={t} />
                        </Box>
                      ))}
                    </Flex>
                  </Card>
                ) : null}
                {loc ? (
                  <Card title={t('review.location', 'Location')}>
                    <Typography data-testid="eas-review-location">
                      {loc.lat.toFixed(5)}, {loc.lng.toFixed(5)}
                      {loc.accuracy !== undefined && loc.accuracy !== null ? ` (± ${Math.round(loc.accuracy)} m)` : ''}
                    </Typography>{' '}
                    <a
                      href={`https://www.openstreetmap.org/?mlat=${loc.lat}&mlon=${loc.lng}#map=17/${loc.lat}/${loc.lng}`}
                      target="_blank"
                      rel="noreferrer noopener"
                    >
                      {t('review.map', 'Show on a map (OpenStreetMap, opens a new tab)')}
                    </a>
                  </Card>
                ) : null}
              </Flex>
            </Grid.Item>
          </Grid.Root>
          <Card title={t('record.history', 'History')}>
            <RecordHistory details={details} />
            <Box marginTop={3}>
              <RedactDialog documentId={documentId} details={details} onDone={reload} />
            </Box>
          </Card>
        </Flex>
      </Layouts.Content>
    </Page.Main>
  );
};

export const RecordReviewPage = () => {
  const { documentId = '' } = useParams<{ documentId: string }>();
  // A page per record: Next starts the next one afresh (its decision, its "nothing else" note).
  return (
    <Page.Protect permissions={PERMISSIONS.read}>
      <Review key={documentId} documentId={documentId} />
    </Page.Protect>
  );
};
