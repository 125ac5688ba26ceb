import * as React from 'react';
import { Button, Field, Flex, Textarea, Typography } from '@strapi/design-system';
import { useNotification } from '@strapi/strapi/admin';
import type { RecordDetails, ReviewRecord } from '../../../shared/contracts/record';
import { useRecordActions } from '../hooks/useRecordActions';
import { useT } from '../hooks/useT';
import { apiError } from '../utils/api-error';
import { Notice } from './Notice';

interface ReviewActionsProps {
  documentId: string;
  details: RecordDetails;
  /** Called after a decision was saved or refused, to show the record as it is now. */
  onChange: () => void;
  /** Called after a decision was saved (the review page then offers the next record). */
  onDecided?: (decision: ReviewRecord.Request['decision']) => void;
  /** Alt+A approves, Alt+R rejects (with a comment) — on the review page, where the actions are fixed at the top. */
  shortcuts?: boolean;
}

/**
 * Approve or reject a submitted record, with the editor's comment (required to reject). Approval is not offered
 * for an altered record; should it become altered meanwhile, the server refuses (409) and its answer is shown.
 */
export const ReviewActions = ({ documentId, details, onChange, onDecided, shortcuts = false }: ReviewActionsProps) => {
  const t = useT();
  const { review } = useRecordActions(documentId);
  const { toggleNotification } = useNotification();
  const [comment, setComment] = React.useState('');
  const [busy, setBusy] = React.useState(false);
  const [refusal, setRefusal] = React.useState<string | null>(null);

  const altered = details.integrity.status === 'altered';
  const commentBox = React.useRef<HTMLTextAreaElement>(null);
  const decide = async (decision: ReviewRecord.Request['decision']) => {
    setBusy(true);
    setRefusal(null);
    try {
      await review({ decision, ...(comment.trim() ? { comment: comment.trim() } : {}) });
      toggleNotification({
        type: 'success',
        message: decision === 'approve' ? t('record.approved', 'Record approved') : t('record.rejected', 'Record rejected'),
      });
      setComment('');
      onChange();
      onDecided?.(decision);
    } catch (err) {
      const { status, message } = apiError(err);
      toggleNotification({ type: 'danger', message: message ?? t('record.review-failed', 'The decision could not be saved.') });
      if (status === 409) {
        // Altered since it was loaded, or decided by someone else: keep the server's reason in view, show the record as it is now.
        setRefusal(message ?? t('record.review-refused', 'The decision was refused: the record changed meanwhile.'));
        onChange();
      }
    } finally {
      setBusy(false);
    }
  };

  React.useEffect(() => {
    if (!shortcuts || !details.canReview) return;
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || busy) return;
      const key = e.key.toLowerCase();
      if (key === 'a' && !altered) {
        e.preventDefault();
        void decide('approve');
      } else if (key === 'r') {
        e.preventDefault();
        if (comment.trim()) void decide('reject');
        else commentBox.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  if (!details.canReview) return null;

  return (
    <Flex direction="column" alignItems="stretch" gap={2}>
      {refusal && (
        <Notice variant="danger" title={t('record.review-refused.title', 'The decision was not saved')} testId="eas-review-refused">
          <Typography variant="omega">{refusal}</Typography>
        </Notice>
      )}
      <Field.Root name="eas-review-comment" hint={t('record.comment-hint', 'Required when rejecting: tell the field staff what to fix.')}>
        <Field.Label>{t('record.comment', 'Review comment')}</Field.Label>
        <Textarea ref={commentBox} value={comment} onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setComment(e.target.value)} />
        <Field.Hint />
      </Field.Root>
      <Flex gap={2} wrap="wrap">
        {!altered && (
          <Button variant="success" loading={busy} onClick={() => decide('approve')}>
            {t('record.approve', 'Approve')}
            {shortcuts ? ' (Alt+A)' : ''}
          </Button>
        )}
        <Button variant="danger-light" loading={busy} disabled={!comment.trim()} onClick={() => decide('reject')}>
          {t('record.reject', 'Reject')}
          {shortcuts ? ' (Alt+R)' : ''}
        </Button>
      </Flex>
      {altered && (
        <Typography variant="pi" textColor="neutral600" data-testid="eas-approve-withheld">
          {t('record.approve-withheld', 'Approval is not offered: the record no longer matches what EAS recorded.')}
        </Typography>
      )}
    </Flex>
  );
};
