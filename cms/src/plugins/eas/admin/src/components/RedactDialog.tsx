import * as React from 'react';
import { Box, Button, Checkbox, Field, Flex, Modal, TextInput, Typography } from '@strapi/design-system';
import { useNotification } from '@strapi/strapi/admin';
import type { RecordDetails, RedactRecord } from '../../../shared/contracts/record';
import { useRecordActions } from '../hooks/useRecordActions';
import { useT, type Translate } from '../hooks/useT';
import { apiError } from '../utils/api-error';
import { photoName } from '../utils/record-words';
import { Notice } from './Notice';

/** The server asks for a reason of at least this many characters (controllers/validation/redaction.ts). */
const MIN_REASON = 3;

interface Choice {
  id: string;
  group: 'fields' | 'photos' | 'signatures' | 'other';
  key: string;
  label: string;
}

/** What can still be redacted: values present, photos and signatures whose files were not removed yet. */
const choicesOf = (details: RecordDetails, t: Translate): Choice[] => [
  ...details.fields.map((f) => ({ id: `field:${f.key}`, group: 'fields' as const, key: f.key, label: f.label })),
  ...details.photos
    .filter((p) => p.url)
    .map((p) => ({ id: `photo:${p.side}`, group: 'photos' as const, key: p.side, label: `${p.label} (${photoName(p.side, t)})` })),
  ...details.signatures
    .filter((s) => s.url)
    .map((s) => ({
      id: `signature:${s.slot}`,
      group: 'signatures' as const,
      key: s.slot,
      label: t('redact.signature', 'Signature of the {role}', { role: s.role || s.slot }),
    })),
  { id: 'other:location', group: 'other' as const, key: 'location', label: t('redact.location', 'The capture location') },
  {
    id: 'other:comments',
    group: 'other' as const,
    key: 'comments',
    label: t('redact.comments', 'The review comments (also in the history)'),
  },
];

const GROUP_TITLES: Record<Choice['group'], [string, string]> = {
  fields: ['redact.group.fields', 'Recorded information'],
  photos: ['redact.group.photos', 'Photos'],
  signatures: ['redact.group.signatures', 'Signatures (image, strokes and signer’s name)'],
  other: ['redact.group.other', 'Other'],
};

/**
 * "Redact personal data…" for those with plugin::eas.redact: a reason, the values, photos and signatures to remove,
 * then a confirmation that says what stays (the record, its hashes, its history) and that it cannot be undone.
 */
export const RedactDialog = ({ documentId, details, onDone }: { documentId: string; details: RecordDetails; onDone: () => void }) => {
  const t = useT();
  const { redact } = useRecordActions(documentId);
  const { toggleNotification } = useNotification();
  const [open, setOpen] = React.useState(false);
  const [confirming, setConfirming] = React.useState(false);
  const [reason, setReason] = React.useState('');
  const [chosen, setChosen] = React.useState<Set<string>>(new Set());
  const [busy, setBusy] = React.useState(false);
  const [error, setError] = React.useState<string | null>(null);

  const choices = choicesOf(details, t);
  const selected = choices.filter((c) => chosen.has(c.id));
  const ready = reason.trim().length >= MIN_REASON && selected.length > 0;

  const openChange = (next: boolean) => {
    setOpen(next);
    if (next) {
      setConfirming(false);
      setReason('');
      setChosen(new Set());
      setError(null);
    }
  };
  const toggle = (id: string, on: boolean) => setChosen((s) => (on ? new Set(s).add(id) : new Set([...s].filter((x) => x !== id))));

  const submit = async () => {
    const keys = (group: Choice['group']) => selected.filter((c) => c.group === group).map((c) => c.key);
    const body: RedactRecord.Request = {
      reason: reason.trim(),
      fields: keys('fields'),
      photos: keys('photos') as RedactRecord.Request['photos'],
      signatures: keys('signatures'),
      location: keys('other').includes('location'),
      comments: keys('other').includes('comments'),
    };
    setBusy(true);
    setError(null);
    try {
      await redact(body);
      toggleNotification({ type: 'success', message: t('redact.done', 'Personal data redacted') });
      setOpen(false);
      onDone();
    } catch (err) {
      setError(apiError(err).message ?? t('redact.failed', 'The redaction could not be saved.'));
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  };

  if (!details.canRedact) return null;
  return (
    <Modal.Root open={open} onOpenChange={openChange}>
      <Modal.Trigger>
        <Button variant="danger-light" fullWidth disabled={!choices.length}>
          {t('redact.open', 'Redact personal data…')}
        </Button>
      </Modal.Trigger>
      <Modal.Content>
        <Modal.Header>
          <Modal.Title>{t('redact.title', 'Redact personal data of {reference}', { reference: details.reference })}</Modal.Title>
        </Modal.Header>
        <Modal.Body>
          {confirming ? (
            <Notice variant="danger" title={t('redact.confirm.title', 'This cannot be undone')}>
              <Typography variant="omega">{t('redact.confirm.removed', 'These will be removed for good:')}</Typography>
              <Box tag="ul" paddingLeft={5} style={{ listStyle: 'disc' }}>
                {selected.map((c) => (
                  <Typography tag="li" variant="omega" key={c.id}>
                    {c.label}
                  </Typography>
                ))}
              </Box>
              <Typography variant="omega">
                {t(
                  'redact.confirm.kept',
                  'The record stays, with its reference, its status, its recorded hashes and its whole history. The history will say who redacted what, when and why.'
                )}
              </Typography>
            </Notice>
          ) : (
            <Flex direction="column" alignItems="stretch" gap={4}>
              <Typography variant="omega">
                {t(
                  'redact.intro',
                  'At a data-protection request, remove personal data from this record. Choose what to remove and say why.'
                )}
              </Typography>
              {error && (
                <Notice variant="danger" title={t('redact.failed', 'The redaction could not be saved.')} testId="eas-redact-error">
                  <Typography variant="omega">{error}</Typography>
                </Notice>
              )}
              <Field.Root
                name="eas-redact-reason"
                required
                hint={t('redact.reason.hint', 'For example the request’s reference. Kept in the audit log.')}
              >
                <Field.Label>{t('redact.reason', 'Reason')}</Field.Label>
                <TextInput value={reason} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setReason(e.target.value)} />
                <Field.Hint />
              </Field.Root>
              {(Object.keys(GROUP_TITLES) as Choice['group'][]).map((group) => {
                const inGroup = choices.filter((c) => c.group === group);
                if (!inGroup.length) return null;
                return (
                  <Flex
                    key={group}
                    tag="fieldset"
                    direction="column"
                    alignItems="stretch"
                    gap={2}
                    style={{ border: 0, padding: 0, margin: 0 }}
                  >
                    <Typography tag="legend" variant="sigma" textColor="neutral600">
                      {t(...GROUP_TITLES[group])}
                    </Typography>
                    {inGroup.map((c) => (
                      <Checkbox key={c.id} checked={chosen.has(c.id)} onCheckedChange={(on) => toggle(c.id, on === true)}>
                        {c.label}
                      </Checkbox>
                    ))}
                  </Flex>
                );
              })}
            </Flex>
          )}
        </Modal.Body>
        <Modal.Footer>
          {confirming ? (
            <Button variant="tertiary" onClick={() => setConfirming(false)} disabled={busy}>
              {t('redact.back', 'Back')}
            </Button>
          ) : (
            <Modal.Close>
              <Button variant="tertiary">{t('redact.cancel', 'Cancel')}</Button>
            </Modal.Close>
          )}
          {confirming ? (
            <Button variant="danger" loading={busy} onClick={submit}>
              {t('redact.confirm', 'Redact for good')}
            </Button>
          ) : (
            <Button variant="danger-light" disabled={!ready} onClick={() => setConfirming(true)}>
              {t('redact.next', 'Continue')}
            </Button>
          )}
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
};
