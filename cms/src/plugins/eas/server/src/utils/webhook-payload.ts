/**
 * What a webhook receives (docs/webhooks.md). Pure: the service passes the record as stored.
 * Envelope as Standard Webhooks suggests: { type, timestamp, data }.
 */
export const WEBHOOK_EVENTS = ['record.created', 'record.submitted', 'record.reviewed', 'export.done'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export interface WebhookRecord {
  id: number;
  documentId: string;
  reference: string;
  state: string;
  formSlug: string;
  formVersion: { version: number; slug: string } | null;
  data: Record<string, unknown> | null;
  capturedAt: string | Date | null;
  submittedAt: string | Date | null;
  reviewedAt: string | Date | null;
  createdAt: string | Date;
  updatedAt: string | Date;
}

const iso = (v: string | Date | null | undefined) => (v ? new Date(v).toISOString() : null);

export interface RecordPayload {
  type: WebhookEvent;
  timestamp: string;
  data: {
    record: {
      id: number;
      documentId: string;
      reference: string;
      form: { key: string; version: number | null };
      status: string;
      capturedAt: string | null;
      submittedAt: string | null;
      reviewedAt: string | null;
      createdAt: string | null;
      updatedAt: string | null;
      data?: Record<string, unknown> | null;
    };
  };
}

export const recordPayload = (type: WebhookEvent, row: WebhookRecord, opts: { includeData: boolean; at: Date }): RecordPayload => ({
  type,
  timestamp: opts.at.toISOString(),
  data: {
    record: {
      id: row.id,
      documentId: row.documentId,
      reference: row.reference,
      form: { key: row.formVersion?.slug ?? row.formSlug, version: row.formVersion?.version ?? null },
      status: row.state,
      capturedAt: iso(row.capturedAt),
      submittedAt: iso(row.submittedAt),
      reviewedAt: iso(row.reviewedAt),
      createdAt: iso(row.createdAt),
      updatedAt: iso(row.updatedAt),
      ...(opts.includeData ? { data: row.data ?? null } : {}),
    },
  },
});

/** Whether an endpoint wants this event of this form. */
export const wants = (
  endpoint: { events: unknown; formSlug: string | null; enabled: boolean },
  type: WebhookEvent,
  formSlug: string | null
) =>
  endpoint.enabled &&
  Array.isArray(endpoint.events) &&
  endpoint.events.includes(type) &&
  (!endpoint.formSlug || endpoint.formSlug === formSlug);

/** Delay before attempt n+1 after n failed attempts: base·2^(n-1), at most maxMs. */
export const retryDelayMs = (failedAttempts: number, baseMs: number, maxMs: number) =>
  Math.min(maxMs, baseMs * 2 ** Math.max(0, failedAttempts - 1));
