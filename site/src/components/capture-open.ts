/**
 * The draft the capture page opens. Fixing a rejected record (?fix=<documentId>): the draft made from the server's
 * copy (or the one the person already started), after telling the phone's outbox of the rejection; a record that
 * is no longer rejected opens where it stands.
 */
import { ApiError } from '../lib/api';
import { getApi } from '../lib/app';
import type { Draft } from '../lib/draft';
import { fixDraftOf } from '../lib/fix-draft';
import { t } from '../lib/i18n';
import type { EasStore } from '../lib/store';
import { reduceSync } from '../lib/sync-state';

/** Why the record cannot be fixed on this phone now, in words. */
const fixProblem = (err: unknown) =>
  err instanceof ApiError && err.kind === 'offline'
    ? t('capture.fixOffline')
    : err instanceof ApiError && (err.kind === 'not-found' || err.kind === 'forbidden')
      ? t('record.notYours')
      : err instanceof Error
        ? err.message
        : t('capture.loadFailed');

/** The phone's draft for fixing the rejected record `documentId`; undefined (after `fail` or a redirect) when none. */
const openFixDraft = async (store: EasStore, documentId: string, fail: (message: string) => void): Promise<Draft | undefined> => {
  let record;
  try {
    record = await getApi().getRecord(documentId);
  } catch (err) {
    fail(fixProblem(err));
    return undefined;
  }
  const local = await store.getDraft(record.clientId);
  if (record.status !== 'rejected') {
    // Already resent (or approved): show where it stands.
    if (local) return local;
    location.replace(`/record/?id=${encodeURIComponent(record.documentId)}`);
    return undefined;
  }
  // The phone may not have heard of the rejection yet (it still says "submitted"): it has now.
  const item = await store.getSyncItem(record.clientId);
  if (item && !item.fix) await store.putSyncItem(reduceSync(item, { type: 'server-record', at: Date.now(), record }));
  return store.saveDraft(fixDraftOf(record, local));
};

/**
 * The draft the capture page opens: the fix of a rejected record (?fix=), a draft on this phone (?draft=), or none
 * (`draft` undefined: a new record). Null when there is nothing to open (`fail` was told why, or the page moved on).
 */
export const openDraft = async (
  store: EasStore,
  params: URLSearchParams,
  fail: (message: string) => void
): Promise<{ draft: Draft | undefined } | null> => {
  const fixId = params.get('fix');
  if (fixId) {
    const draft = await openFixDraft(store, fixId, fail);
    return draft ? { draft } : null;
  }
  const draftId = params.get('draft');
  return { draft: draftId ? await store.getDraft(draftId) : undefined };
};
