/**
 * Everything the capture site keeps on the device for one person, in their own IndexedDB database ("eas-u<user id>"):
 *   drafts  — captures in progress, with their photos and signatures as Blobs (saved on every change)
 *   outbox  — the sync state of each record handed to the queue
 *   forms   — published form versions, so capture works offline
 */
import { deleteDB, openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { PublishedForm } from '../../../cms/src/plugins/eas/shared/contracts/form';
import type { AttachmentRef, Draft } from './draft';
import { t } from './messages';
import { isUnsent, newSyncItem, reduceSync, summarise, type SyncItem } from './sync-state';

export interface CachedForm {
  slug: string;
  version: number;
  form: PublishedForm;
  /** 1 for the version currently published (IndexedDB cannot index booleans). */
  current: 0 | 1;
  cachedAt: number;
}

interface EasDB extends DBSchema {
  drafts: { key: string; value: Draft; indexes: { updatedAt: number } };
  outbox: { key: string; value: SyncItem; indexes: { status: string } };
  forms: { key: [string, number]; value: CachedForm; indexes: { slug: string; current: number } };
}

/** The database of the site before storage was per person (nobody's in particular). */
export const LEGACY_DB_NAME = 'eas';
export const DB_VERSION = 1;

/**
 * One database per person: the code signed in as one user never opens another user's records, so a colleague on the
 * same phone neither sees them nor sends them with the wrong credentials.
 */
export const storeNameFor = (userId: number) => {
  if (!Number.isInteger(userId) || userId <= 0) throw new Error(`No device storage for user id ${userId}.`);
  return `eas-u${userId}`;
};

export interface StoreOptions {
  /** The database name: storeNameFor(user id). */
  name: string;
  /** Defaults to the global indexedDB (fake-indexeddb in tests). */
  now?: () => number;
}

const upgradeSchema = (database: IDBPDatabase<EasDB>) => {
  const drafts = database.createObjectStore('drafts', { keyPath: 'clientId' });
  drafts.createIndex('updatedAt', 'updatedAt');
  const outbox = database.createObjectStore('outbox', { keyPath: 'clientId' });
  outbox.createIndex('status', 'status');
  const forms = database.createObjectStore('forms', { keyPath: ['slug', 'version'] });
  forms.createIndex('slug', 'slug');
  forms.createIndex('current', 'current');
};

/**
 * Moves what the site kept before storage was per person into `userId`'s database and deletes the old one. Only for
 * the person whose session was stored when this version first ran (app.ts decides): the old database does not say
 * whose records it holds, and giving them to whoever signs in next is exactly the mistake per-person storage ends.
 */
export const adoptLegacyStore = async (userId: number): Promise<number> => {
  const names = (await indexedDB.databases?.())?.map((d) => d.name);
  if (names && !names.includes(LEGACY_DB_NAME)) return 0;
  const legacy = await openDB<EasDB>(LEGACY_DB_NAME, DB_VERSION, { upgrade: upgradeSchema });
  const [drafts, outbox, forms] = await Promise.all([legacy.getAll('drafts'), legacy.getAll('outbox'), legacy.getAll('forms')]);
  legacy.close();
  if (drafts.length || outbox.length || forms.length) {
    const own = await openDB<EasDB>(storeNameFor(userId), DB_VERSION, { upgrade: upgradeSchema });
    const tx = own.transaction(['drafts', 'outbox', 'forms'], 'readwrite');
    await Promise.all([
      ...drafts.map((d) => tx.objectStore('drafts').put(d)),
      ...outbox.map((i) => tx.objectStore('outbox').put(i)),
      ...forms.map((f) => tx.objectStore('forms').put(f)),
    ]);
    await tx.done;
    own.close();
  }
  await deleteDB(LEGACY_DB_NAME);
  return drafts.length + outbox.length;
};

export const openStore = async ({ name, now = () => Date.now() }: StoreOptions) => {
  let db: IDBPDatabase<EasDB>;
  try {
    db = await openDB<EasDB>(name, DB_VERSION, {
      upgrade: upgradeSchema,
      blocking() {
        // A newer version of the site wants to upgrade the database: let it.
        db.close();
      },
    });
  } catch {
    throw new Error(t('app.noStorage'));
  }

  const store = {
    // ── drafts ──────────────────────────────────────────────────────────────────────────────────────────────
    saveDraft: async (draft: Draft): Promise<Draft> => {
      const saved = { ...draft, updatedAt: now() };
      await db.put('drafts', saved);
      return saved;
    },

    getDraft: (clientId: string): Promise<Draft | undefined> => db.get('drafts', clientId),

    /** Changes a draft in one transaction (read, change, write), so two quick edits cannot overwrite each other. */
    updateDraft: async (clientId: string, change: (draft: Draft) => Draft): Promise<Draft> => {
      const tx = db.transaction('drafts', 'readwrite');
      const current = await tx.store.get(clientId);
      if (!current) {
        await tx.done;
        throw new Error(t('app.captureGone'));
      }
      const saved = { ...change(current), clientId, updatedAt: now() };
      await tx.store.put(saved);
      await tx.done;
      return saved;
    },

    /** Newest first. */
    listDrafts: async (): Promise<Draft[]> => (await db.getAllFromIndex('drafts', 'updatedAt')).reverse(),

    deleteDraft: (clientId: string): Promise<void> => db.delete('drafts', clientId),

    /**
     * Photos and signatures are personal data and take most of the device's storage: once the server has confirmed
     * every one of them for a submitted record, they are removed from the device (the fields and receipts stay).
     */
    removeSentMedia: async (clientId: string): Promise<void> => {
      const tx = db.transaction('drafts', 'readwrite');
      const current = await tx.store.get(clientId);
      if (current && !current.mediaRemovedAt) await tx.store.put({ ...current, photos: {}, signatures: {}, mediaRemovedAt: now() });
      await tx.done;
    },

    // ── outbox ──────────────────────────────────────────────────────────────────────────────────────────────
    /**
     * Hands a draft to the sync queue: the draft is saved and its outbox entry created (or re-queued after the
     * person fixed it) in one transaction.
     */
    enqueue: async (draft: Draft, attachments: AttachmentRef[]): Promise<SyncItem> => {
      const at = now();
      const tx = db.transaction(['drafts', 'outbox'], 'readwrite');
      const existing = await tx.objectStore('outbox').get(draft.clientId);
      const fixing = draft.fixing;
      const item =
        fixing && !existing?.fix
          ? reduceSync(existing ?? newSyncItem(draft, at), {
              type: 'resend',
              at,
              attachments,
              documentId: fixing.documentId,
              reference: fixing.reference,
            })
          : reduceSync(existing ?? newSyncItem(draft, at), { type: 'queue', at, attachments });
      await Promise.all([tx.objectStore('drafts').put({ ...draft, updatedAt: at }), tx.objectStore('outbox').put(item)]);
      await tx.done;
      return item;
    },

    getSyncItem: (clientId: string): Promise<SyncItem | undefined> => db.get('outbox', clientId),

    putSyncItem: async (item: SyncItem): Promise<void> => {
      await db.put('outbox', item);
    },

    /** Oldest first: the order in which they are sent. */
    listSyncItems: async (): Promise<SyncItem[]> => (await db.getAll('outbox')).sort((a, b) => a.createdAt - b.createdAt),

    deleteSyncItem: (clientId: string): Promise<void> => db.delete('outbox', clientId),

    /** How many records wait to be sent (the badge). */
    countUnsent: async (): Promise<number> => (await store.listSyncItems()).filter(isUnsent).length,

    summary: async () => summarise(await store.listSyncItems()),

    // ── forms ───────────────────────────────────────────────────────────────────────────────────────────────
    /** Keeps the forms just loaded from the server as the current ones; older versions stay for their drafts. */
    cacheForms: async (forms: PublishedForm[]): Promise<void> => {
      const at = now();
      const tx = db.transaction('forms', 'readwrite');
      const currentKeys = new Set(forms.map((f) => `${f.slug}@${f.version}`));
      for (const cached of await tx.store.index('current').getAll(1)) {
        if (!currentKeys.has(`${cached.slug}@${cached.version}`)) await tx.store.put({ ...cached, current: 0 });
      }
      for (const form of forms) await tx.store.put({ slug: form.slug, version: form.version, form, current: 1, cachedAt: at });
      await tx.done;
    },

    /** Keeps one (older) version for a record made with it, without changing which versions are current. */
    cacheFormVersion: async (form: PublishedForm): Promise<void> => {
      const existing = await db.get('forms', [form.slug, form.version]);
      await db.put('forms', { slug: form.slug, version: form.version, form, current: existing?.current ?? 0, cachedAt: now() });
    },

    /** The forms last known as published, by name. */
    listCachedForms: async (): Promise<PublishedForm[]> =>
      (await db.getAllFromIndex('forms', 'current', 1)).map((c) => c.form).sort((a, b) => a.name.localeCompare(b.name)),

    /** One form version (the current one when no version is given). */
    getCachedForm: async (slug: string, version?: number): Promise<PublishedForm | undefined> => {
      if (version !== undefined) return (await db.get('forms', [slug, version]))?.form;
      const all = await db.getAllFromIndex('forms', 'slug', slug);
      return (all.find((c) => c.current === 1) ?? all.sort((a, b) => b.version - a.version)[0])?.form;
    },

    close: () => db.close(),
  };
  return store;
};

export type EasStore = Awaited<ReturnType<typeof openStore>>;
