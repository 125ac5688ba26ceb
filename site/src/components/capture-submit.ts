/**
 * Sending a reviewed record: it is handed to the outbox with its attachments (saved on the phone in one
 * transaction, lib/store.ts enqueue) and the sync runs at once; the record goes by itself later when it cannot now.
 */
import type { FormDefinition } from '../../../cms/src/plugins/eas/shared/contracts/form';
import { syncNow } from '../lib/app';
import { attachmentsOf, type Draft } from '../lib/draft';
import type { EasStore } from '../lib/store';
import type { SyncItem } from '../lib/sync-state';

/** Queues `draft` (`queued` is told its outbox entry, before anything is sent) and sends it. */
export const queueAndSend = async (
  store: EasStore,
  draft: Draft,
  definition: Pick<FormDefinition, 'photos' | 'signatures' | 'fields'>,
  queued: (item: SyncItem) => void
) => {
  const item = await store.enqueue(draft, attachmentsOf(draft, definition));
  window.dispatchEvent(new CustomEvent('eas:queued', { detail: item }));
  queued(item);
  await syncNow(true);
  // A run that had already started before this record was queued does not include it: run once more.
  const after = await store.getSyncItem(draft.clientId);
  if (after?.status === 'queued') await syncNow(true);
};
