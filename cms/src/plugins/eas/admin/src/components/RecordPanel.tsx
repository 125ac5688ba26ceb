import * as React from 'react';
import { Badge, Box, Button, Field, Flex, Textarea, Typography } from '@strapi/design-system';
import { useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import type { RecordDetails } from '../../../shared/contracts/record';
import { getTranslation } from '../pluginId';

export const RECORD_UID = 'plugin::eas.record';

const STATUS_VARIANT: Record<RecordDetails['status'], 'secondary' | 'success' | 'danger' | 'neutral'> = {
  draft: 'neutral',
  submitted: 'secondary',
  approved: 'success',
  rejected: 'danger',
};

const useRecordDetails = (documentId: string) => {
  const { get } = useFetchClient();
  const [state, setState] = React.useState<{ details?: RecordDetails; error?: string }>({});
  const load = React.useCallback(() => {
    get<{ data: RecordDetails }>(`/eas/records/${documentId}`)
      .then(({ data }) => setState({ details: data.data }))
      .catch((err: { response?: { data?: { error?: { message?: string } } } }) =>
        setState({ error: err.response?.data?.error?.message ?? 'Could not load the record.' })
      );
  }, [get, documentId]);
  React.useEffect(load, [load]);
  return { ...state, reload: load };
};

/** Captured values with their labels (from the record's form version), history, and approve/reject for editors. */
const RecordReview = ({ documentId }: { documentId: string }) => {
  const { formatMessage, formatDate } = useIntl();
  const t = (id: string, defaultMessage: string, values?: Record<string, React.ReactNode>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values) as string;
  const { post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { details, error, reload } = useRecordDetails(documentId);
  const [comment, setComment] = React.useState('');
  const [busy, setBusy] = React.useState(false);

  if (error) return <Typography textColor="danger600">{error}</Typography>;
  if (!details) return <Typography textColor="neutral600">{t('record.loading', 'Loading…')}</Typography>;

  const decide = async (decision: 'approve' | 'reject') => {
    setBusy(true);
    try {
      await post(`/eas/records/${documentId}/review`, { decision, ...(comment.trim() ? { comment: comment.trim() } : {}) });
      toggleNotification({
        type: 'success',
        message: decision === 'approve' ? t('record.approved', 'Record approved') : t('record.rejected', 'Record rejected'),
      });
      setComment('');
      reload();
    } catch (err) {
      const message = (err as { response?: { data?: { error?: { message?: string } } } }).response?.data?.error?.message;
      toggleNotification({ type: 'danger', message: message ?? t('record.review-failed', 'The decision could not be saved.') });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Flex direction="column" alignItems="stretch" gap={4} width="100%">
      <Flex gap={2} wrap="wrap">
        <Badge variant={STATUS_VARIANT[details.status]} data-testid="eas-record-status">
          {t(`overview.state.${details.status}`, details.status)}
        </Badge>
        <Typography variant="pi" textColor="neutral600">
          {details.form.name} · v{details.form.version}
        </Typography>
      </Flex>
      {details.owner && (
        <Typography variant="pi">
          {t('record.captured-by', 'Captured by {name}', { name: details.owner.username })}
        </Typography>
      )}

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

      {(details.photos.length > 0 || details.signatures.length > 0) && (
        <Box>
          <Typography variant="sigma" textColor="neutral600" tag="h3">
            {t('record.evidence', 'Photos and signatures')}
          </Typography>
          <Flex gap={2} marginTop={2} wrap="wrap" alignItems="flex-start">
            {details.photos.map((p) => (
              <Box key={p.side} tag="figure" margin={0} width="45%">
                <a href={p.url} target="_blank" rel="noreferrer noopener">
                  <img src={p.thumbnailUrl} alt={p.label} style={{ width: '100%', borderRadius: 4, display: 'block' }} />
                </a>
                <Typography tag="figcaption" variant="pi" textColor="neutral600">
                  {p.label}
                </Typography>
              </Box>
            ))}
          </Flex>
          {details.signatures.map((s) => (
            <Box key={s.slot} marginTop={2}>
              <img src={s.url} alt={t('record.signature-of', 'Signature of {name}', { name: s.signerName ?? '' })} style={{ maxWidth: '100%', background: '#fff' }} />
              <Typography variant="pi" tag="p">
                {s.role}: {s.signerName}
                {s.signedAt ? ` · ${formatDate(s.signedAt, { dateStyle: 'medium', timeStyle: 'short' })}` : ''}
              </Typography>
            </Box>
          ))}
          {details.integrityHash && (
            <Typography variant="pi" textColor="neutral600" tag="p" style={{ wordBreak: 'break-all', marginTop: 8 }}>
              {t('record.integrity', 'Integrity hash')}: {details.integrityHash}
            </Typography>
          )}
        </Box>
      )}

      {details.canReview && (
        <Flex direction="column" alignItems="stretch" gap={2}>
          <Field.Root name="eas-review-comment" hint={t('record.comment-hint', 'Required when rejecting: tell the field staff what to fix.')}>
            <Field.Label>{t('record.comment', 'Review comment')}</Field.Label>
            <Textarea value={comment} onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setComment(e.target.value)} />
            <Field.Hint />
          </Field.Root>
          <Flex gap={2}>
            <Button variant="success" loading={busy} onClick={() => decide('approve')}>
              {t('record.approve', 'Approve')}
            </Button>
            <Button variant="danger-light" loading={busy} disabled={!comment.trim()} onClick={() => decide('reject')}>
              {t('record.reject', 'Reject')}
            </Button>
          </Flex>
        </Flex>
      )}

      <Box>
        <Typography variant="sigma" textColor="neutral600" tag="h3">
          {t('record.history', 'History')}
        </Typography>
        <Box tag="ol" marginTop={2} paddingLeft={4}>
          {details.history.map((h, i) => (
            <Box tag="li" key={i} marginBottom={1}>
              <Typography variant="pi">
                {formatDate(h.at, { dateStyle: 'medium', timeStyle: 'short' })} · {h.from ?? '—'} → {h.to}
                {h.actor.name ? ` · ${h.actor.name}` : ''}
                {h.comment ? ` — “${h.comment}”` : ''}
              </Typography>
            </Box>
          ))}
        </Box>
      </Box>
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
