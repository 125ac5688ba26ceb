/**
 * Words for a record's state, as field staff read them: calm for what is normal (a record saved on the phone while
 * there is no internet is fine), precise about what needs them.
 */
import type { MessageKey } from '../i18n/types';
import { t } from './messages';
import type { RowKind } from './record-rows';
import type { SyncStatus } from './sync-state';

const STATUS_KEYS: Record<SyncStatus, MessageKey> = {
  draft: 'status.draft',
  queued: 'status.saved',
  waiting: 'status.saved',
  creating: 'status.sending',
  uploading: 'status.sending',
  submitting: 'status.sending',
  failed: 'status.failed',
  incomplete: 'status.incomplete',
  submitted: 'status.submitted',
  approved: 'status.approved',
  rejected: 'status.rejected',
};

/** A record's state in the person's language. */
export const statusWord = (status: SyncStatus): string => t(STATUS_KEYS[status]);

/** The badge colour of each kind of row (global.css / RecordList.astro). */
export const badgeClass = (kind: RowKind) => `badge badge-${kind}`;

/**
 * Why a record saved on the phone has not gone yet, from the last attempt's own answer (navigator.onLine stays true on
 * a Wi-Fi without a route, so the answer says more): no internet, the server unreachable or busy, or the session.
 */
export const describeWait = (lastErrorKind: string | undefined, online: boolean): string => {
  if (lastErrorKind === 'unauthorised') return t('wait.unauthorised');
  if (!online) return t('wait.offline');
  if (lastErrorKind === 'offline') return t('wait.unreachable');
  if (lastErrorKind === 'server' || lastErrorKind === 'busy' || lastErrorKind === 'timeout' || lastErrorKind === 'rate-limited') {
    return t('wait.busy');
  }
  return t('wait.soon');
};
