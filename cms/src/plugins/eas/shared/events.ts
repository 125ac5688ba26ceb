import type { RecordStatus } from './contracts/record';

/** Where the socket.io server listens (on Strapi's HTTP server). */
export const SOCKET_PATH = '/eas/socket.io';

/** Domain events EAS emits after a write committed (server → dashboard and field-staff sockets). */
export const EVENTS = {
  recordCreated: 'eas.record.created',
  recordSubmitted: 'eas.record.submitted',
  recordReviewed: 'eas.record.reviewed',
  /** The record's content changed without a change of state: its owner edited a draft, or an editor redacted it. */
  recordChanged: 'eas.record.changed',
  mediaProcessed: 'eas.media.processed',
  exportProgress: 'eas.export.progress',
  integrityAltered: 'eas.integrity.altered',
  /** Sent to a socket just before the server closes it because its user, session or permission was revoked. */
  revoked: 'eas.revoked',
} as const;

/** Why a socket was closed (eas.revoked) or refused at the handshake. */
export const REVOCATION_REASONS = ['user-deleted', 'user-blocked', 'user-deactivated', 'session-ended', 'no-permission'] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

export interface RevokedEvent {
  reason: RevocationReason;
  message: string;
}

export type EventName = (typeof EVENTS)[keyof typeof EVENTS];

/** What the dashboard shows about a record — and nothing more. */
export interface RecordEvent {
  documentId: string;
  reference: string;
  form: { slug: string; name: string };
  /**
   * The answer of the form's key question (what names the record in lists); null when empty or redacted. Only in
   * GET /eas/dashboard: socket events carry no captured data (the dashboard reads itself again after each event).
   */
  summary?: string | null;
  owner: { id: number; username: string } | null;
  status: RecordStatus;
  capturedAt: string | null;
  submittedAt: string | null;
  reviewedAt: string | null;
  /** Only in the owner's room: the editor's comment on a rejection or approval. */
  reviewComment?: string | null;
  /** eas.media.processed only: which photo or signature was just stored, and the SHA-256 of its bytes. */
  media?: { kind: 'photo' | 'signature'; slot: string; sha256: string | null };
  /** Short-lived signed URL of the front (or first) photo thumbnail. */
  thumbnailUrl: string | null;
  at: string;
}

export interface ExportProgressEvent {
  id: string;
  ownerId: number;
  status: 'running' | 'done' | 'failed';
  done: number;
  total: number;
}

/** The integrity sweep found altered records or a broken audit chain (counts only). */
export interface IntegrityAlteredEvent {
  altered: number;
  /** The altered records (at most 200), with their form, so a webhook endpoint of one form hears of its own only. */
  records?: { reference: string; documentId: string; form: string }[];
  chainBreaks: number;
  checkedAt: string;
}
