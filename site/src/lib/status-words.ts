/**
 * Words for a record's state, as field staff read them: calm for what is normal (a record saved on the phone while
 * there is no internet is fine), precise about what needs them.
 */
import type { RowKind } from './record-rows';
import type { SyncStatus } from './sync-state';

export const STATUS_WORDS: Record<SyncStatus, string> = {
  draft: 'Draft — not sent',
  queued: 'Saved on this phone — will send automatically',
  waiting: 'Saved on this phone — will send automatically',
  creating: 'Sending…',
  uploading: 'Sending…',
  submitting: 'Sending…',
  failed: 'Not sent — needs you',
  incomplete: 'Not sent — something is missing',
  submitted: 'Submitted — awaiting review',
  approved: 'Approved',
  rejected: 'Rejected — fix and resend',
};

/** The badge colour of each kind of row (global.css / RecordList.astro). */
export const badgeClass = (kind: RowKind) => `badge badge-${kind}`;

/**
 * Why a record saved on the phone has not gone yet, from the last attempt's own answer (navigator.onLine stays true on
 * a Wi-Fi without a route, so the answer says more): no internet, the server unreachable or busy, or the session.
 */
export const describeWait = (lastErrorKind: string | undefined, online: boolean): string => {
  if (lastErrorKind === 'unauthorised') return 'Saved on this phone. Your session has ended: sign in again and it is sent.';
  if (!online) return 'Saved on this phone. There is no internet now: it is sent automatically when there is.';
  if (lastErrorKind === 'offline') return 'Saved on this phone. The server cannot be reached now (no internet, or the server is down): it is sent automatically.';
  if (lastErrorKind === 'server' || lastErrorKind === 'busy' || lastErrorKind === 'timeout' || lastErrorKind === 'rate-limited') {
    return 'Saved on this phone. The server could not take it just now: it is sent again automatically.';
  }
  return 'Saved on this phone. It is sent automatically in a moment.';
};
