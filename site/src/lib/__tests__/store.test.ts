import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { PublishedForm } from '../../../../cms/src/plugins/eas/shared/contracts/form';
import { attachmentsOf, newDraft, type Draft } from '../draft';
import { adoptLegacyStore, LEGACY_DB_NAME, openStore, storeNameFor } from '../store';
import { definition } from './fake-server';

let n = 0;
const dbName = () => `store-test-${++n}`;
let clock = 1_000;
const now = () => clock;

const published = (slug: string, version: number, name = slug): PublishedForm => ({
  slug,
  name,
  version,
  publishedAt: '2026-05-01T00:00:00.000Z',
  summaryField: null,
  definition: { ...definition, slug, name },
});

const draftWithMedia = (): Draft => ({
  ...newDraft(published('inspection', 1), { now: () => new Date(clock), randomUUID: () => `uuid-${++n}` }),
  data: { site: 'North gate', score: 7 },
  location: { lat: 51.5, lng: -0.12, accuracy: 8 },
  photos: {
    front: {
      blob: new Blob([new Uint8Array([0xff, 0xd8, 0xff, 1, 2, 3])], { type: 'image/jpeg' }),
      width: 2000,
      height: 1500,
      originalSha256: 'c'.repeat(64),
      metadata: { takenAt: '2026-05-01T09:30:00.000Z', orientation: 6 },
    },
  },
  signatures: {
    inspector: {
      png: new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], { type: 'image/png' }),
      strokes: [
        {
          points: [{ x: 1, y: 1, time: 1, pressure: 0.5 }],
          dotSize: 0,
          minWidth: 0.5,
          maxWidth: 2.5,
          penColor: 'black',
          velocityFilterWeight: 0.7,
          compositeOperation: 'source-over',
        },
      ],
      signerName: 'Ada',
      consentText: 'I confirm this inspection.',
      signedAt: '2026-05-01T09:40:00.000Z',
    },
  },
});

describe('keeping work on the device', () => {
  it('nothing is lost on reload: a draft comes back with its photo and signature', async () => {
    const name = dbName();
    const first = await openStore({ name, now });
    const draft = draftWithMedia();
    await first.saveDraft(draft);
    first.close();

    const reopened = await openStore({ name, now });
    const back = (await reopened.getDraft(draft.clientId))!;
    expect(back.data).toEqual(draft.data);
    expect(back.location).toEqual(draft.location);
    expect(back.photos.front!.blob).toBeInstanceOf(Blob);
    expect(new Uint8Array(await back.photos.front!.blob.arrayBuffer())).toEqual(new Uint8Array([0xff, 0xd8, 0xff, 1, 2, 3]));
    expect(back.photos.front!.metadata).toEqual({ takenAt: '2026-05-01T09:30:00.000Z', orientation: 6 });
    expect(back.signatures.inspector.strokes).toEqual(draft.signatures.inspector.strokes);
    expect(await back.signatures.inspector.png.size).toBe(4);
    reopened.close();
  });

  it('saves every change, and two quick edits do not overwrite each other', async () => {
    const store = await openStore({ name: dbName(), now });
    const draft = await store.saveDraft(draftWithMedia());
    await Promise.all([
      store.updateDraft(draft.clientId, (d) => ({ ...d, data: { ...d.data, site: 'South gate' } })),
      store.updateDraft(draft.clientId, (d) => ({ ...d, data: { ...d.data, score: 3 } })),
    ]);
    expect((await store.getDraft(draft.clientId))!.data).toEqual({ site: 'South gate', score: 3 });
    await expect(store.updateDraft('missing', (d) => d)).rejects.toThrow(/no longer on the device/);
    store.close();
  });

  it('lists drafts newest first and deletes them', async () => {
    const store = await openStore({ name: dbName(), now });
    clock = 1_000;
    const older = await store.saveDraft(draftWithMedia());
    clock = 2_000;
    const newer = await store.saveDraft(draftWithMedia());
    expect((await store.listDrafts()).map((d) => d.clientId)).toEqual([newer.clientId, older.clientId]);
    await store.deleteDraft(older.clientId);
    expect((await store.listDrafts()).map((d) => d.clientId)).toEqual([newer.clientId]);
    store.close();
  });

  it('queues a draft for sending and counts what waits to be sent', async () => {
    const store = await openStore({ name: dbName(), now });
    const a = draftWithMedia();
    const b = draftWithMedia();
    const item = await store.enqueue(a, attachmentsOf(a, definition));
    await store.enqueue(b, attachmentsOf(b, definition));
    expect(item.status).toBe('queued');
    expect(item.attachments.map((x) => [x.key, x.state])).toEqual([
      ['photo:front', 'pending'],
      ['signature:inspector', 'pending'],
    ]);
    expect(await store.getDraft(a.clientId)).toBeDefined();
    expect(await store.countUnsent()).toBe(2);
    await store.putSyncItem({ ...item, status: 'submitted' });
    expect(await store.countUnsent()).toBe(1);
    expect(await store.summary()).toEqual({ unsent: 1, needsAttention: 0, sent: 1 });
    store.close();
  });

  it('keeps the published forms for offline capture, and older versions for drafts made with them', async () => {
    const store = await openStore({ name: dbName(), now });
    await store.cacheForms([published('inspection', 1, 'Site inspection'), published('audit', 3, 'Audit')]);
    await store.cacheForms([published('inspection', 2, 'Site inspection')]);

    expect((await store.listCachedForms()).map((f) => `${f.slug}@${f.version}`)).toEqual(['inspection@2']);
    expect((await store.getCachedForm('inspection'))!.version).toBe(2);
    expect((await store.getCachedForm('inspection', 1))!.version).toBe(1);
    expect((await store.getCachedForm('audit'))!.version).toBe(3);
    expect(await store.getCachedForm('nothing')).toBeUndefined();
    store.close();
  });
});

describe('one person, one storage', () => {
  it("keeps each person's drafts and queue apart: another person's store holds none of them", async () => {
    const amina = await openStore({ name: storeNameFor(101), now });
    const ben = await openStore({ name: storeNameFor(102), now });
    const draft = draftWithMedia();
    await amina.enqueue(draft, attachmentsOf(draft, definition));
    expect(await ben.getDraft(draft.clientId)).toBeUndefined();
    expect(await ben.listDrafts()).toEqual([]);
    expect(await ben.listSyncItems()).toEqual([]);
    expect(await amina.countUnsent()).toBe(1);
    amina.close();
    ben.close();
  });

  it('refuses a storage name for no one', () => {
    expect(() => storeNameFor(0)).toThrow('No device storage for user id 0.');
    expect(() => storeNameFor(Number.NaN)).toThrow();
  });

  it('gives what the site kept before storage was per person to the person signed in then, and removes the old database', async () => {
    const legacy = await openStore({ name: LEGACY_DB_NAME, now });
    const draft = draftWithMedia();
    await legacy.enqueue(draft, attachmentsOf(draft, definition));
    legacy.close();

    expect(await adoptLegacyStore(103)).toBe(2);

    const own = await openStore({ name: storeNameFor(103), now });
    expect((await own.getDraft(draft.clientId))?.data).toEqual(draft.data);
    expect(await own.countUnsent()).toBe(1);
    own.close();
    expect((await indexedDB.databases()).map((d) => d.name)).not.toContain(LEGACY_DB_NAME);
    // Nothing is left for anyone else to adopt.
    expect(await adoptLegacyStore(104)).toBe(0);
  });
});
