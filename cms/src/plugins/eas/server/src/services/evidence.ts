import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import createError from 'http-errors';
import type { PhotoMetadata, RecordView } from '../../../shared/contracts/record';
import { isEditable } from '../../../shared/record-status';
import { EVENTS } from '../../../shared/events';
import type { EasConfig } from '../config';
import { UID } from '../constants';
import { conflict, isUniqueViolation } from '../errors';
import { QueueFullError, createBoundedQueue } from '../utils/bounded-queue';
import {
  DEFAULT_LIMITS,
  MediaRejectedError,
  configureSharp,
  processPhoto,
  processSignature,
  sha256,
  type ProcessingLimits,
} from '../utils/image-processing';
import { getService } from '../utils/get-service';
import type { FileRow } from './media-storage';
import { integrityOf, missingMedia, type RecordRow } from './record';
import { transaction } from '../utils/transaction';

export interface IncomingFile {
  buffer: Buffer;
  filename: string;
}

export interface PhotoUpload extends IncomingFile {
  originalSha256: string;
  metadata: PhotoMetadata | null;
}

export interface SignatureUpload extends IncomingFile {
  strokes: unknown[];
  signerName: string;
  consentText: string;
  signedAt: string;
}

type Staff = { id: number; username: string };

/**
 * Photos and signatures of a record: processed (bounded concurrency), stored privately, hashed into the record's
 * integrity hash, and — when the last required one arrives — the record is submitted in the same transaction.
 * Re-sending the same bytes is answered with the record as it is (200), even after it was submitted.
 */
const evidenceService = ({ strapi }: { strapi: Core.Strapi }) => {
  const config = strapi.config.get('plugin::eas') as EasConfig;
  const limits: ProcessingLimits = {
    ...DEFAULT_LIMITS,
    maxBytes: config.images.maxMegabytes * 1024 * 1024,
    maxPixels: config.images.maxMegapixels * 1_000_000,
    displayEdge: config.images.displayEdge,
  };
  configureSharp(1);
  const queue = createBoundedQueue({ concurrency: config.images.concurrency, maxWaiting: config.images.queueMax });

  const records = () => getService(strapi, 'record');
  const media = () => getService(strapi, 'media-storage');

  const processBounded = async <T>(job: () => Promise<T>): Promise<T> => {
    try {
      return await queue.run(job);
    } catch (err) {
      if (err instanceof MediaRejectedError) throw Object.assign(createError(err.status, err.message), { details: { code: err.code } });
      if (err instanceof QueueFullError) throw Object.assign(createError(503, err.message), { details: { retryAfterSeconds: 5 } });
      throw err;
    }
  };

  const reload = async (id: number) => (await records().findRow({ id }))!;

  /**
   * Inside one transaction: replace the slot's row, recompute the integrity hash and, when nothing required is
   * missing any more, submit a draft. Uploaded files of a failed attempt are removed; replaced files after commit.
   */
  const commit = async (
    row: RecordRow,
    user: Staff,
    write: () => Promise<void>,
    uploaded: FileRow[],
    replaced: (FileRow | null)[]
  ): Promise<RecordRow> => {
    try {
      await transaction(strapi, async () => {
        await write();
        const current = await reload(row.id);
        const hash = integrityOf(current);
        const definition = current.formVersion.definition;
        const missing = missingMedia(definition, current);
        // The last *required* upload submits the draft; with only optional slots the device submits explicitly.
        const hasRequired = definition.photos.some((p) => p.required) || definition.signatures.some((s) => s.required);
        if (current.state === 'draft' && hasRequired && missing.photos.length === 0 && missing.signatures.length === 0) {
          await getService(strapi, 'lifecycle').transition(current, 'submitted', { kind: 'field-staff', id: user.id, name: user.username }, { extra: { integrityHash: hash } });
        } else {
          await strapi.db.query(UID.record).update({ where: { id: row.id }, data: { integrityHash: hash } });
        }
      });
    } catch (err) {
      await media().remove(uploaded);
      throw err;
    }
    await media().remove(replaced);
    const after = await reload(row.id);
    // The row was just read back: announce it as is.
    records().announceRow(after, EVENTS.mediaProcessed, ...(row.state !== 'submitted' && after.state === 'submitted' ? [EVENTS.recordSubmitted] : []));
    return after;
  };

  /**
   * Two copies of one upload raced (a device re-sent it before the first answer came): the slot's unique index let
   * one write in. If the winner holds the same bytes this request is a replay (200); other bytes are a conflict.
   */
  const afterLostRace = async (err: unknown, row: RecordRow, slotOf: (r: RecordRow) => { receivedSha256?: string | null } | undefined, received: string, what: string) => {
    if (!isUniqueViolation(err)) throw err;
    const now = await reload(row.id);
    if (slotOf(now)?.receivedSha256 === received) return { record: records().view(now), created: false };
    throw conflict(`Another upload of the ${what} of record ${row.reference} arrived at the same time; send it again`, { slot: what });
  };

  /** Puts one slot's row (photo side or signature slot) in place of the old one, through commit(). */
  const replaceSlot = async (slot: {
    row: RecordRow;
    user: Staff;
    uid: typeof UID.photo | typeof UID.signature;
    existing: { id: number } | undefined;
    data: Record<string, unknown>;
    uploaded: FileRow[];
    replaced: (FileRow | null)[];
    slotOf: (r: RecordRow) => { receivedSha256?: string | null } | undefined;
    received: string;
    what: string;
  }): Promise<{ record: RecordView; created: boolean }> => {
    const rows = strapi.db.query(slot.uid);
    try {
      const updated = await commit(
        slot.row,
        slot.user,
        async () => {
          if (slot.existing) await rows.delete({ where: { id: slot.existing.id } });
          await rows.create({ data: { ...slot.data, record: slot.row.id, publishedAt: new Date() } });
        },
        slot.uploaded,
        slot.replaced
      );
      return { record: records().view(updated), created: !slot.existing };
    } catch (err) {
      return afterLostRace(err, slot.row, slot.slotOf, slot.received, slot.what);
    }
  };

  const assertEditable = (row: RecordRow, what: string) => {
    if (!isEditable(row.state)) {
      throw conflict(`Record ${row.reference} is ${row.state}; its ${what} can no longer be changed`, { status: row.state });
    }
  };

  return {
    async putPhoto(user: Staff, documentId: string, side: 'front' | 'back', upload: PhotoUpload): Promise<{ record: RecordView; created: boolean }> {
      const row = await records().findOwnRow(user, documentId);
      const slot = row.formVersion.definition.photos.find((p) => p.side === side);
      if (!slot) throw new errors.ValidationError(`side: the form "${row.formVersion.slug}" has no ${side} photo`);
      const received = sha256(upload.buffer);
      const existing = row.photos.find((p) => p.side === side);
      if (existing && existing.receivedSha256 === received) return { record: records().view(row), created: false };
      assertEditable(row, 'photos');

      const processed = await processBounded(() => processPhoto(upload.buffer, upload.filename, limits));
      const file = await media().store(processed.display, `${side}`);
      const thumbnail = await media().store(processed.thumbnail, `${side}-thumbnail`);
      const oldFiles = existing ? [await media().findFile(existing.file?.id ?? -1), await media().findFile(existing.thumbnail?.id ?? -1)] : [];
      return replaceSlot({
        row,
        user,
        uid: UID.photo,
        existing,
        data: {
          side,
          slotKey: `${row.documentId}:${side}`,
          file: file.id,
          thumbnail: thumbnail.id,
          width: processed.display.width,
          height: processed.display.height,
          bytes: processed.display.bytes,
          sha256: processed.display.sha256,
          originalSha256: upload.originalSha256,
          receivedSha256: received,
          metadata: upload.metadata,
        },
        uploaded: [file, thumbnail],
        replaced: oldFiles,
        slotOf: (r) => r.photos.find((p) => p.side === side),
        received,
        what: `${side} photo`,
      });
    },

    async putSignature(user: Staff, documentId: string, slotKey: string, upload: SignatureUpload): Promise<{ record: RecordView; created: boolean }> {
      const row = await records().findOwnRow(user, documentId);
      const slot = row.formVersion.definition.signatures.find((s) => s.key === slotKey);
      if (!slot) throw new errors.NotFoundError(`The form "${row.formVersion.slug}" has no signature slot "${slotKey}"`);
      const received = sha256(upload.buffer);
      const existing = row.signatures.find((s) => s.slot === slotKey);
      if (existing && existing.receivedSha256 === received) return { record: records().view(row), created: false };
      assertEditable(row, 'signatures');
      if (upload.consentText.trim() !== slot.consentText.trim()) {
        throw new errors.ValidationError('consentText: differs from the consent text of this form version; reload the form and sign again', {
          errors: [{ path: ['consentText'], message: 'differs from the consent text of this form version' }],
        });
      }

      const processed = await processBounded(() => processSignature(upload.buffer, upload.filename, limits));
      const file = await media().store(processed.image, `signature-${slotKey}`);
      // What the person signed for: the record as it stood before this signature (without any earlier one of this slot).
      const hashAtSigning = integrityOf({ ...row, signatures: row.signatures.filter((s) => s.slot !== slotKey) });
      const oldFiles = existing ? [await media().findFile(existing.file?.id ?? -1)] : [];
      return replaceSlot({
        row,
        user,
        uid: UID.signature,
        existing,
        data: {
          slot: slotKey,
          slotKey: `${row.documentId}:${slotKey}`,
          role: slot.role,
          signerName: upload.signerName,
          file: file.id,
          strokes: upload.strokes,
          consentText: slot.consentText,
          signedAt: new Date(upload.signedAt),
          sha256: processed.image.sha256,
          receivedSha256: received,
          recordHashAtSigning: hashAtSigning,
        },
        uploaded: [file],
        replaced: oldFiles,
        slotOf: (r) => r.signatures.find((x) => x.slot === slotKey),
        received,
        what: `signature ${slotKey}`,
      });
    },

    queueStats: () => queue.stats(),
  };
};

export default evidenceService;
