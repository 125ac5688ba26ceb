import * as React from 'react';
import { Box, Flex, Typography } from '@strapi/design-system';
import { CheckCircle, WarningCircle } from '@strapi/icons';
import { useIntl } from 'react-intl';
import type { PhotoQuality, RecordDetails } from '../../../shared/contracts/record';
import { useT, type Translate } from '../hooks/useT';

type Signature = RecordDetails['signatures'][number];

/** Keeps a status icon its size beside text that wraps in the narrow panel. */
const ICON_STYLE = { flexShrink: 0, marginTop: '0.2rem' };

const Redacted = ({ t }: { t: Translate }) => (
  <Box background="neutral100" hasRadius padding={3}>
    <Typography variant="pi" textColor="neutral600">
      {t('evidence.redacted', 'Removed by a redaction')}
    </Typography>
  </Box>
);

/**
 * Whether the signature endorses the record as it is now (its content hash is the record's content hash). A
 * redaction changes the content on purpose, so after one an unbound signature endorsed the content before it.
 */
export const Binding = ({ signature, redacted, t }: { signature: Signature; redacted: boolean; t: Translate }) =>
  signature.bound ? (
    <Flex gap={1} alignItems="flex-start" data-testid={`eas-signature-bound-${signature.slot}`}>
      <CheckCircle fill="success600" width="1.2rem" height="1.2rem" aria-hidden style={ICON_STYLE} />
      <Typography variant="pi" textColor="success700">
        {t('evidence.signature.bound', 'Given over the content of this record')}
      </Typography>
    </Flex>
  ) : redacted ? (
    <Typography variant="pi" textColor="neutral600" data-testid={`eas-signature-redacted-${signature.slot}`}>
      {t('evidence.signature.before-redaction', 'Given over the content as it was before the redaction')}
    </Typography>
  ) : (
    <Flex gap={1} alignItems="flex-start" data-testid={`eas-signature-stale-${signature.slot}`} role="status">
      <WarningCircle fill="warning600" width="1.2rem" height="1.2rem" aria-hidden style={ICON_STYLE} />
      <Typography variant="pi" textColor="warning700">
        {t('evidence.signature.stale', 'Given over different content — the record changed after this signature')}
      </Typography>
    </Flex>
  );

const SignatureItem = ({ signature, redacted, t }: { signature: Signature; redacted: boolean; t: Translate }) => {
  const { formatDate } = useIntl();
  const role = signature.role || signature.slot;
  return (
    <Box marginTop={3}>
      {signature.url ? (
        <img
          src={signature.url}
          alt={t('record.signature-of', 'Signature of {name}', { name: signature.signerName ?? role })}
          style={{ maxWidth: '100%', background: '#fff', display: 'block' }}
        />
      ) : (
        <Redacted t={t} />
      )}
      <Typography variant="pi" tag="p">
        {role}
        {signature.signerName ? `: ${signature.signerName}` : ''}
        {signature.signedAt ? ` · ${formatDate(signature.signedAt, { dateStyle: 'medium', timeStyle: 'short' })}` : ''}
      </Typography>
      <Binding signature={signature} redacted={redacted} t={t} />
    </Box>
  );
};

const FLAG_TEXT: Record<string, string> = {
  blurred: 'Blurred',
  dark: 'Too dark',
  overexposed: 'Over-exposed',
  low_resolution: 'Below the minimum resolution',
  same_as_other_side: 'Same as the other side',
  time_mismatch: 'Taken at another time than the record',
  gps_mismatch: 'Taken at another place than the record',
  duplicate_of_other_record: 'Also in another record',
};

/** The quality flags of one photo (docs/photo-quality.md), with the records holding a near-identical photo. */
const PhotoFlags = ({ quality, t }: { quality: PhotoQuality | null; t: Translate }) => {
  if (!quality?.flags.length) return null;
  return (
    <Box marginTop={1} data-testid="photo-flags">
      {quality.flags.map((f) => (
        <Typography key={f} tag="p" variant="pi" textColor="danger600">
          ⚠ {t(`photo.flag.${f}`, FLAG_TEXT[f] ?? f)}
          {f === 'duplicate_of_other_record' && quality.duplicateOf.length ? `: ${quality.duplicateOf.join(', ')}` : ''}
          {quality.overridden.includes(f as never) ? ` ${t('photo.flag.overridden', '(kept anyway on the phone)')}` : ''}
        </Typography>
      ))}
    </Box>
  );
};

/** The record's photos (thumbnails linking to the full image) and signatures, each with whether it is still bound. */
export const RecordEvidence = ({ details }: { details: RecordDetails }) => {
  const t = useT();
  if (!details.photos.length && !details.signatures.length) return null;
  return (
    <Box>
      <Typography variant="sigma" textColor="neutral600" tag="h3">
        {t('record.evidence', 'Photos and signatures')}
      </Typography>
      <Flex gap={2} marginTop={2} wrap="wrap" alignItems="flex-start">
        {details.photos.map((p) => (
          <Box key={p.side} tag="figure" margin={0} width="45%">
            {p.url ? (
              <a href={p.url} target="_blank" rel="noreferrer noopener">
                <img src={p.thumbnailUrl} alt={p.label} style={{ width: '100%', borderRadius: 4, display: 'block' }} />
              </a>
            ) : (
              <Redacted t={t} />
            )}
            <Typography tag="figcaption" variant="pi" textColor="neutral600">
              {p.label}
            </Typography>
            <PhotoFlags quality={p.quality ?? null} t={t} />
          </Box>
        ))}
      </Flex>
      {details.signatures.map((s) => (
        <SignatureItem key={s.slot} signature={s} redacted={Boolean(details.redactedAt)} t={t} />
      ))}
    </Box>
  );
};
