/**
 * Fix and resend: a rejected record becomes a draft on the phone again — its data as the server keeps it, and the
 * photos and signatures the server holds, which stay unless the person replaces them. A signature stays valid only
 * while the content it endorses is unchanged (shared/integrity.ts): after any change it must be given again.
 */
import type { RecordView } from '../../../cms/src/plugins/eas/shared/contracts/record';
import type { FieldValue } from '../../../cms/src/plugins/eas/shared/validation/field-rules';
import type { Draft, FixingRecord, PhotoSide } from './draft';

export const fixingOf = (record: RecordView): FixingRecord => ({
  documentId: record.documentId,
  reference: record.reference,
  reviewComment: record.reviewComment,
  photos: Object.fromEntries(
    record.photos.map((p) => [
      p.side,
      { sha256: p.receivedSha256 ?? p.sha256, originalSha256: p.originalSha256, thumbnailUrl: p.thumbnailUrl },
    ])
  ) as FixingRecord['photos'],
  signatures: Object.fromEntries(
    record.signatures.map((s) => [s.slot, { signerName: s.signerName, signedAt: s.signedAt, contentHash: s.contentHash, url: s.url }])
  ),
});

/**
 * The draft that fixes `record`: the one already on the phone when the person started fixing it before (their
 * changes are kept, the server's media and comment refreshed), else a new one from the server's copy.
 */
export const fixDraftOf = (record: RecordView, local: Draft | undefined, now = Date.now()): Draft => {
  const fixing = fixingOf(record);
  if (local?.fixing?.documentId === record.documentId) return { ...local, fixing };
  return {
    clientId: record.clientId,
    form: { ...record.form },
    data: record.data as Record<string, FieldValue>,
    capturedAt: record.capturedAt,
    ...(record.location ? { location: record.location } : {}),
    photos: {},
    signatures: {},
    updatedAt: now,
    fixing,
  };
};

/** The photos a signature given now endorses: the ones taken again on the phone, else the server's. */
export const photoHashesOf = async (
  draft: Pick<Draft, 'photos' | 'fixing'>,
  sha256: (blob: Blob) => Promise<string>
): Promise<{ side: string; sha256: string }[]> => {
  const sides: PhotoSide[] = [...new Set([...Object.keys(draft.photos), ...Object.keys(draft.fixing?.photos ?? {})])];
  const out: { side: string; sha256: string }[] = [];
  for (const side of sides) {
    const local = draft.photos[side];
    if (local) out.push({ side, sha256: await sha256(local.blob) });
    else if (draft.fixing?.photos[side]) out.push({ side, sha256: draft.fixing.photos[side]!.sha256 });
  }
  return out;
};

/** The server's signatures that still endorse the content (`contentHash`): no need to sign again. */
export const boundServerSignatures = (draft: Pick<Draft, 'fixing' | 'signatures'>, contentHash: string): Set<string> =>
  new Set(
    Object.entries(draft.fixing?.signatures ?? {})
      .filter(([slot, s]) => !draft.signatures[slot] && s.contentHash === contentHash)
      .map(([slot]) => slot)
  );
