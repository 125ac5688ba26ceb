import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { newDraft } from '../draft';
import { DraftAutosave } from '../draft-autosave';
import { openStore } from '../store';

let n = 0;
const form = { slug: 'inspection', name: 'Inspection', version: 1 };
const fresh = () => newDraft(form, { now: () => new Date('2026-05-01T09:00:00.000Z'), randomUUID: () => `autosave-${++n}` });
const photo = { blob: new Blob([new Uint8Array([0xff, 0xd8])]), width: 2, height: 1, originalSha256: 'a'.repeat(64), metadata: {} };

describe('the draft on the device follows every change', () => {
  it('a new form is kept from the first answer on (the device had nothing of it before)', async () => {
    const store = await openStore({ name: `autosave-${++n}` });
    const draft = fresh();
    const autosave = new DraftAutosave(store, draft);
    expect(await store.getDraft(draft.clientId)).toBeUndefined();

    autosave.update((d) => ({ ...d, data: { site: 'North gate' } }));
    await autosave.saved();

    expect((await store.getDraft(draft.clientId))?.data).toEqual({ site: 'North gate' });
  });

  it('changes made in quick succession are all kept, in order, and the page sees each at once', async () => {
    const store = await openStore({ name: `autosave-${++n}` });
    const draft = await store.saveDraft(fresh());
    const autosave = new DraftAutosave(store, draft);

    autosave.update((d) => ({ ...d, data: { site: 'North gate' } }));
    autosave.update((d) => ({ ...d, photos: { ...d.photos, front: photo } }));
    autosave.update((d) => ({ ...d, data: { ...d.data, score: 7 } }));
    expect(autosave.draft.data).toEqual({ site: 'North gate', score: 7 });
    expect(autosave.draft.photos.front).toBeDefined();
    await autosave.saved();

    const kept = await store.getDraft(draft.clientId);
    expect(kept?.data).toEqual({ site: 'North gate', score: 7 });
    expect(kept?.photos.front?.originalSha256).toBe('a'.repeat(64));
  });
});
