/**
 * Records as the database returns them (RecordRow, populated with POPULATE) and as the API shows them (RecordView,
 * RecordEvent). Pure mappers: the caller passes the URL signer for media.
 */
import type { PhotoQuality, RecordStatus, RecordView } from '../../../shared/contracts/record';
import { photoSlots } from '../../../shared/photo-slots';
import type { RecordEvent } from '../../../shared/events';
import { recordSummary } from '../../../shared/display';
import { outstanding } from '../../../shared/record-rules';
import type { FormVersionRow } from '../services/form';
import { contentHashOf } from './record-state';

export interface FieldStaff {
  id: number;
  username: string;
}

export interface FileRef {
  id: number;
  sha256: string;
  storageKey: string;
  redactedAt: string | null;
}

export interface PhotoRow {
  id: number;
  /** "front", "back" or a photo field's key. */
  side: string;
  width: number;
  height: number;
  bytes: number;
  sha256: string;
  originalSha256: string | null;
  receivedSha256: string;
  metadata: { takenAt?: string } | null;
  quality?: PhotoQuality | null;
  perceptualHash?: string | null;
  file: FileRef | null;
  thumbnail: FileRef | null;
}

export interface SignatureRow {
  id: number;
  slot: string;
  role: string | null;
  signerName: string | null;
  signedAt: string | null;
  sha256: string;
  receivedSha256: string;
  contentHash: string | null;
  strokes: unknown;
  strokesSha256: string | null;
  /** The consent text the signer read and signed, and its language (older rows: the slot's text, no language). */
  consentText?: string | null;
  consentLanguage?: string | null;
  file: FileRef | null;
}

export interface RecordRow {
  id: number;
  documentId: string;
  reference: string;
  clientId: string;
  formSlug: string;
  state: RecordStatus;
  data: Record<string, unknown> | null;
  capturedAt: string;
  submittedAt: string | null;
  reviewedAt: string | null;
  reviewComment: string | null;
  location: RecordView['location'];
  payloadHash: string;
  createdAt: string;
  updatedAt: string;
  redactedAt: string | null;
  formVersion: FormVersionRow;
  owner: { id: number; username: string; email: string } | null;
  capturedBy: string | null;
  integrityHash: string | null;
  photos: PhotoRow[];
  signatures: SignatureRow[];
}

const FILE = { select: ['id', 'sha256', 'storageKey', 'redactedAt'] };

/** Everything a RecordRow holds. */
export const POPULATE = {
  formVersion: true,
  owner: { select: ['id', 'username', 'email'] },
  photos: { populate: { file: FILE, thumbnail: FILE } },
  signatures: { populate: { file: FILE } },
};

/** A file id → a short-lived URL an <img> can load. */
export type UrlSigner = (fileId: number) => string;

const iso = (v: string | Date | null) => (v ? new Date(v).toISOString() : null);
/** A photo's place in the form's order: front, back, then the photo fields (unknown ones last). */
const slotIndex = (definition: Parameters<typeof photoSlots>[0], side: string) => {
  const i = photoSlots(definition).findIndex((p) => p.side === side);
  return i === -1 ? Number.MAX_SAFE_INTEGER : i;
};
const url = (file: FileRef | null, sign: UrlSigner) => (file && !file.redactedAt ? sign(file.id) : '');

/** What the dashboard and the owner's device are told about a record (see shared/events.ts). */
export const toRecordEvent = (row: RecordRow, sign: UrlSigner): RecordEvent => {
  const thumb = row.photos?.find((p) => p.side === 'front')?.thumbnail ?? row.photos?.[0]?.thumbnail ?? null;
  return {
    documentId: row.documentId,
    reference: row.reference,
    form: { slug: row.formVersion.slug, name: row.formVersion.name },
    summary: recordSummary(row.formVersion.definition, row.data),
    owner: row.owner ? { id: row.owner.id, username: row.owner.username } : null,
    status: row.state,
    capturedAt: iso(row.capturedAt),
    submittedAt: iso(row.submittedAt),
    reviewedAt: iso(row.reviewedAt),
    reviewComment: row.reviewComment ?? null,
    thumbnailUrl: url(thumb, sign) || null,
    at: new Date().toISOString(),
  };
};

export const toRecordView = (row: RecordRow, sign: UrlSigner): RecordView => {
  const contentHash = contentHashOf({ ...row, photos: row.photos ?? [] });
  return {
    documentId: row.documentId,
    reference: row.reference,
    clientId: row.clientId,
    form: { slug: row.formVersion.slug, name: row.formVersion.name, version: row.formVersion.version },
    status: row.state,
    data: row.data ?? {},
    capturedAt: iso(row.capturedAt)!,
    submittedAt: iso(row.submittedAt),
    reviewedAt: iso(row.reviewedAt),
    reviewComment: row.reviewComment ?? null,
    location: row.location ?? null,
    createdAt: iso(row.createdAt)!,
    updatedAt: iso(row.updatedAt)!,
    missing: outstanding(row.formVersion.definition, { photos: row.photos ?? [], signatures: row.signatures ?? [] }, contentHash),
    contentHash,
    photos: [...(row.photos ?? [])]
      .sort((a, b) => slotIndex(row.formVersion.definition, a.side) - slotIndex(row.formVersion.definition, b.side))
      .map((p) => ({
        side: p.side,
        width: p.width,
        height: p.height,
        bytes: p.bytes,
        sha256: p.sha256,
        originalSha256: p.originalSha256 ?? null,
        receivedSha256: p.receivedSha256 ?? null,
        takenAt: p.metadata?.takenAt ?? null,
        // Other records' references are for editors (review service), not for the person who took the photo.
        quality: p.quality ? { ...p.quality, duplicateOf: [] } : null,
        url: url(p.file, sign),
        thumbnailUrl: url(p.thumbnail, sign),
      })),
    signatures: [...(row.signatures ?? [])]
      .sort((a, b) => (a.slot < b.slot ? -1 : a.slot > b.slot ? 1 : 0))
      .map((s) => ({
        slot: s.slot,
        role: s.role ?? null,
        signerName: s.signerName ?? null,
        signedAt: iso(s.signedAt),
        sha256: s.sha256,
        contentHash: s.contentHash ?? null,
        bound: s.contentHash === contentHash,
        url: url(s.file, sign),
      })),
    integrityHash: row.integrityHash ?? null,
    redactedAt: iso(row.redactedAt),
    summary: recordSummary(row.formVersion.definition, row.data),
  };
};

export type { FormVersionRow };
