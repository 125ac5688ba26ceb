/**
 * The sync engine: sends queued records one at a time, each step safe to repeat.
 *   1. create the record with its device clientId (a 200 replay is success, 409 means different content: stop);
 *      a rejected record being fixed instead gets its changed data (PUT)
 *   2. upload every attachment the server has not confirmed (re-sending the same bytes is answered 200)
 *   3. read the record back: media the server still misses stay pending; a draft with nothing outstanding is
 *      submitted (the device always submits: photos first, then the signatures that endorse them)
 *   4. once submitted with every attachment confirmed, the photos and signatures are removed from the device
 * A retryable failure (offline, 408, 429, 5xx) puts the record in 'waiting' with backoff; anything else leaves it
 * 'failed' with a readable message, and the record stays on the device.
 */
import type { RecordView } from '../../../cms/src/plugins/eas/shared/contracts/record';
import type { ApiClient } from './api';
import { isComplete } from '../../../cms/src/plugins/eas/shared/record-rules';
import { ApiError, fieldErrorsOf, isRetryable } from './api-error';
import { createRequestOf, type Draft } from './draft';
import { t } from './messages';
import type { EasStore } from './store';
import { isDue, reduceSync, summarise, type AttachmentSync, type SyncError, type SyncEvent, type SyncItem } from './sync-state';

export type SyncApi = Pick<ApiClient, 'createRecord' | 'updateRecord' | 'putPhoto' | 'putSignature' | 'getRecord' | 'submitRecord'>;
export type SyncStore = Pick<EasStore, 'listSyncItems' | 'putSyncItem' | 'getDraft' | 'removeSentMedia'>;

export interface SyncOptions {
  api: SyncApi;
  store: SyncStore;
  /** The content hash of a draft (lib/content-hash.ts), for drafts signed before signatures carried one. */
  contentHashOf: (draft: Draft) => Promise<string>;
  now?: () => number;
  random?: () => number;
  /** Every change of an item, including upload progress (which is not written to the device). */
  onChange?: (item: SyncItem) => void;
  /** Retry waiting items now, ignoring their backoff (the person tapped "Send now", or the device came online). */
  force?: boolean;
}

export interface SyncReport {
  /** Records that reached the server's submitted (or a later) state during this run. */
  sent: number;
  /** Still to be sent (queued or waiting) after this run. */
  unsent: number;
  /** Records that need the person (failed or incomplete). */
  needsAttention: number;
  /** Why the run stopped early, if it did. */
  stoppedBy: 'offline' | 'unauthorised' | null;
  /** When the earliest waiting record is due (epoch ms), to schedule the next run. */
  nextAttemptAt: number | null;
}

export const MESSAGES = {
  get conflict() {
    return t('queue.conflict');
  },
  get invalid() {
    return t('queue.invalid');
  },
  get lostDraft() {
    return t('queue.lostDraft');
  },
  get unexpected() {
    return t('queue.unexpected');
  },
  locked: (label: string) => t('queue.locked', { label }),
  signedOtherContent: (label: string) => t('queue.signedOtherContent', { label }),
  signatureReused: (label: string) => t('queue.signatureReused', { label }),
};

const toSyncError = (err: unknown, message?: string): SyncError =>
  err instanceof ApiError
    ? { kind: err.kind, status: err.status, message: message ?? err.message, fieldErrors: fieldErrorsOf(err) }
    : { kind: 'unknown', status: 0, message: message ?? MESSAGES.unexpected, fieldErrors: [] };

/** A failure that stops this record (and, when offline or signed out, the run). */
class StepFailure extends Error {
  constructor(
    readonly event: SyncEvent,
    readonly stop: SyncReport['stoppedBy']
  ) {
    super('step failed');
  }
}

/** Did the server (which refused to change a locked record) already keep exactly this attachment? */
const serverHasOurs = (record: RecordView, a: AttachmentSync, draft: Draft): boolean => {
  if (a.kind === 'photo') {
    const ours = draft.photos[a.name as 'front' | 'back'];
    return Boolean(ours && record.photos.find((p) => p.side === a.name)?.originalSha256 === ours.originalSha256);
  }
  const ours = draft.signatures[a.name];
  const theirs = record.signatures.find((s) => s.slot === a.name);
  return Boolean(
    ours && theirs && theirs.signerName === ours.signerName && theirs.signedAt && Date.parse(theirs.signedAt) === Date.parse(ours.signedAt)
  );
};

/** Sends every due record, one at a time. Safe to call again at any moment: every step is idempotent. */
export const syncAll = async ({
  api,
  store,
  contentHashOf,
  now = () => Date.now(),
  random = Math.random,
  onChange,
  force = false,
}: SyncOptions): Promise<SyncReport> => {
  let sent = 0;
  let stoppedBy: SyncReport['stoppedBy'] = null;

  for (const queued of await store.listSyncItems()) {
    if (!isDue(queued, now(), force)) continue;
    let item = queued;

    const apply = async (event: SyncEvent) => {
      item = reduceSync(item, event);
      if (event.type !== 'upload-progress') await store.putSyncItem(item);
      onChange?.(item);
    };

    /** Turns a failure into the event that records it; throws to stop this record. */
    const fail = (err: unknown, key?: AttachmentSync['key']): never => {
      const at = now();
      if (err instanceof ApiError && err.kind === 'unauthorised')
        throw new StepFailure({ type: 'pause', at, error: toSyncError(err) }, 'unauthorised');
      const retryable = isRetryable(err) || !(err instanceof ApiError);
      const event: SyncEvent = { type: 'error', at, error: toSyncError(err), retryable, random: random(), key };
      throw new StepFailure(event, err instanceof ApiError && err.kind === 'offline' ? 'offline' : null);
    };
    /** Runs one server call; a failure becomes the record's state. */
    const step = async <T>(call: () => Promise<T>, key?: AttachmentSync['key']): Promise<T> => {
      try {
        return await call();
      } catch (err) {
        return fail(err, key);
      }
    };

    try {
      await apply({ type: 'start', at: now() });
      const draft = await store.getDraft(item.clientId);
      if (!draft) {
        throw new StepFailure(
          {
            type: 'error',
            at: now(),
            retryable: false,
            random: 0,
            error: { kind: 'unknown', status: 0, message: MESSAGES.lostDraft, fieldErrors: [] },
          },
          null
        );
      }

      // 1. Create (or find again) the record.
      if (!item.documentId) {
        try {
          const { record } = await api.createRecord(createRequestOf(draft));
          await apply({ type: 'created', at: now(), record });
        } catch (err) {
          if (err instanceof ApiError && err.kind === 'conflict') {
            // Either the clientId was used for different content (details name it), or the form was archived.
            const reused = typeof (err.details as { clientId?: unknown } | undefined)?.clientId === 'string';
            const error = toSyncError(err, reused ? MESSAGES.conflict : undefined);
            throw new StepFailure({ type: 'error', at: now(), retryable: false, random: 0, error }, null);
          }
          if (err instanceof ApiError && err.kind === 'invalid' && fieldErrorsOf(err).length) {
            throw new StepFailure(
              { type: 'error', at: now(), retryable: false, random: 0, error: toSyncError(err, MESSAGES.invalid) },
              null
            );
          }
          fail(err);
        }
      }
      const documentId = item.documentId!;

      // 1b. A rejected record being fixed: its changed data first (the signatures given again endorse it).
      if (item.fix && !item.fix.dataSent) {
        try {
          const record = await api.updateRecord(documentId, { data: draft.data });
          await apply({ type: 'data-sent', at: now(), record });
        } catch (err) {
          if (err instanceof ApiError && err.kind === 'invalid' && fieldErrorsOf(err).length) {
            throw new StepFailure(
              { type: 'error', at: now(), retryable: false, random: 0, error: toSyncError(err, MESSAGES.invalid) },
              null
            );
          }
          if (err instanceof ApiError && err.kind === 'conflict') {
            // No longer editable (an editor approved it meanwhile, or it was resent from elsewhere): the server's state
            // is the record's; a record still rejected but refused needs the person.
            const record = await step(() => api.getRecord(documentId));
            if (record.status !== 'rejected') {
              await apply({ type: 'server-record', at: now(), record: { ...record } });
              if (item.status === 'submitted' || item.status === 'approved') sent++;
              continue;
            }
            throw new StepFailure({ type: 'error', at: now(), retryable: false, random: 0, error: toSyncError(err) }, null);
          }
          fail(err);
        }
      }

      // 2. Upload what the server has not confirmed, in order (optional media first).
      for (const attachment of item.attachments) {
        if (attachment.state !== 'pending') continue;
        const key = attachment.key;
        await apply({ type: 'upload-start', at: now(), key });
        const onProgress = (progress: number) => void apply({ type: 'upload-progress', at: now(), key, progress });
        try {
          const { record } =
            attachment.kind === 'photo'
              ? await uploadPhoto(api, documentId, draft, attachment, onProgress)
              : await uploadSignature(api, documentId, draft, attachment, onProgress, contentHashOf);
          await apply({ type: 'uploaded', at: now(), key, record });
        } catch (err) {
          if (
            err instanceof ApiError &&
            err.kind === 'conflict' &&
            (err.details as { code?: string } | undefined)?.code === 'signature_content_mismatch'
          ) {
            await apply({ type: 'attachment-refused', at: now(), key, message: MESSAGES.signedOtherContent(attachment.label) });
            continue;
          }
          if (
            err instanceof ApiError &&
            err.kind === 'conflict' &&
            (err.details as { code?: string } | undefined)?.code === 'signature_reused'
          ) {
            // The server holds this very image (or drawing) on a record already: a copy is not a signature.
            await apply({ type: 'attachment-refused', at: now(), key, message: MESSAGES.signatureReused(attachment.label) });
            continue;
          }
          if (err instanceof ApiError && err.kind === 'conflict') {
            // The record is locked (submitted): fine if the server already has this very attachment.
            const record = await step(() => api.getRecord(documentId), key);
            if (serverHasOurs(record, attachment, draft)) await apply({ type: 'uploaded', at: now(), key, record });
            else await apply({ type: 'attachment-refused', at: now(), key, message: MESSAGES.locked(attachment.label) });
            continue;
          }
          fail(err, key);
        }
      }

      // 3. What does the server still miss? Submit a complete draft.
      let record = await step(() => api.getRecord(documentId));
      await apply({ type: 'server-record', at: now(), record });
      const settled = item.attachments.every((a) => a.state === 'done' || a.state === 'failed');
      const nothingMissing = isComplete(record.missing);
      const submittable = record.status === 'draft' || (record.status === 'rejected' && Boolean(item.fix));
      if (submittable && settled && nothingMissing && item.status !== 'incomplete') {
        await apply({ type: 'submit-start', at: now() });
        record = await step(() => api.submitRecord(documentId));
        await apply({ type: 'server-record', at: now(), record });
      }
      if (item.status === 'submitted' || item.status === 'approved' || item.status === 'rejected') {
        sent++;
        // Every attachment confirmed by the server's hashes: the device no longer needs its copies.
        if (item.attachments.every((a) => a.state === 'done')) await store.removeSentMedia(item.clientId);
      }
    } catch (err) {
      if (!(err instanceof StepFailure)) {
        await apply({ type: 'error', at: now(), error: toSyncError(err), retryable: true, random: random() });
        continue;
      }
      await apply(err.event);
      if (err.stop) {
        stoppedBy = err.stop;
        break;
      }
    }
  }

  const items = await store.listSyncItems();
  const { unsent, needsAttention } = summarise(items);
  const waiting = items.flatMap((i) => (i.status === 'waiting' && i.nextAttemptAt !== null ? [i.nextAttemptAt] : []));
  return { sent, unsent, needsAttention, stoppedBy, nextAttemptAt: waiting.length ? Math.min(...waiting) : null };
};

const uploadPhoto = (api: SyncApi, documentId: string, draft: Draft, a: AttachmentSync, onProgress: (p: number) => void) => {
  const side = a.name as 'front' | 'back';
  const photo = draft.photos[side];
  if (!photo) throw new ApiError('invalid', `${a.label} is no longer on this device. Take it again.`);
  return api.putPhoto(
    documentId,
    side,
    { file: photo.blob, originalSha256: photo.originalSha256, metadata: photo.metadata },
    { onProgress }
  );
};

const uploadSignature = async (
  api: SyncApi,
  documentId: string,
  draft: Draft,
  a: AttachmentSync,
  onProgress: (p: number) => void,
  contentHashOf: (draft: Draft) => Promise<string>
) => {
  const signature = draft.signatures[a.name];
  if (!signature) throw new ApiError('invalid', `${a.label} is no longer on this device. Ask the person to sign again.`);
  return api.putSignature(
    documentId,
    a.name,
    {
      file: signature.png,
      strokes: signature.strokes,
      signerName: signature.signerName,
      consentText: signature.consentText,
      signedAt: signature.signedAt,
      // Drafts signed before signatures were bound to content carry none: they endorse the draft as it is sent.
      contentHash: signature.contentHash ?? (await contentHashOf(draft)),
    },
    { onProgress }
  );
};

/** Runs syncAll one at a time: a call while a run is going on shares that run. */
export const createSyncRunner = (options: Omit<SyncOptions, 'force'>) => {
  let running: Promise<SyncReport> | null = null;
  return {
    run: (force = false): Promise<SyncReport> => {
      running ??= syncAll({ ...options, force }).finally(() => {
        running = null;
      });
      return running;
    },
    get busy() {
      return running !== null;
    },
  };
};
