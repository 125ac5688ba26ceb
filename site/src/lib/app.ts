/**
 * The browser runtime shared by the site's pages: one store, one API client bound to the stored session, and one
 * sync runner that sends the outbox when the app starts, when the connection returns and on demand.
 */
import type { PublishedForm } from '../../../cms/src/plugins/eas/shared/contracts/form';
import { ApiError, createApiClient, type ApiClient } from './api';
import { draftContentHash } from './content-hash';
import type { Draft } from './draft';
import { createSyncRunner, type SyncReport } from './queue';
import { loadSession, updateSessionToken } from './session';
import { openStore, type EasStore } from './store';
import type { SyncItem } from './sync-state';

let storePromise: Promise<EasStore> | null = null;
export const getStore = (): Promise<EasStore> => (storePromise ??= openStore());

let client: ApiClient | null = null;
export const getApi = (): ApiClient =>
  (client ??= createApiClient({ getToken: () => loadSession()?.jwt ?? null, onToken: (jwt) => updateSessionToken(jwt) }));

/** Fired on window for every change of a sync item ("eas:sync-item") and after each run ("eas:sync-done"). */
export type SyncItemEvent = CustomEvent<SyncItem>;
export type SyncDoneEvent = CustomEvent<SyncReport | { error: string }>;

let runner: ReturnType<typeof createSyncRunner> | null = null;
let retryTimer: ReturnType<typeof setTimeout> | undefined;

const getRunner = async () => {
  if (runner) return runner;
  const store = await getStore();
  // For drafts signed before signatures carried a content hash: their form version as cached on the device.
  const contentHashOf = async (draft: Draft) => {
    const form = await store.getCachedForm(draft.form.slug, draft.form.version);
    return draftContentHash(draft, form?.definition ?? { fields: [] });
  };
  runner = createSyncRunner({
    api: getApi(),
    store,
    contentHashOf,
    onChange: (item) => window.dispatchEvent(new CustomEvent('eas:sync-item', { detail: item })),
  });
  return runner;
};

/** Sends what is waiting. `force` ignores the backoff of waiting records (Send now, back online). */
export const syncNow = async (force = false): Promise<SyncReport | null> => {
  if (!loadSession()) return null;
  clearTimeout(retryTimer);
  try {
    const report = await (await getRunner()).run(force);
    window.dispatchEvent(new CustomEvent('eas:sync-done', { detail: report }));
    // Also after "no connection": the "online" event alone is not enough (see OFFLINE_BACKOFF).
    if (report.nextAttemptAt !== null) {
      retryTimer = setTimeout(() => void syncNow(), Math.max(1_000, report.nextAttemptAt - Date.now()));
    }
    return report;
  } catch (err) {
    window.dispatchEvent(new CustomEvent('eas:sync-done', { detail: { error: err instanceof Error ? err.message : String(err) } }));
    return null;
  }
};

let started = false;
/** Once per page: sync at start and whenever the connection returns; ask the browser to keep our storage. */
export const startBackgroundSync = () => {
  if (started) return;
  started = true;
  window.addEventListener('online', () => void syncNow(true));
  void navigator.storage?.persist?.().catch(() => false);
  void syncNow();
};

/** The forms this person can use: from the server when it answers (and cached), else from the device. */
export const loadForms = async (): Promise<{ forms: PublishedForm[]; offline: boolean }> => {
  const store = await getStore();
  try {
    const forms = await getApi().listForms();
    await store.cacheForms(forms);
    return { forms, offline: false };
  } catch (err) {
    if (err instanceof ApiError && err.kind !== 'offline' && err.kind !== 'timeout' && err.kind !== 'server') throw err;
    return { forms: await store.listCachedForms(), offline: true };
  }
};

/** One form: the cached version first (capture must work offline), the server when the device has none. */
export const loadForm = async (slug: string, version?: number): Promise<PublishedForm | undefined> => {
  const store = await getStore();
  const cached = await store.getCachedForm(slug, version);
  if (cached) return cached;
  try {
    const form = await getApi().getForm(slug);
    await store.cacheForms([...(await store.listCachedForms()).filter((f) => f.slug !== slug), form]);
    return version === undefined || form.version === version ? form : undefined;
  } catch (err) {
    if (err instanceof ApiError && err.kind === 'not-found') return undefined;
    throw err;
  }
};

/** Words for a sync status, as shown in lists. */
export const STATUS_LABELS: Record<string, string> = {
  draft: 'Draft',
  queued: 'Queued',
  creating: 'Uploading',
  uploading: 'Uploading',
  submitting: 'Uploading',
  waiting: 'Queued — will retry',
  failed: 'Not sent — needs attention',
  incomplete: 'Not sent — something is missing',
  submitted: 'Submitted',
  approved: 'Approved',
  rejected: 'Rejected',
};
