import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { draftContentHash } from '../content-hash';
import { attachmentsOf, newDraft, type Draft } from '../draft';
import { fixDraftOf } from '../fix-draft';
import { createSyncRunner, MESSAGES, syncAll } from '../queue';
import { openStore, type EasStore } from '../store';
import { backoffDelay, type SyncItem } from '../sync-state';
import { definition, FakeServer, faultyApi } from './fake-server';

let dbCounter = 0;
let store: EasStore;
let clock: number;
const now = () => clock;
const random = () => 0.5;
let uuid = 0;

const bytes = (text: string, type: string) => new Blob([new TextEncoder().encode(text)], { type });

const captured = (overrides: Partial<Draft> = {}): Draft => {
  uuid += 1;
  const draft = newDraft(
    { slug: 'inspection', name: 'Site inspection', version: 1 },
    { now: () => new Date(clock), randomUUID: () => `00000000-0000-4000-8000-${String(uuid).padStart(12, '0')}` }
  );
  return {
    ...draft,
    data: { site: `Meter ${uuid}`, score: 7 },
    photos: {
      front: {
        blob: bytes(`front-${uuid}`, 'image/jpeg'),
        width: 10,
        height: 10,
        originalSha256: 'a'.repeat(64),
        metadata: { device: 'TestPhone' },
      },
      back: { blob: bytes(`back-${uuid}`, 'image/jpeg'), width: 10, height: 10, originalSha256: 'b'.repeat(64), metadata: {} },
    },
    signatures: {
      inspector: {
        png: bytes(`sig-${uuid}`, 'image/png'),
        strokes: [
          {
            points: [{ x: 1, y: 2, time: 3, pressure: 0.5 }],
            dotSize: 0,
            minWidth: 0.5,
            maxWidth: 2.5,
            penColor: 'black',
            velocityFilterWeight: 0.7,
            compositeOperation: 'source-over',
          },
        ],
        signerName: 'Ada Inspector',
        consentText: 'I confirm this inspection.',
        signedAt: new Date(clock).toISOString(),
      },
    },
    ...overrides,
  };
};

const contentHashOf = (draft: Draft) => draftContentHash(draft, definition);

/** As the capture page does when the person signs: each signature endorses the draft's content at that moment. */
const signed = async (draft: Draft): Promise<Draft> => {
  const contentHash = await contentHashOf(draft);
  return { ...draft, signatures: Object.fromEntries(Object.entries(draft.signatures).map(([k, s]) => [k, { ...s, contentHash }])) };
};

const queue = async (draft: Draft) => {
  const ready = await signed(draft);
  return store.enqueue(ready, attachmentsOf(ready, definition));
};
const item = async (draft: Draft) => (await store.getSyncItem(draft.clientId)) as SyncItem;

beforeEach(async () => {
  clock = Date.UTC(2026, 4, 1, 9, 0, 0);
  store = await openStore({ name: `queue-test-${++dbCounter}`, now });
});
afterEach(() => store.close());

describe('sending captured records', () => {
  it('sends a record with its photos and signature, and keeps the server receipts', async () => {
    const server = new FakeServer();
    const { api } = faultyApi(server);
    const draft = captured();
    await queue(draft);
    expect(await store.countUnsent()).toBe(1);

    const report = await syncAll({ contentHashOf, api, store, now, random });

    expect(report).toMatchObject({ sent: 1, unsent: 0, needsAttention: 0, stoppedBy: null });
    const synced = await item(draft);
    expect(synced.status).toBe('submitted');
    expect(synced.reference).toBe('EAS-2026-000001');
    const server_record = server.byClientId(draft.clientId)!;
    for (const a of synced.attachments) {
      expect(a.state).toBe('done');
      const expected =
        a.kind === 'photo'
          ? server_record.photos.find((p) => p.side === a.name)!.sha256
          : server_record.signatures.find((s) => s.slot === a.name)!.sha256;
      expect(a.receipt).toBe(expected);
    }
    expect(await store.countUnsent()).toBe(0);
  });

  it('removes the photos and signature from the device once the server confirmed them, and keeps the fields', async () => {
    const server = new FakeServer();
    const { api } = faultyApi(server);
    const draft = captured();
    await queue(draft);

    await syncAll({ contentHashOf, api, store, now, random });

    const kept = (await store.getDraft(draft.clientId))!;
    expect(kept.photos).toEqual({});
    expect(kept.signatures).toEqual({});
    expect(kept.data).toEqual(draft.data);
    expect(kept.mediaRemovedAt).toBe(clock);
    // Nothing is sent again afterwards.
    const calls = server.log.length;
    await syncAll({ contentHashOf, api, store, now, random, force: true });
    expect(server.log.length).toBe(calls);
  });

  it('uploads the photos before the signature that endorses them, then submits the record', async () => {
    const server = new FakeServer();
    const { api } = faultyApi(server);
    await queue(captured());
    await syncAll({ contentHashOf, api, store, now, random });
    expect(server.log.filter((l) => l.startsWith('put') || l === 'submitRecord')).toEqual([
      'putPhoto front',
      'putPhoto back',
      'putSignature inspector',
      'submitRecord',
    ]);
  });

  it('keeps the record on the device and says so when the server refuses a signature over other content', async () => {
    const server = new FakeServer();
    const { api } = faultyApi(server);
    // Signed, then a value changed on the phone without the person signing again.
    const draft = await signed(captured());
    const changed = { ...draft, data: { ...draft.data, score: 3 } };
    await store.enqueue(changed, attachmentsOf(changed, definition));

    await syncAll({ contentHashOf, api, store, now, random });

    const state = await item(draft);
    expect(state.status).toBe('incomplete');
    expect(state.attachments.find((a) => a.key === 'signature:inspector')).toMatchObject({
      state: 'failed',
      error: MESSAGES.signedOtherContent('Signature of the inspector'),
    });
    expect(server.byClientId(draft.clientId)!.status).toBe('draft');
    expect(server.byClientId(draft.clientId)!.signatures).toEqual([]);
    expect(server.log).not.toContain('submitRecord');
    expect(await store.getDraft(draft.clientId)).toBeDefined();
  });

  it('says the signature must be given again when the server already holds that very image, and does not submit', async () => {
    const server = new FakeServer();
    const { api } = faultyApi(server);
    const first = captured();
    await queue(first);
    await syncAll({ contentHashOf, api, store, now, random });
    expect((await item(first)).status).toBe('submitted');
    // A second record carrying the first one's signature image (copied, or a replayed drawing).
    const second = captured();
    second.signatures.inspector = { ...second.signatures.inspector, png: first.signatures.inspector.png };
    await queue(second);

    await syncAll({ contentHashOf, api, store, now, random });

    const state = await item(second);
    expect(state.status).toBe('incomplete');
    expect(state.attachments.find((a) => a.key === 'signature:inspector')).toMatchObject({
      state: 'failed',
      error: MESSAGES.signatureReused('Signature of the inspector'),
    });
    expect(server.byClientId(second.clientId)!.status).toBe('draft');
    expect(await store.getDraft(second.clientId)).toBeDefined();
  });

  it('a dropped response never creates a second record', async () => {
    const server = new FakeServer();
    const net = faultyApi(server);
    net.plan('createRecord', 'drop-response');
    net.plan('putPhoto', 'drop-response');
    net.plan('putSignature', 'drop-response');
    const draft = captured();
    await queue(draft);

    for (let i = 0; i < 5 && (await item(draft)).status !== 'submitted'; i++) {
      await syncAll({ contentHashOf, api: net.api, store, now, random, force: true });
    }

    expect(server.recordCount).toBe(1);
    expect(net.calls.filter((c) => c === 'createRecord').length).toBe(2);
    expect((await item(draft)).status).toBe('submitted');
    expect(server.byClientId(draft.clientId)!.photos).toHaveLength(2);
  });

  it('requests sent twice by the network still make one record with one photo per side', async () => {
    const server = new FakeServer();
    const net = faultyApi(server);
    net.plan('createRecord', 'duplicate');
    net.plan('putPhoto', 'duplicate', 'duplicate');
    net.plan('putSignature', 'duplicate');
    const draft = captured();
    await queue(draft);
    await syncAll({ contentHashOf, api: net.api, store, now, random });
    expect(server.recordCount).toBe(1);
    expect(
      server
        .byClientId(draft.clientId)!
        .photos.map((p) => p.side)
        .sort()
    ).toEqual(['back', 'front']);
    expect((await item(draft)).status).toBe('submitted');
  });

  it('waits while offline, keeps everything, and sends once the connection is back', async () => {
    const server = new FakeServer();
    const net = faultyApi(server);
    const first = captured();
    const second = captured();
    await queue(first);
    await queue(second);
    net.setOffline(true);

    const offline = await syncAll({ contentHashOf, api: net.api, store, now, random });
    expect(offline.stoppedBy).toBe('offline');
    expect(offline.unsent).toBe(2);
    const waiting = await item(first);
    expect(waiting.status).toBe('waiting');
    expect(waiting.lastError?.message).toMatch(/No connection/);
    expect(waiting.nextAttemptAt).toBe(clock + backoffDelay(0, 0.5));
    // The run stops at the first offline answer instead of trying every record.
    expect((await item(second)).status).toBe('queued');
    expect(await store.getDraft(first.clientId)).toBeDefined();

    // The network is back: the queued record goes, the waiting one keeps its backoff.
    net.setOffline(false);
    const early = await syncAll({ contentHashOf, api: net.api, store, now, random });
    expect(early).toMatchObject({ sent: 1, unsent: 1, nextAttemptAt: waiting.nextAttemptAt });
    expect((await item(first)).status).toBe('waiting');

    clock = waiting.nextAttemptAt!;
    const back = await syncAll({ contentHashOf, api: net.api, store, now, random });
    expect(back).toMatchObject({ sent: 1, unsent: 0, nextAttemptAt: null });
    expect(server.recordCount).toBe(2);
  });

  it('retries a busy server (503) with growing delays, then succeeds', async () => {
    const server = new FakeServer();
    const net = faultyApi(server);
    net.plan('putPhoto', { status: 503 }, { status: 503 });
    const draft = captured();
    await queue(draft);

    await syncAll({ contentHashOf, api: net.api, store, now, random });
    let state = await item(draft);
    expect(state.status).toBe('waiting');
    expect(state.lastError).toMatchObject({ kind: 'busy', status: 503 });
    expect(state.lastError?.message).toMatch(/busy/);
    expect(state.attachments.find((a) => a.key === 'photo:back')?.state).toBe('pending');
    const firstDelay = state.nextAttemptAt! - clock;

    clock = state.nextAttemptAt!;
    await syncAll({ contentHashOf, api: net.api, store, now, random });
    state = await item(draft);
    expect(state.attempts).toBe(2);
    expect(state.nextAttemptAt! - clock).toBe(firstDelay * 2);

    clock = state.nextAttemptAt!;
    await syncAll({ contentHashOf, api: net.api, store, now, random });
    state = await item(draft);
    expect(state.status).toBe('submitted');
    expect(state.attempts).toBe(0);
    expect(server.recordCount).toBe(1);
  });

  it('keeps a record the server refused as invalid, with the errors per field, and does not retry it', async () => {
    const server = new FakeServer();
    const { api, calls } = faultyApi(server);
    const draft = captured({ data: { score: 42 } });
    await queue(draft);

    const report = await syncAll({ contentHashOf, api, store, now, random });

    expect(report).toMatchObject({ sent: 0, unsent: 0, needsAttention: 1 });
    const failed = await item(draft);
    expect(failed.status).toBe('failed');
    expect(failed.lastError?.message).toBe(MESSAGES.invalid);
    expect(failed.lastError?.fieldErrors.map((e) => [e.key, e.message])).toEqual([
      ['site', 'Site name is required'],
      ['score', 'Score must be at most 10'],
    ]);
    expect(await store.getDraft(draft.clientId)).toBeDefined();

    await syncAll({ contentHashOf, api, store, now, random, force: true });
    expect(calls.filter((c) => c === 'createRecord')).toHaveLength(1);
  });

  it('stops with a clear message when the clientId was already used for different content', async () => {
    const server = new FakeServer();
    const { api } = faultyApi(server);
    const draft = captured();
    await server.createRecord({
      clientId: draft.clientId,
      form: 'inspection',
      formVersion: 1,
      data: { site: 'Other' },
      capturedAt: draft.capturedAt,
    });
    await queue(draft);

    await syncAll({ contentHashOf, api, store, now, random });

    const failed = await item(draft);
    expect(failed.status).toBe('failed');
    expect(failed.lastError?.message).toMatch(/already sent with different content/);
    expect(server.log.filter((l) => l.startsWith('put'))).toEqual([]);
    expect(server.recordCount).toBe(1);
  });

  it('says the form was archived rather than blaming the record', async () => {
    const server = new FakeServer();
    server.archived = true;
    const { api } = faultyApi(server);
    const draft = captured();
    await queue(draft);
    await syncAll({ contentHashOf, api, store, now, random });
    const failed = await item(draft);
    expect(failed.status).toBe('failed');
    expect(failed.lastError?.message).toBe('The form "inspection" is archived and accepts no new records');
  });

  it('marks the record failed with the server message when a photo is refused for good', async () => {
    const server = new FakeServer();
    const net = faultyApi(server);
    net.plan('putPhoto', { status: 415, message: '"front.jpg" is HEIC; send a JPEG' });
    const draft = captured();
    await queue(draft);
    await syncAll({ contentHashOf, api: net.api, store, now, random });
    const failed = await item(draft);
    expect(failed.status).toBe('failed');
    expect(failed.lastError?.message).toBe('"front.jpg" is HEIC; send a JPEG');
    expect(failed.attachments.find((a) => a.key === 'photo:front')).toMatchObject({
      state: 'failed',
      error: '"front.jpg" is HEIC; send a JPEG',
    });
  });

  it('keeps a record incomplete while the server still misses a required photo; a photo added later needs the signature again', async () => {
    const server = new FakeServer();
    const { api } = faultyApi(server);
    const draft = captured({ photos: {} });
    await queue(draft);

    const report = await syncAll({ contentHashOf, api, store, now, random });
    expect(report.needsAttention).toBe(1);
    const incomplete = await item(draft);
    expect(incomplete.status).toBe('incomplete');
    expect(incomplete.missing).toEqual({ photos: ['front'], signatures: [], staleSignatures: [] });
    expect(incomplete.lastError?.message).toMatch(/the front photo/);
    expect(server.byClientId(draft.clientId)!.status).toBe('draft');

    // The photo is added, but the signature the server holds endorsed the record without it.
    const front = captured().photos.front!;
    const photoOnly = { ...(await store.getDraft(draft.clientId))!, photos: { front } };
    await store.enqueue(photoOnly, attachmentsOf(photoOnly, definition));
    await syncAll({ contentHashOf, api, store, now, random });
    const stale = await item(draft);
    expect(stale.status).toBe('incomplete');
    expect(stale.missing).toEqual({ photos: [], signatures: ['inspector'], staleSignatures: ['inspector'] });
    expect(stale.lastError?.message).toMatch(/given before the record changed/);
    expect(server.byClientId(draft.clientId)!.status).toBe('draft');
    // The same signature is not sent again: it cannot help.
    expect(server.log.filter((l) => l === 'putSignature inspector')).toHaveLength(1);

    // The inspector signs again over the record as it is now: it is sent and the record submitted.
    const resigned = await signed({
      ...photoOnly,
      signatures: {
        inspector: {
          ...photoOnly.signatures.inspector,
          png: bytes('sig-again', 'image/png'),
          signedAt: new Date(clock + 1000).toISOString(),
        },
      },
    });
    await store.enqueue(resigned, attachmentsOf(resigned, definition));
    await syncAll({ contentHashOf, api, store, now, random });
    expect((await item(draft)).status).toBe('submitted');
    expect(server.recordCount).toBe(1);
    expect(server.log.filter((l) => l === 'putSignature inspector')).toHaveLength(2);
  });

  it('pauses without counting an attempt when the session has ended', async () => {
    const server = new FakeServer();
    const net = faultyApi(server);
    net.plan('createRecord', { status: 401, message: 'Missing or invalid credentials' });
    const draft = captured();
    await queue(draft);
    const report = await syncAll({ contentHashOf, api: net.api, store, now, random });
    expect(report.stoppedBy).toBe('unauthorised');
    const paused = await item(draft);
    expect(paused).toMatchObject({ status: 'queued', attempts: 0 });
    expect(paused.lastError?.message).toBe('Your session has ended. Please sign in again.');
    await syncAll({ contentHashOf, api: net.api, store, now, random });
    expect((await item(draft)).status).toBe('submitted');
  });

  it('resumes an upload interrupted by a reload without creating the record again', async () => {
    const server = new FakeServer();
    const { api } = faultyApi(server);
    const draft = captured();
    await queue(draft);
    const { record } = await server.createRecord({
      clientId: draft.clientId,
      form: 'inspection',
      formVersion: 1,
      data: draft.data,
      capturedAt: draft.capturedAt,
    });
    const before = await item(draft);
    await store.putSyncItem({
      ...before,
      status: 'uploading',
      documentId: record.documentId,
      attachments: before.attachments.map((a, i) => (i === 0 ? { ...a, state: 'uploading', progress: 0.4 } : a)),
    });

    await syncAll({ contentHashOf, api, store, now, random });
    expect((await item(draft)).status).toBe('submitted');
    expect(server.log.filter((l) => l === 'createRecord')).toHaveLength(1);
  });

  it('reports upload progress to the screen between 0 and 1', async () => {
    const server = new FakeServer();
    const { api } = faultyApi(server);
    await queue(captured());
    const progress: number[] = [];
    await syncAll({
      contentHashOf,
      api,
      store,
      now,
      random,
      onChange: (i) => {
        const uploading = i.attachments.find((a) => a.state === 'uploading');
        if (uploading) progress.push(uploading.progress);
      },
    });
    expect(progress).toContain(0.5);
    expect(progress.every((p) => p >= 0 && p <= 1)).toBe(true);
  });

  it('reports a photo the server no longer accepts because the record was already submitted', async () => {
    const server = new FakeServer();
    const { api } = faultyApi(server);
    const draft = captured();
    await queue(draft);
    // The record reached the server and was submitted before this device sent its photos (e.g. from a copy of it).
    const { record } = await server.createRecord({
      clientId: draft.clientId,
      form: 'inspection',
      formVersion: 1,
      data: draft.data,
      capturedAt: draft.capturedAt,
    });
    server.records.get(draft.clientId)!.view = { ...record, status: 'submitted' };

    const report = await syncAll({ contentHashOf, api, store, now, random });

    expect(report).toMatchObject({ sent: 1, unsent: 0 });
    const synced = await item(draft);
    expect(synced.status).toBe('submitted');
    expect(synced.attachments.map((a) => [a.key, a.state])).toEqual([
      ['photo:front', 'failed'],
      ['photo:back', 'failed'],
      ['signature:inspector', 'failed'],
    ]);
    expect(synced.attachments[0].error).toBe('Front of the meter could not be attached: the record had already been submitted.');
    // Not retried on the next run, and the refused photos stay on the device for the person to deal with.
    await syncAll({ contentHashOf, api, store, now, random, force: true });
    expect(server.log.filter((l) => l.startsWith('putPhoto'))).toHaveLength(2);
    expect(Object.keys((await store.getDraft(draft.clientId))!.photos)).toEqual(['front', 'back']);
  });

  it('runs one sync at a time when asked twice at once', async () => {
    const server = new FakeServer();
    const { api } = faultyApi(server);
    await queue(captured());
    const runner = createSyncRunner({ contentHashOf, api, store, now, random });
    const [a, b] = await Promise.all([runner.run(), runner.run()]);
    expect(a).toBe(b);
    expect(server.log.filter((l) => l === 'createRecord')).toHaveLength(1);
  });

  describe('fix and resend', () => {
    /** Sends a record, has the editor reject it, and returns the phone's fix draft (media on the server). */
    const rejected = async () => {
      const server = new FakeServer();
      const net = faultyApi(server);
      const draft = captured();
      await queue(draft);
      await syncAll({ contentHashOf, api: net.api, store, now, random });
      server.reject(draft.clientId, 'The score is wrong: it was 4.');
      const record = server.byClientId(draft.clientId)!;
      return { server, net, draft, fix: fixDraftOf(record, await store.getDraft(draft.clientId), clock) };
    };

    it('sends the changed data, the new signature, and submits the rejected record again (no new record)', async () => {
      const { server, net, draft, fix } = await rejected();
      expect(fix.data).toEqual({ site: draft.data.site, score: 7 });
      expect(fix.fixing?.photos.front?.sha256).toBe(
        server.byClientId(draft.clientId)!.photos.find((p) => p.side === 'front')!.receivedSha256
      );
      // The worker corrects the score; the signer signs again over the new content (photos kept on the server).
      const changed = {
        ...fix,
        data: { ...fix.data, score: 4 },
        signatures: { inspector: { ...captured().signatures.inspector, signerName: 'Ada Inspector' } },
      };
      const ready = await signed(changed);
      await store.enqueue(ready, attachmentsOf(ready, definition));
      server.log.length = 0;

      const report = await syncAll({ contentHashOf, api: net.api, store, now, random });

      expect(report).toMatchObject({ sent: 1, unsent: 0, needsAttention: 0 });
      expect(server.log).toEqual(['updateRecord', 'putSignature inspector', 'getRecord', 'submitRecord']);
      expect(server.recordCount).toBe(1);
      const after = server.byClientId(draft.clientId)!;
      expect(after).toMatchObject({ status: 'submitted', data: { score: 4 } });
      expect(after.signatures[0].bound).toBe(true);
      expect((await item(draft)).status).toBe('submitted');
      expect((await item(draft)).fix).toBeUndefined();
    });

    it('does not submit a changed rejected record whose signature was not given again', async () => {
      const { server, net, draft, fix } = await rejected();
      const changed = { ...fix, data: { ...fix.data, score: 4 } };
      await store.enqueue(changed, attachmentsOf(changed, definition));

      await syncAll({ contentHashOf, api: net.api, store, now, random });

      expect(server.byClientId(draft.clientId)!.status).toBe('rejected');
      const stuck = await item(draft);
      expect(stuck.status).toBe('incomplete');
      expect(stuck.lastError?.message).toContain('ask for it again');
    });

    it('keeps the fix on the phone while offline and sends it when the connection returns', async () => {
      const { server, net, draft, fix } = await rejected();
      const ready = await signed({ ...fix, data: { ...fix.data, score: 5 }, signatures: { inspector: captured().signatures.inspector } });
      await store.enqueue(ready, attachmentsOf(ready, definition));
      net.setOffline(true);
      await syncAll({ contentHashOf, api: net.api, store, now, random });
      expect((await item(draft)).status).toBe('waiting');
      expect(server.byClientId(draft.clientId)!.status).toBe('rejected');
      net.setOffline(false);
      await syncAll({ contentHashOf, api: net.api, store, now, random, force: true });
      expect(server.byClientId(draft.clientId)).toMatchObject({ status: 'submitted', data: { score: 5 } });
    });
  });
});
