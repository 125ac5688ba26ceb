/**
 * The sync state of one record, as a pure state machine:
 *
 *   draft → queued → creating → uploading (each attachment: pending → uploading(progress) → done(receipt))
 *         → submitted → approved | rejected (later, by an editor)
 *   any step ──retryable failure──▶ waiting (exponential backoff with jitter) ──▶ resumes where it stopped
 *   any step ──permanent failure──▶ failed (readable message, the record stays on the device)
 *   uploading ──server still misses media this device does not have──▶ incomplete
 *
 * Time and randomness come in with the events, so the reducer is deterministic.
 */
import type { RecordStatus, RecordView } from '../../../cms/src/plugins/eas/shared/contracts/record';
import type { ApiErrorKind, RecordFieldError } from './api-error';
import type { AttachmentKey, AttachmentRef } from './draft';
import { t, tn } from './messages';

export type SyncStatus =
  | 'draft'
  | 'queued'
  | 'creating'
  | 'uploading'
  | 'submitting'
  | 'waiting'
  | 'failed'
  | 'incomplete'
  | 'submitted'
  | 'approved'
  | 'rejected';

export type AttachmentState = 'pending' | 'uploading' | 'done' | 'failed';

export interface AttachmentSync extends AttachmentRef {
  state: AttachmentState;
  /** 0..1 while uploading. */
  progress: number;
  /** The server's SHA-256 of the stored copy, once confirmed. */
  receipt: string | null;
  error: string | null;
}

export interface SyncError {
  kind: ApiErrorKind | 'unknown';
  status: number;
  message: string;
  /** Per-field errors of a 400 answer, to show beside the fields. */
  fieldErrors: RecordFieldError[];
}

export interface SyncItem {
  clientId: string;
  form: { slug: string; name: string; version: number };
  status: SyncStatus;
  documentId: string | null;
  reference: string | null;
  serverStatus: RecordStatus | null;
  missing: RecordView['missing'] | null;
  attachments: AttachmentSync[];
  /** Failed attempts since the last success. */
  attempts: number;
  /** Epoch ms before which a waiting item is not retried. */
  nextAttemptAt: number | null;
  lastError: SyncError | null;
  createdAt: number;
  updatedAt: number;
  /**
   * Present while a rejected record is being resent: its changed data is sent first (PUT), then the changed media,
   * then it is submitted again. Until then the server's "rejected" is not the end of it.
   */
  fix?: { dataSent: boolean };
}

export type SyncEvent =
  | { type: 'queue'; at: number; attachments: AttachmentRef[] }
  /** The person fixed a rejected record and sends it again. */
  | { type: 'resend'; at: number; attachments: AttachmentRef[]; documentId: string; reference: string | null }
  /** The fixed data of a rejected record reached the server. */
  | { type: 'data-sent'; at: number; record: RecordView }
  | { type: 'start'; at: number }
  | { type: 'created'; at: number; record: RecordView }
  | { type: 'upload-start'; at: number; key: AttachmentKey }
  | { type: 'upload-progress'; at: number; key: AttachmentKey; progress: number }
  | { type: 'uploaded'; at: number; key: AttachmentKey; record: RecordView }
  /** The server refused one attachment for good; the rest of the record goes on. */
  | { type: 'attachment-refused'; at: number; key: AttachmentKey; message: string }
  | { type: 'submit-start'; at: number }
  | { type: 'server-record'; at: number; record: RecordView }
  | { type: 'error'; at: number; error: SyncError; retryable: boolean; random: number; key?: AttachmentKey }
  /** Stop without counting an attempt (e.g. the session ended): picked up again on the next run. */
  | { type: 'pause'; at: number; error: SyncError };

export const BACKOFF = { baseMs: 2_000, capMs: 5 * 60_000 };
/**
 * No connection: trying again costs neither the server nor the network anything, and the browser's own "online"
 * signal cannot be trusted (a phone on a Wi-Fi without a route, a captive portal, a server that is down all say
 * "online" and never say it again), so a device without a connection tries at least every 30 s.
 */
export const OFFLINE_BACKOFF = { ...BACKOFF, capMs: 30_000 };

/**
 * Delay before retry number `attempt` (0-based): 2 s·2^attempt capped at 5 min, with "equal jitter" — half fixed,
 * half random — so devices that went offline together do not come back together.
 */
export const backoffDelay = (attempt: number, random: number, { baseMs, capMs } = BACKOFF): number => {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt));
  const r = Math.min(1, Math.max(0, random));
  return Math.round(ceiling / 2 + (r * ceiling) / 2);
};

const TERMINAL = new Set<SyncStatus>(['submitted', 'approved', 'rejected']);
const IN_FLIGHT = new Set<SyncStatus>(['creating', 'uploading', 'submitting']);

export const isSent = (item: SyncItem) => TERMINAL.has(item.status);
/** Still to be sent by the device without anyone's help. */
export const isUnsent = (item: SyncItem) => item.status === 'queued' || item.status === 'waiting' || IN_FLIGHT.has(item.status);
/** Needs the person: a refused record or media the server still misses. */
export const needsAttention = (item: SyncItem) => item.status === 'failed' || item.status === 'incomplete';

/** Whether the runner should work on the item now (in-flight items were interrupted, e.g. by a reload). */
export const isDue = (item: SyncItem, now: number, force = false) =>
  item.status === 'queued' || IN_FLIGHT.has(item.status) || (item.status === 'waiting' && (force || (item.nextAttemptAt ?? 0) <= now));

export const summarise = (items: SyncItem[]) => ({
  unsent: items.filter(isUnsent).length,
  needsAttention: items.filter(needsAttention).length,
  sent: items.filter(isSent).length,
});

export const newSyncItem = (draft: { clientId: string; form: { slug: string; name: string; version: number } }, at: number): SyncItem => ({
  clientId: draft.clientId,
  form: draft.form,
  status: 'draft',
  documentId: null,
  reference: null,
  serverStatus: null,
  missing: null,
  attachments: [],
  attempts: 0,
  nextAttemptAt: null,
  lastError: null,
  createdAt: at,
  updatedAt: at,
});

/** The server's receipt for one attachment in a record answer (null when the record does not have it). */
export const receiptIn = (record: RecordView, a: Pick<AttachmentRef, 'kind' | 'name'>): string | null =>
  a.kind === 'photo'
    ? (record.photos.find((p) => p.side === a.name)?.sha256 ?? null)
    : (record.signatures.find((s) => s.slot === a.name)?.sha256 ?? null);

/** The server does not have this attachment (a stale signature it has: sending the same one again cannot help). */
const isMissing = (record: RecordView, a: Pick<AttachmentRef, 'kind' | 'name'>) =>
  a.kind === 'photo'
    ? record.missing.photos.includes(a.name as 'front' | 'back')
    : record.missing.signatures.includes(a.name) && !record.missing.staleSignatures.includes(a.name);

const mapAttachment = (item: SyncItem, key: AttachmentKey, change: (a: AttachmentSync) => AttachmentSync): AttachmentSync[] =>
  item.attachments.map((a) => (a.key === key ? change(a) : a));

const statusFromServer = (record: RecordView): SyncStatus | null =>
  record.status === 'submitted' || record.status === 'approved' || record.status === 'rejected' ? record.status : null;

/** What the server still misses that this device cannot send, in words. */
export const describeMissing = (missing: RecordView['missing'], attachments: AttachmentRef[]): string => {
  const label = (slot: string) => attachments.find((a) => a.key === `signature:${slot}`)?.label ?? t('queue.missingSignature', { slot });
  const stale = missing.staleSignatures ?? [];
  const names = [
    ...missing.photos.map((side) => attachments.find((a) => a.key === `photo:${side}`)?.label ?? t('queue.missingPhoto', { side })),
    ...missing.signatures.filter((slot) => !stale.includes(slot)).map(label),
  ];
  const parts = [
    ...(names.length ? [tn('queue.stillNeeded', names.length, { names: names.join(', ') })] : []),
    ...stale.map((slot) => t('queue.staleSignature', { label: label(slot) })),
  ];
  return parts.join(' ');
};

/** Applies what the server says about the record: its status, its receipts and what it still misses. */
const reconcile = (item: SyncItem, record: RecordView, at: number): SyncItem => {
  const attachments = item.attachments.map((a): AttachmentSync => {
    if (a.state === 'failed') return a;
    const receipt = receiptIn(record, a);
    // The server misses something we thought was sent: send it again (same bytes, so no harm if it was received).
    if (a.state === 'done' && isMissing(record, a)) return { ...a, state: 'pending', progress: 0, receipt: null };
    return a.state === 'done' && receipt ? { ...a, receipt } : a;
  });
  const base: SyncItem = {
    ...item,
    documentId: record.documentId,
    reference: record.reference,
    serverStatus: record.status,
    missing: record.missing,
    attachments,
    updatedAt: at,
  };
  const terminal = statusFromServer(record);
  // A record being fixed stays rejected on the server until it is submitted again.
  if (terminal === 'rejected' && item.fix) return base;
  if (terminal) return { ...base, status: terminal, attempts: 0, nextAttemptAt: null, lastError: null, fix: undefined };
  return base;
};

export const reduceSync = (item: SyncItem, event: SyncEvent): SyncItem => {
  const at = event.at;
  switch (event.type) {
    case 'queue': {
      if (TERMINAL.has(item.status) || IN_FLIGHT.has(item.status)) return item;
      if (item.fix)
        return reduceSync(item, {
          type: 'resend',
          at,
          attachments: event.attachments,
          documentId: item.documentId!,
          reference: item.reference,
        });
      // Keep what the server already confirmed for attachments that did not change.
      const attachments = event.attachments.map((ref): AttachmentSync => {
        const known = item.attachments.find((a) => a.key === ref.key && a.fingerprint === ref.fingerprint);
        return known && known.state === 'done'
          ? { ...known, ...ref }
          : { ...ref, state: 'pending', progress: 0, receipt: null, error: null };
      });
      return { ...item, status: 'queued', attachments, attempts: 0, nextAttemptAt: null, lastError: null, updatedAt: at };
    }
    case 'resend': {
      if (IN_FLIGHT.has(item.status)) return item;
      const attachments = event.attachments.map(
        (ref): AttachmentSync => ({ ...ref, state: 'pending', progress: 0, receipt: null, error: null })
      );
      return {
        ...item,
        status: 'queued',
        documentId: event.documentId,
        reference: event.reference ?? item.reference,
        attachments,
        attempts: 0,
        nextAttemptAt: null,
        lastError: null,
        fix: { dataSent: false },
        updatedAt: at,
      };
    }
    case 'data-sent': {
      const next = reconcile({ ...item, fix: { dataSent: true } }, event.record, at);
      return { ...next, status: 'uploading', attempts: 0, nextAttemptAt: null, lastError: null };
    }
    case 'start': {
      if (!isDue(item, at, true)) return item;
      // Interrupted uploads start again from zero.
      const attachments = item.attachments.map((a) => (a.state === 'uploading' ? { ...a, state: 'pending' as const, progress: 0 } : a));
      return { ...item, status: item.documentId ? 'uploading' : 'creating', attachments, updatedAt: at };
    }
    case 'created': {
      const next = reconcile(item, event.record, at);
      const left = next.attachments.some((a) => a.state === 'pending' || a.state === 'uploading');
      // With media still to attach the record keeps 'uploading', even if the server already submitted it.
      const status = left || !TERMINAL.has(next.status) ? 'uploading' : next.status;
      return { ...next, status, attempts: 0, nextAttemptAt: null, lastError: null };
    }
    case 'upload-start':
      return {
        ...item,
        status: 'uploading',
        attachments: mapAttachment(item, event.key, (a) => ({ ...a, state: 'uploading', progress: 0, error: null })),
        updatedAt: at,
      };
    case 'upload-progress':
      return {
        ...item,
        attachments: mapAttachment(item, event.key, (a) =>
          a.state === 'uploading' ? { ...a, progress: Math.max(a.progress, Math.min(1, Math.max(0, event.progress))) } : a
        ),
      };
    case 'uploaded': {
      const withDone: SyncItem = {
        ...item,
        attachments: mapAttachment(item, event.key, (a) => ({
          ...a,
          state: 'done',
          progress: 1,
          receipt: receiptIn(event.record, a),
          error: null,
        })),
        attempts: 0,
        nextAttemptAt: null,
        lastError: null,
      };
      const next = reconcile(withDone, event.record, at);
      // Keep uploading while other attachments are left, even if the server already submitted the record.
      return next.attachments.some((a) => a.state === 'pending' || a.state === 'uploading') ? { ...next, status: 'uploading' } : next;
    }
    case 'attachment-refused':
      return {
        ...item,
        attachments: mapAttachment(item, event.key, (a) => ({ ...a, state: 'failed', progress: 0, error: event.message })),
        updatedAt: at,
      };
    case 'submit-start':
      return { ...item, status: 'submitting', updatedAt: at };
    case 'server-record': {
      const next = reconcile(item, event.record, at);
      if (TERMINAL.has(next.status)) return next;
      const { photos, signatures, staleSignatures = [] } = event.record.missing;
      const cannotSend = [
        ...photos.filter((side) => !next.attachments.some((a) => a.key === `photo:${side}` && a.state !== 'failed')),
        ...signatures.filter((slot) => !next.attachments.some((a) => a.key === `signature:${slot}` && a.state !== 'failed')),
        // A stale signature is only mended by a new one from this device (a pending attachment).
        ...staleSignatures.filter((slot) => !next.attachments.some((a) => a.key === `signature:${slot}` && a.state === 'pending')),
      ];
      if (cannotSend.length) {
        return {
          ...next,
          status: 'incomplete',
          lastError: { kind: 'invalid', status: 0, message: describeMissing(event.record.missing, next.attachments), fieldErrors: [] },
        };
      }
      return { ...next, status: next.attachments.some((a) => a.state === 'pending') ? 'uploading' : next.status };
    }
    case 'error': {
      const attachments = event.key
        ? mapAttachment(item, event.key, (a) =>
            event.retryable ? { ...a, state: 'pending', progress: 0 } : { ...a, state: 'failed', progress: 0, error: event.error.message }
          )
        : item.attachments;
      if (!event.retryable) {
        return { ...item, status: 'failed', attachments, lastError: event.error, nextAttemptAt: null, updatedAt: at };
      }
      return {
        ...item,
        status: 'waiting',
        attachments,
        attempts: item.attempts + 1,
        nextAttemptAt: at + backoffDelay(item.attempts, event.random, event.error.kind === 'offline' ? OFFLINE_BACKOFF : BACKOFF),
        lastError: event.error,
        updatedAt: at,
      };
    }
    case 'pause': {
      const attachments = item.attachments.map((a) => (a.state === 'uploading' ? { ...a, state: 'pending' as const, progress: 0 } : a));
      return { ...item, status: 'queued', attachments, lastError: event.error, updatedAt: at };
    }
  }
};
