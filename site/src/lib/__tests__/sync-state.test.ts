import { describe, expect, it } from 'vitest';
import type { RecordView } from '../../../../cms/src/plugins/eas/shared/contracts/record';
import type { AttachmentRef } from '../draft';
import { backoffDelay, isDue, newSyncItem, reduceSync, summarise, type SyncError, type SyncItem } from '../sync-state';

const refs: AttachmentRef[] = [
  { key: 'photo:back', kind: 'photo', name: 'back', label: 'Back', required: false, fingerprint: 'b1' },
  { key: 'photo:front', kind: 'photo', name: 'front', label: 'Front', required: true, fingerprint: 'f1' },
];

const view = (overrides: Partial<RecordView> = {}): RecordView => ({
  documentId: 'doc1',
  reference: 'EAS-2026-000001',
  clientId: 'c1',
  form: { slug: 'f', name: 'F', version: 1 },
  status: 'draft',
  data: {},
  capturedAt: '2026-05-01T09:30:00.000Z',
  submittedAt: null,
  reviewedAt: null,
  reviewComment: null,
  location: null,
  createdAt: '',
  updatedAt: '',
  missing: { photos: ['front'], signatures: [], staleSignatures: [] },
  contentHash: 'c'.repeat(64),
  photos: [],
  signatures: [],
  integrityHash: null,
  redactedAt: null,
  summary: null,
  ...overrides,
});

const offline: SyncError = { kind: 'offline', status: 0, message: 'No connection', fieldErrors: [] };
const queued = (): SyncItem =>
  reduceSync(newSyncItem({ clientId: 'c1', form: { slug: 'f', name: 'F', version: 1 } }, 0), { type: 'queue', at: 1, attachments: refs });

describe('retry delays', () => {
  it('double from about 2 s and stop growing at 5 minutes', () => {
    expect([0, 1, 2, 3].map((n) => backoffDelay(n, 1))).toEqual([2_000, 4_000, 8_000, 16_000]);
    expect(backoffDelay(20, 1)).toBe(300_000);
    expect(backoffDelay(200, 1)).toBe(300_000);
  });

  it('stop growing at 30 s when there is no connection (the device keeps trying on its own)', () => {
    let item = queued();
    for (let i = 0; i < 12; i++)
      item = reduceSync(reduceSync(item, { type: 'start', at: 10 }), { type: 'error', at: 10, error: offline, retryable: true, random: 1 });
    expect(item).toMatchObject({ status: 'waiting', attempts: 12, nextAttemptAt: 10 + 30_000 });
    const busy: SyncError = { kind: 'server', status: 503, message: 'Busy', fieldErrors: [] };
    item = reduceSync(reduceSync(item, { type: 'start', at: 10 }), { type: 'error', at: 10, error: busy, retryable: true, random: 1 });
    expect(item.nextAttemptAt).toBe(10 + 300_000);
  });

  it('are spread by jitter between half and all of the delay', () => {
    expect(backoffDelay(3, 0)).toBe(8_000);
    expect(backoffDelay(3, 0.5)).toBe(12_000);
    expect(backoffDelay(3, 1)).toBe(16_000);
  });
});

describe('the sync state of one record', () => {
  it('goes from draft to queued with every attachment pending', () => {
    const item = queued();
    expect(item.status).toBe('queued');
    expect(item.attachments.map((a) => a.state)).toEqual(['pending', 'pending']);
  });

  it('goes creating → uploading → submitted, keeping each receipt', () => {
    let item = reduceSync(queued(), { type: 'start', at: 2 });
    expect(item.status).toBe('creating');
    item = reduceSync(item, { type: 'created', at: 3, record: view() });
    expect(item).toMatchObject({ status: 'uploading', documentId: 'doc1', reference: 'EAS-2026-000001' });
    item = reduceSync(item, { type: 'upload-start', at: 4, key: 'photo:back' });
    item = reduceSync(item, { type: 'upload-progress', at: 5, key: 'photo:back', progress: 0.6 });
    item = reduceSync(item, { type: 'upload-progress', at: 5, key: 'photo:back', progress: 0.3 });
    expect(item.attachments[0]).toMatchObject({ state: 'uploading', progress: 0.6 });
    const backView = {
      side: 'back' as const,
      width: 1,
      height: 1,
      bytes: 1,
      sha256: 'r-back',
      originalSha256: 'b1',
      receivedSha256: 'b1r',
      takenAt: null,
      url: '',
      thumbnailUrl: '',
    };
    item = reduceSync(item, { type: 'uploaded', at: 6, key: 'photo:back', record: view({ photos: [backView] }) });
    expect(item.attachments[0]).toMatchObject({ state: 'done', receipt: 'r-back', progress: 1 });
    expect(item.status).toBe('uploading');
    item = reduceSync(item, { type: 'upload-start', at: 7, key: 'photo:front' });
    item = reduceSync(item, {
      type: 'uploaded',
      at: 8,
      key: 'photo:front',
      record: view({
        status: 'submitted',
        missing: { photos: [], signatures: [], staleSignatures: [] },
        photos: [backView, { ...backView, side: 'front', sha256: 'r-front' }],
      }),
    });
    expect(item.status).toBe('submitted');
    expect(item.attachments.map((a) => a.receipt)).toEqual(['r-back', 'r-front']);
  });

  it('waits with backoff after a retryable failure and counts the attempts', () => {
    let item = reduceSync(queued(), { type: 'start', at: 10 });
    item = reduceSync(item, { type: 'error', at: 10, error: offline, retryable: true, random: 0 });
    expect(item).toMatchObject({ status: 'waiting', attempts: 1, nextAttemptAt: 1_010, lastError: offline });
    expect(isDue(item, 1_009)).toBe(false);
    expect(isDue(item, 1_010)).toBe(true);
    expect(isDue(item, 0, true)).toBe(true);
    item = reduceSync(item, { type: 'start', at: 1_010 });
    item = reduceSync(item, { type: 'error', at: 1_010, error: offline, retryable: true, random: 0 });
    expect(item.nextAttemptAt).toBe(1_010 + 2_000);
  });

  it('fails for good with the readable message when retrying cannot help', () => {
    const error: SyncError = { kind: 'invalid', status: 400, message: 'Site name is required', fieldErrors: [] };
    let item = reduceSync(queued(), { type: 'start', at: 2 });
    item = reduceSync(item, { type: 'error', at: 3, error, retryable: false, random: 0.3 });
    expect(item).toMatchObject({ status: 'failed', lastError: error, nextAttemptAt: null });
    expect(isDue(item, Number.MAX_SAFE_INTEGER, true)).toBe(false);
    expect(summarise([item, queued()])).toEqual({ unsent: 1, needsAttention: 1, sent: 0 });
  });

  it('restarts an interrupted upload from zero, without creating the record again', () => {
    let item = reduceSync(queued(), { type: 'start', at: 2 });
    item = reduceSync(item, { type: 'created', at: 3, record: view() });
    item = reduceSync(item, { type: 'upload-start', at: 4, key: 'photo:back' });
    item = reduceSync(item, { type: 'upload-progress', at: 4, key: 'photo:back', progress: 0.7 });
    // …the page is reloaded here…
    item = reduceSync(item, { type: 'start', at: 100 });
    expect(item.status).toBe('uploading');
    expect(item.attachments[0]).toMatchObject({ state: 'pending', progress: 0 });
  });

  it('is incomplete when the server misses a required photo the device does not have', () => {
    let item = reduceSync(newSyncItem({ clientId: 'c1', form: { slug: 'f', name: 'F', version: 1 } }, 0), {
      type: 'queue',
      at: 1,
      attachments: [refs[0]],
    });
    item = reduceSync(item, { type: 'start', at: 2 });
    item = reduceSync(item, { type: 'server-record', at: 3, record: view() });
    expect(item.status).toBe('incomplete');
    expect(item.lastError?.message).toMatch(/the front photo/);
  });

  it('sends again an attachment the server says it is missing', () => {
    let item = reduceSync(queued(), { type: 'start', at: 2 });
    item = reduceSync(item, { type: 'created', at: 3, record: view() });
    item = { ...item, attachments: item.attachments.map((a) => ({ ...a, state: 'done' as const, receipt: 'x' })) };
    item = reduceSync(item, { type: 'server-record', at: 4, record: view() });
    expect(item.attachments.find((a) => a.key === 'photo:front')).toMatchObject({ state: 'pending', receipt: null });
    expect(item.status).toBe('uploading');
  });

  it('keeps confirmed attachments when re-queued, but sends a retaken photo again', () => {
    let item = queued();
    item = {
      ...item,
      status: 'incomplete',
      attachments: item.attachments.map((a) => ({ ...a, state: 'done' as const, receipt: `r-${a.name}` })),
    };
    item = reduceSync(item, { type: 'queue', at: 5, attachments: [refs[0], { ...refs[1], fingerprint: 'f2' }] });
    expect(item.attachments.map((a) => [a.key, a.state, a.receipt])).toEqual([
      ['photo:back', 'done', 'r-back'],
      ['photo:front', 'pending', null],
    ]);
  });

  it('follows the editor’s decision later', () => {
    let item: SyncItem = { ...queued(), status: 'submitted', documentId: 'doc1' };
    item = reduceSync(item, {
      type: 'server-record',
      at: 9,
      record: view({ status: 'rejected', reviewComment: 'Blurry', missing: { photos: [], signatures: [], staleSignatures: [] } }),
    });
    expect(item.status).toBe('rejected');
    // A sent record cannot be queued again by mistake.
    expect(reduceSync(item, { type: 'queue', at: 10, attachments: refs })).toBe(item);
  });
});
