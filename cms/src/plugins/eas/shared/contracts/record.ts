/** Request and response shapes of the records API, shared by server, admin and site. */
import type { FieldError } from '../validation/record-data';

export type RecordStatus = 'draft' | 'submitted' | 'approved' | 'rejected';

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
  /** Required media still missing before the record can be submitted. */
  missing: { photos: ('front' | 'back')[]; signatures: string[] };
  photos: PhotoView[];
  signatures: SignatureView[];
  /** SHA-256 over the record and its media (see README, Integrity); frozen once submitted. */
  integrityHash: string | null;
}

export interface PhotoView {
  side: 'front' | 'back';
  width: number;
  height: number;
  bytes: number;
  /** SHA-256 of the stored display copy (what the integrity hash covers). */
  sha256: string;
  /** SHA-256 the device computed over the original capture. */
  originalSha256: string | null;
  takenAt: string | null;
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
  recordHashAtSigning: string | null;
  url: string;
}

/** Capture metadata a device may send with a photo (all optional; GPS only if the person allowed it). */
export interface PhotoMetadata {
  takenAt?: string;
  device?: string;
  orientation?: number;
  gps?: { lat: number; lng: number; accuracy?: number };
}

export namespace PutPhoto {
  /** multipart/form-data: file (JPEG/PNG/WebP), originalSha256, metadata (JSON of PhotoMetadata) */
  export interface Response {
    data: RecordView;
  }
}

export namespace PutSignature {
  /** multipart/form-data: file (PNG), strokes (JSON of signature_pad toData()), signerName, consentText, signedAt */
  export interface Response {
    data: RecordView;
  }
}

export namespace VerifyRecord {
  export interface Response {
    data: { reference: string; match: boolean; status?: RecordStatus; submittedAt?: string | null };
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
  from: RecordStatus | null;
  to: RecordStatus;
  comment: string | null;
  actor: { kind: 'field-staff' | 'admin' | 'system'; name: string | null };
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
  integrityHash: string | null;
  history: RecordHistoryEntry[];
  canReview: boolean;
}
