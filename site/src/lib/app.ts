/**
 * The browser runtime shared by the site's pages: one store, one API client and one sync runner, all bound to the
 * person who was signed in when the page loaded. Signing in or out (here or in another tab) reloads the page, so a
 * runtime never holds one person's records and another person's credentials: a record is only ever sent with its
 * owner's token, and the server refuses it if the token says otherwise (`owner`).
 */
import type { PublishedForm } from '../../../cms/src/plugins/eas/shared/contracts/form';
import { ApiError, createApiClient, type ApiClient } from './api';
import { draftContentHash } from './content-hash';
import type { Draft } from './draft';
import { t } from './messages';
import { createSyncRunner, type SyncReport } from './queue';
import { notePerson } from './people';
import { clearSession, loadSession, saveSession, SESSION_KEY, sessionUserId, updateSessionToken, type Session } from './session';
import { adoptLegacyStore, openStore, storeNameFor, type EasStore } from './store';
import type { SyncItem } from './sync-state';

/** The person this page works for: whoever was signed in when it loaded (null: nobody). */
const boundSession: Session | null = typeof localStorage === 'undefined' ? null : loadSession();
export const boundUser = (): Session['user'] | null => boundSession?.user ?? null;

/** The session as stored now, if it still is the bound person's (another tab may have signed someone else in). */
const ownSession = (): Session | null => {
  const session = loadSession();
  return session && boundSession && session.user.id === boundSession.user.id ? session : null;
};
export const isSignedIn = () => ownSession() !== null;
/** The bound person's current access token (null when signed out or someone else signed in). */
export const accessToken = () => ownSession()?.jwt ?? null;

/**
 * The server refused the bound person's session (expired, revoked, or the browser is someone else's now): forget it
 * here — only if it is still this person's — and show the sign-in page. Their records stay and wait for them.
 */
export const sessionEnded = () => {
  if (ownSession()) clearSession();
  window.dispatchEvent(new CustomEvent('eas:signed-out'));
};

const STORAGE_VERSION_KEY = 'eas.storage';

let storePromise: Promise<EasStore> | null = null;
/** The bound person's own database; there is none while nobody is signed in. */
export const getStore = (): Promise<EasStore> =>
  (storePromise ??= (async () => {
    if (!boundSession) throw new Error(t('app.signInFirst'));
    // The first time this version runs, the database kept before storage was per person belongs to the person who
    // was signed in then (and to nobody later: see adoptLegacyStore).
    if (localStorage.getItem(STORAGE_VERSION_KEY) === null) {
      await adoptLegacyStore(boundSession.user.id).catch(() => 0);
      localStorage.setItem(STORAGE_VERSION_KEY, '2');
    }
    return openStore({ name: storeNameFor(boundSession.user.id) });
  })());

if (typeof window !== 'undefined') {
  if (localStorage.getItem(STORAGE_VERSION_KEY) === null && !boundSession) localStorage.setItem(STORAGE_VERSION_KEY, '2');
  // Signed in or out in another tab: this page's person is no longer the browser's; start over as the new one.
  window.addEventListener('storage', (event) => {
    if (event.key === SESSION_KEY && sessionUserId(event.newValue) !== (boundSession?.user.id ?? null)) location.reload();
  });
}

let client: ApiClient | null = null;
export const getApi = (): ApiClient =>
  (client ??= createApiClient({
    getToken: accessToken,
    expectedUserId: () => boundSession?.user.id ?? null,
    onToken: (jwt) => updateSessionToken(jwt),
  }));

/** Keeps the new session and reloads the page as that person. */
export const signedIn = (session: Session) => {
  saveSession(session);
  location.assign('/');
};

/**
 * Ends the session on the server (the refresh token is revoked; an offline phone leaves that to the token's expiry)
 * and on the device. The person's records stay in their own storage and are sent when they sign in again.
 */
export const signOut = async () => {
  await getApi()
    .logout()
    .catch(() => undefined);
  clearSession();
  location.assign('/');
};

/** Notes how many of the bound person's records wait on the device, for the sign-in page of the next person. */
export const noteWaiting = (waiting: number) => {
  if (boundSession) notePerson({ userId: boundSession.user.id, username: boundSession.user.username, waiting });
};

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
  if (!ownSession()) return null;
  clearTimeout(retryTimer);
  try {
    const report = await (await getRunner()).run(force);
    noteWaiting(report.unsent + report.needsAttention);
    if (report.stoppedBy === 'unauthorised') sessionEnded();
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
export const loadForms = async (): Promise<{ forms: PublishedForm[]; offline: boolean; serverDown: boolean }> => {
  const store = await getStore();
  try {
    const forms = await getApi().listForms();
    await store.cacheForms(forms);
    return { forms, offline: false, serverDown: false };
  } catch (err) {
    const down = err instanceof ApiError && (err.kind === 'timeout' || err.kind === 'server' || err.kind === 'busy');
    if (err instanceof ApiError && err.kind !== 'offline' && !down) throw err;
    // No connection at all, or a server that answers with an error (502 from nginx, restarting): not the same advice.
    return { forms: await store.listCachedForms(), offline: true, serverDown: down };
  }
};

/** One form version: the cached one first (capture must work offline), else the server (that very version). */
export const loadForm = async (slug: string, version?: number): Promise<PublishedForm | undefined> => {
  const store = await getStore();
  const cached = await store.getCachedForm(slug, version);
  if (cached) return cached;
  try {
    const api = getApi();
    const form = version === undefined ? await api.getForm(slug) : await api.getFormVersion(slug, version);
    if (version === undefined) await store.cacheForms([...(await store.listCachedForms()).filter((f) => f.slug !== slug), form]);
    else await store.cacheFormVersion(form);
    return form;
  } catch (err) {
    if (err instanceof ApiError && err.kind === 'not-found') return undefined;
    throw err;
  }
};
