/**
 * A capture in progress, as kept on the device until the server has confirmed every part of it. The photo kept is
 * the downscaled JPEG that is uploaded, so a retry sends the very same bytes (which the server answers with 200).
 */
import type { PointGroup } from 'signature_pad';
import { photoSlots } from '../../../cms/src/plugins/eas/shared/photo-slots';
import type { FormDefinition, PublishedForm } from '../../../cms/src/plugins/eas/shared/contracts/form';
import type { CreateRecord, Location, PhotoMetadata } from '../../../cms/src/plugins/eas/shared/contracts/record';
import type { FieldValue } from '../../../cms/src/plugins/eas/shared/validation/field-rules';
import { t } from './messages';

/** "front", "back" or a photo field's key (shared/photo-slots.ts). */
export type PhotoSide = string;

export interface DraftPhoto {
  /** The downscaled JPEG that is uploaded. */
  blob: Blob;
  width: number;
  height: number;
  /** SHA-256 (hex) of the original capture, before downscaling. */
  originalSha256: string;
  metadata: PhotoMetadata;
  /** dHash of the photo from the phone's quality check (lib/photo-check.ts), to compare the other side with; null when
   *  featureless, missing when the check did not run. */
  perceptualHash?: string | null;
}

export interface DraftSignature {
  /** PNG from signature_pad. */
  png: Blob;
  strokes: PointGroup[];
  signerName: string;
  /** The consent text shown to the signer (the slot's text in the form version). */
  consentText: string;
  signedAt: string;
  /** SHA-256 of the record's content when the person signed (lib/content-hash.ts); missing on drafts made before
   *  signatures were bound to content, which get it when they are sent. */
  contentHash?: string;
}

export interface Draft {
  /** UUID made on the device; the server's idempotency key. */
  clientId: string;
  form: { slug: string; name: string; version: number };
  data: Record<string, FieldValue>;
  capturedAt: string;
  location?: Location;
  photos: Partial<Record<PhotoSide, DraftPhoto>>;
  signatures: Record<string, DraftSignature>;
  /** Epoch milliseconds of the last change. */
  updatedAt: number;
  /** When the photos and signatures were removed from the device, the server having confirmed every one of them. */
  mediaRemovedAt?: number;
  /** Set when this draft fixes a rejected record: the record on the server, and the media it already holds. */
  fixing?: FixingRecord;
}

/** A photo the server already holds for a record being fixed (kept unless the person takes it again). */
export interface ServerPhoto {
  /** SHA-256 of the file as the device sent it: what a signature's content hash covers. */
  sha256: string;
  originalSha256: string | null;
  thumbnailUrl: string;
}

/** A signature the server already holds: still valid while the content it endorses is unchanged. */
export interface ServerSignature {
  signerName: string | null;
  signedAt: string | null;
  contentHash: string | null;
  url: string;
}

export interface FixingRecord {
  documentId: string;
  reference: string;
  reviewComment: string | null;
  photos: Partial<Record<PhotoSide, ServerPhoto>>;
  signatures: Record<string, ServerSignature>;
}

export interface NewDraftDeps {
  now: () => Date;
  randomUUID: () => string;
}

export const defaultDraftDeps: NewDraftDeps = { now: () => new Date(), randomUUID: () => globalThis.crypto.randomUUID() };

/** An empty capture of one form version. */
export const newDraft = (form: Pick<PublishedForm, 'slug' | 'name' | 'version'>, deps: NewDraftDeps = defaultDraftDeps): Draft => {
  const now = deps.now();
  return {
    clientId: deps.randomUUID(),
    form: { slug: form.slug, name: form.name, version: form.version },
    data: {},
    capturedAt: now.toISOString(),
    photos: {},
    signatures: {},
    updatedAt: now.getTime(),
  };
};

/** The body of POST /api/eas/records for a draft (only the keys the server accepts). */
export const createRequestOf = (draft: Draft): CreateRecord.Request => ({
  clientId: draft.clientId,
  form: draft.form.slug,
  formVersion: draft.form.version,
  data: draft.data,
  capturedAt: draft.capturedAt,
  ...(draft.location ? { location: draft.location } : {}),
});

export type AttachmentKey = `photo:${PhotoSide}` | `signature:${string}`;

export interface AttachmentRef {
  key: AttachmentKey;
  kind: 'photo' | 'signature';
  /** The photo side or the signature slot. */
  name: string;
  label: string;
  required: boolean;
  /** Changes when the person retakes the photo or signs again. */
  fingerprint: string;
}

/**
 * The draft's photos and signatures in upload order: photos first, then signatures, because a signature endorses the
 * record's content including its photos, and the server checks that against what it already holds. The device
 * submits the record once everything is in.
 */
export const attachmentsOf = (draft: Draft, definition: Pick<FormDefinition, 'photos' | 'signatures' | 'fields'>): AttachmentRef[] => {
  const refs: AttachmentRef[] = [];
  const slots = photoSlots(definition);
  const sides = [...slots.map((p) => p.side), ...Object.keys(draft.photos).filter((s) => !slots.some((p) => p.side === s))];
  for (const side of sides) {
    const photo = draft.photos[side];
    if (!photo) continue;
    const slot = slots.find((p) => p.side === side);
    refs.push({
      key: `photo:${side}`,
      kind: 'photo',
      name: side,
      label: slot?.label || (side === 'front' ? t('record.frontPhoto') : side === 'back' ? t('record.backPhoto') : side),
      required: slot?.required ?? false,
      fingerprint: photo.originalSha256,
    });
  }
  for (const [slot, signature] of Object.entries(draft.signatures)) {
    const def = definition.signatures.find((s) => s.key === slot);
    refs.push({
      key: `signature:${slot}`,
      kind: 'signature',
      name: slot,
      label: def ? t('signatureSlot.title', { role: def.role }) : t('record.signatureSlot', { slot }),
      required: def?.required ?? false,
      fingerprint: `${signature.signedAt}|${signature.signerName}`,
    });
  }
  return refs;
};
