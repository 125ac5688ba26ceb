/**
 * What a webhook receives (docs/webhooks.md). Pure: the service passes the record as stored.
 * Envelope as Standard Webhooks suggests: { type, timestamp, data }.
 */
import { WEBHOOK_EVENTS, type WebhookEvent } from '../../../shared/contracts/webhooks';

export { WEBHOOK_EVENTS, type WebhookEvent };

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
    /** media.processed: the photo or signature just stored. */
    media?: { kind: 'photo' | 'signature'; slot: string; sha256: string | null };
  };
}

export const recordPayload = (
  type: WebhookEvent,
  row: WebhookRecord,
  opts: { includeData: boolean; at: Date; media?: RecordPayload['data']['media'] }
): RecordPayload => ({
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
    ...(opts.media ? { media: opts.media } : {}),
  },
});

/** integrity.altered: counts, and the altered records an endpoint may hear of (its form's only when it has one). */
export const integrityPayload = (
  event: { altered: number; chainBreaks: number; checkedAt: string; records?: { reference: string; documentId: string; form: string }[] },
  endpoint: { formSlug: string | null },
  at: Date
) => {
  const records = (event.records ?? []).filter((r) => !endpoint.formSlug || r.form === endpoint.formSlug);
  if (endpoint.formSlug && !records.length && !event.chainBreaks) return null;
  return {
    type: 'integrity.altered' as const,
    timestamp: at.toISOString(),
    data: {
      integrity: {
        // An endpoint of one form learns how many of its form's records are altered; the chain is everyone's.
        altered: endpoint.formSlug ? records.length : event.altered,
        chainBreaks: event.chainBreaks,
        checkedAt: event.checkedAt,
        records: records.map(({ reference, documentId }) => ({ reference, documentId })),
      },
    },
  };
};

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
