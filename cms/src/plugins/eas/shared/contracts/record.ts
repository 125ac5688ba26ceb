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
  history: RecordHistoryEntry[];
  canReview: boolean;
}
