/** Request and response shapes of the records API, shared by server, admin and site. */
import type { PhotoFlag, QualityIssue, QualityMeasures } from '../photo-quality';

export type FieldErrorCode =
  | 'required'
  | 'type'
  | 'too_short'
  | 'too_long'
  | 'min'
  | 'max'
  | 'too_few'
  | 'too_many'
  | 'pattern'
  | 'option'
  | 'email'
  | 'phone'
  | 'date'
  | 'datetime'
  | 'step'
  | 'constraint'
  | 'calculation'
  | 'hidden'
  | 'unknown_field'
  | 'invalid_characters'
  | 'geopoint'
  | 'accuracy';

export interface FieldError {
  key: string;
  code: FieldErrorCode;
  message: string;
}

export const RECORD_STATES = ['draft', 'submitted', 'approved', 'rejected'] as const;
export type RecordStatus = (typeof RECORD_STATES)[number];

export interface Location {
  lat: number;
  lng: number;
  accuracy?: number;
}

export interface RecordView {
  documentId: string;
  reference: string;
  clientId: string;
  form: { slug: string; name: string; version: number };
  status: RecordStatus;
  data: Record<string, unknown>;
  capturedAt: string;
  submittedAt: string | null;
  reviewedAt: string | null;
  /** The editor's comment when the record was approved or rejected. */
  reviewComment: string | null;
  location: Location | null;
  createdAt: string;
  updatedAt: string;
  /** What the record still needs before it can be submitted (shared/record-rules.ts). */
  missing: { photos: string[]; signatures: string[]; staleSignatures: string[] };
  /** SHA-256 of the content a signature given now would endorse (shared/integrity.ts, content document). */
  contentHash: string;
  photos: PhotoView[];
  signatures: SignatureView[];
  /** SHA-256 of the record's integrity document (see README, Integrity); frozen once submitted. */
  integrityHash: string | null;
  /** Set when personal data of the record was redacted (data-protection request). */
  redactedAt: string | null;
  /** Display text of the form version's key field (PublishedForm.summaryField); null when empty or redacted. */
  summary: string | null;
}

export interface PhotoView {
  /** "front", "back" or a photo field's key. */
  side: string;
  width: number;
  height: number;
  bytes: number;
  /** SHA-256 of the stored display copy (what the integrity hash covers). */
  sha256: string;
  /** SHA-256 the device computed over the original capture. */
  originalSha256: string | null;
  /** SHA-256 of the file as the device sent it (what a signature's content hash covers). */
  receivedSha256: string | null;
  takenAt: string | null;
  /**
   * Quality measures and flags; null for photos stored before the quality gates. duplicateOf names other records:
   * filled in for editors only (GET /eas/records/:documentId), always [] for field staff.
   */
  quality?: PhotoQuality | null;
  /** Short-lived signed URLs (15 min). */
  url: string;
  thumbnailUrl: string;
}

export interface SignatureView {
  slot: string;
  role: string | null;
  signerName: string | null;
  signedAt: string | null;
  sha256: string;
  /** The content hash this signature endorses. */
  contentHash: string | null;
  /** True while it endorses the record's current content; a stale signature must be given again. */
  bound: boolean;
  url: string;
}

/** Capture metadata a device may send with a photo (all optional; GPS only if the person allowed it). */
export interface PhotoMetadata {
  takenAt?: string;
  device?: string;
  orientation?: number;
  gps?: { lat: number; lng: number; accuracy?: number };
  /** Quality warnings the person saw on the phone and chose to keep the photo anyway ("Use anyway"). */
  qualityOverride?: QualityIssue[];
}

/** What the server found about a stored photo (docs/photo-quality.md); shown to editors. */
export interface PhotoQuality {
  measures: QualityMeasures & { width: number; height: number };
  flags: PhotoFlag[];
  /** References of other records holding a near-identical photo (when this one was stored). */
  duplicateOf: string[];
  /** Warnings the phone showed and the person overrode. */
  overridden: QualityIssue[];
}

export namespace PutPhoto {
  /** multipart/form-data: file (JPEG/PNG/WebP), originalSha256, metadata (JSON of PhotoMetadata) */
  export interface Response {
    data: RecordView;
  }
}

export namespace PutSignature {
  /** multipart/form-data: file (PNG), strokes (JSON of signature_pad toData()), signerName, consentText, signedAt,
   *  contentHash (SHA-256 of the content document the signer saw; see shared/integrity.ts) */
  export interface Response {
    data: RecordView;
  }
}

/** Parts of a record the integrity check can find altered (never their values). */
export type AlteredPart =
  | 'identity'
  | 'data'
  | 'status'
  | 'owner'
  | 'form'
  | 'integrity-hash'
  | 'history'
  | `photo:${string}`
  | `signature:${string}`;

export interface IntegrityFinding {
  part: AlteredPart;
  /** changed: differs from what the audit chain recorded; file: the stored bytes no longer have their SHA-256;
   *  missing: recorded but gone (for `history`: the record has no history in the chain at all); unrecorded: present
   *  but never recorded; chain: its history entries are broken, not written by EAS or change a locked record;
   *  unbound: a signature of a submitted record does not endorse its content. */
  problem: 'changed' | 'file' | 'missing' | 'unrecorded' | 'chain' | 'unbound';
}

export interface IntegrityCheck {
  /** intact: everything matches its recorded hashes; altered: something does not (a record without history in
   *  the chain included); redacted: personal data was removed by an audited redaction (the rest still checked). */
  status: 'intact' | 'altered' | 'redacted';
  findings: IntegrityFinding[];
  /** The integrity hash recomputed from the record as stored now. */
  computedHash: string;
  /** The integrity hash the audit chain recorded last (the one PDFs of it carry). */
  recordedHash: string | null;
  checkedAt: string;
  filesChecked: number;
}

export namespace VerifyRecord {
  export interface Response {
    data: {
      reference: string;
      /** match: the document's hash is the record's, and the record is unchanged; altered: the record no longer
       *  matches what EAS recorded (see `altered`); unknown: the hash is not this record's; redacted: the hash was
       *  the record's, but personal data was since removed at a data-protection request. */
      result: 'match' | 'altered' | 'unknown' | 'redacted';
      match: boolean;
      status?: RecordStatus;
      submittedAt?: string | null;
      /** What no longer matches (names of parts only, nothing personal). */
      altered?: AlteredPart[];
      /** The hash is one an earlier version of the record carried (it was changed and submitted again since). */
      earlierVersion?: { submittedAt: string | null };
      redactedAt?: string;
      checkedAt: string;
    };
  }
}

export namespace CreateRecord {
  export interface Request {
    clientId: string;
    form: string;
    formVersion: number;
    data: Record<string, unknown>;
    capturedAt: string;
    location?: Location;
    /**
     * The user id the device believes owns the record (who was signed in when it was captured). When sent and not
     * the signed-in user's, the server answers 403 `owner_mismatch` and stores nothing: a record queued on a shared
     * phone is never stored under the next worker's account.
     */
    owner?: number;
  }
  export interface Response {
    data: RecordView;
  }
  /** 400 body's error.details */
  export interface ErrorDetails {
    errors: (FieldError & { path: string[] })[];
  }
}

export namespace UpdateRecord {
  export interface Request {
    data?: Record<string, unknown>;
    capturedAt?: string;
    location?: Location | null;
  }
}

export namespace ListRecords {
  export interface Query {
    page?: number;
    pageSize?: number;
    status?: RecordStatus;
    form?: string;
  }
  export interface Response {
    data: RecordView[];
    meta: { pagination: { page: number; pageSize: number; pageCount: number; total: number } };
  }
}

export namespace ReviewRecord {
  export interface Request {
    decision: 'approve' | 'reject';
    comment?: string;
  }
}

export interface RecordHistoryEntry {
  /** Position in the audit chain. */
  seq: number;
  /** record.created, photo.stored, signature.stored, record.submitted, record.reviewed, record.exported, … */
  action: string;
  from: RecordStatus | null;
  to: RecordStatus | null;
  comment: string | null;
  /** The photo side or signature slot an upload was for. */
  slot: string | null;
  /** Who, as the chain recorded them: the account id (which never changes) and the name it had then. */
  actor: { kind: 'field-staff' | 'admin' | 'system'; id: number | null; name: string | null };
  at: string;
}

/** What the admin's record panel shows: values with their labels from the record's form version. */
export interface RecordDetails {
  reference: string;
  status: RecordStatus;
  form: { slug: string; name: string; version: number };
  owner: { username: string; email: string } | null;
  fields: { key: string; label: string; type: string; value: unknown; display: string }[];
  photos: (PhotoView & { label: string })[];
  signatures: (SignatureView & { consentText: string })[];
  /** Where the phone was when the record was captured (null: not given, or redacted). */
  location: Location | null;
  capturedAt: string;
  submittedAt: string | null;
  integrityHash: string | null;
  /** The integrity check run for this view: recomputed hashes and re-hashed files. */
  integrity: IntegrityCheck;
  redactedAt: string | null;
  history: RecordHistoryEntry[];
  canReview: boolean;
  canRedact: boolean;
}

export namespace RedactRecord {
  export interface Request {
    /** Why (e.g. the data-protection request's reference); kept in the audit log. */
    reason: string;
    /** Field keys whose values are removed. */
    fields?: string[];
    /** Photo sides whose files are deleted. */
    photos?: string[];
    /** Signature slots whose image, strokes and signer name are removed. */
    signatures?: string[];
    /** Remove the capture location. */
    location?: boolean;
    /** Remove the review comments (on the record and in its history notes). */
    comments?: boolean;
  }
}
