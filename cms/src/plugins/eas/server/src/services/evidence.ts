import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { photoSlot, photoSlots } from '../../../shared/photo-slots';
import { consentLanguage, consentTexts } from '../../../shared/i18n/form-language';
import type { PhotoMetadata, RecordView } from '../../../shared/contracts/record';
import { isEditable } from '../../../shared/record-status';
import type { EasConfig } from '../config';
import { UID } from '../constants';
import { conflict, isUniqueViolation, mediaRejected, uploadQueueFull } from '../errors';
import { QueueFullError, createBoundedQueue } from '../utils/bounded-queue';
import {
  DEFAULT_LIMITS,
  MediaRejectedError,
  configureSharp,
  processPhoto,
  processSignature,
  sha256,
  type ImageFormat,
  type ProcessingLimits,
} from '../utils/image-processing';
import { getService } from '../utils/get-service';
import { createContentCredentials, qualifiesForC2pa } from '../utils/content-credentials';
import { analysePhoto } from '../utils/photo-quality';
import { flagsColumn, photoVerdict } from '../utils/photo-verdict';
import { contentHashOf, integrityOf, photoPart, signaturePart, strokesSha256 } from '../utils/record-state';
import type { RecordRow } from '../utils/record-view';
import { transaction } from '../utils/transaction';
import type { EvidenceFileRow } from './evidence-store';

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
  /** SHA-256 of the content document the phone showed the signer (shared/integrity.ts). */
  contentHash: string;
}

type Staff = { id: number; username: string };

/**
 * Photos and signatures of a record: processed (bounded concurrency), stored in the private evidence store, hashed
 * into the record's integrity hash and recorded in the audit chain, in one transaction. A signature is accepted only
 * if it endorses exactly the content the server holds (the phone sends the content hash it showed the signer).
 * Re-sending the same bytes is answered with the record as it is (200), even after it was submitted. The device
 * submits the record itself once its photos and then its signatures are in (POST …/submit).
 */
const FORMAT_MIME: Record<ImageFormat, 'image/jpeg' | 'image/png' | 'image/webp'> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
};

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
  const media = () => getService(strapi, 'evidence-store');

  /**
   * Content credentials (docs/photo-quality.md, "Content credentials"): when the sealing certificate qualifies for
   * C2PA, the display copy carries a manifest signed with it — what EAS did to the device's original (named by its
   * SHA-256), and the record — embedded before the copy is hashed and stored. Otherwise the copy is stored as made.
   */
  let credentials: Promise<ReturnType<typeof createContentCredentials> | null> | null = null;
  const contentCredentials = () =>
    (credentials ??= (async () => {
      if (!config.images.contentCredentials) return null;
      const identity = await getService(strapi, 'pdf-export').sealIdentity();
      if (!qualifiesForC2pa(identity.chain[0])) {
        strapi.log.info(
          '[eas] stored photos carry no content credentials: the sealing certificate names no extended key usage C2PA accepts (documentSigning or emailProtection; docs/photo-quality.md)'
        );
        return null;
      }
      return createContentCredentials({ identity });
    })());
  const withCredentials = async (
    processed: Awaited<ReturnType<typeof processPhoto>>,
    at: { row: RecordRow; side: string; upload: PhotoUpload }
  ) => {
    const c2pa = await contentCredentials();
    if (!c2pa) return processed.display;
    const { row, side, upload } = at;
    const gps = upload.metadata?.gps;
    const buffer = await c2pa.embed(processed.display.buffer, {
      title: `${row.reference} ${side}.jpg`,
      reference: row.reference,
      side,
      capturedAt: upload.metadata?.takenAt ?? new Date(row.capturedAt).toISOString(),
      device: upload.metadata?.device ?? null,
      // Only what the person allowed the phone to send (metadata.gps), as on the record page.
      location: gps ? { latitude: gps.lat, longitude: gps.lng, accuracy: gps.accuracy ?? null } : null,
      original: { sha256: upload.originalSha256, format: FORMAT_MIME[processed.format] },
      actions: [
        ...(processed.display.width < processed.original.width || processed.display.height < processed.original.height
          ? (['c2pa.resized'] as const)
          : []),
        processed.format === 'jpeg' ? 'c2pa.transcoded' : 'c2pa.converted',
        'c2pa.edited.metadata',
      ],
    });
    return { ...processed.display, buffer, bytes: buffer.length, sha256: sha256(buffer) };
  };

  const processBounded = async <T>(job: () => Promise<T>): Promise<T> => {
    try {
      return await queue.run(job);
    } catch (err) {
      if (err instanceof MediaRejectedError) throw mediaRejected(err.status, err.code, err.message);
      if (err instanceof QueueFullError) throw uploadQueueFull(err.message);
      throw err;
    }
  };

  const reload = async (id: number) => (await records().findRow({ id }))!;

  /**
   * Inside one transaction: replace the slot's row, recompute the integrity hash and append the audit entry (with
   * the new part's hash). Files of a failed attempt are removed; replaced files after commit.
   */
  const commit = async (
    row: RecordRow,
    user: Staff,
    slot: { kind: 'photo' | 'signature'; name: string },
    write: () => Promise<void>,
    uploaded: EvidenceFileRow[],
    replaced: (EvidenceFileRow | null)[]
  ): Promise<RecordRow> => {
    try {
      await transaction(strapi, async () => {
        await write();
        const current = await reload(row.id);
        const integrityHash = integrityOf(current);
        // Only while the record may still change: a submission that committed meanwhile (this upload may have
        // waited in the image queue) wins, and this upload is refused instead of landing in a submitted record.
        const { count } = await strapi.db
          .query(UID.record)
          .updateMany({ where: { id: row.id, state: { $in: ['draft', 'rejected'] } }, data: { integrityHash, updatedAt: new Date() } });
        if (count !== 1) throw lockedMeanwhile(row);
        const part =
          slot.kind === 'photo'
            ? { side: slot.name, photos: { [slot.name]: photoPart(current.photos.find((p) => p.side === slot.name)!) } }
            : { slot: slot.name, signatures: { [slot.name]: signaturePart(current.signatures.find((s) => s.slot === slot.name)!) } };
        await getService(strapi, 'audit').append({
          action: slot.kind === 'photo' ? 'photo.stored' : 'signature.stored',
          actor: { kind: 'field-staff', id: user.id, name: user.username },
          record: row,
          details: { ...part, integrityHash },
        });
      });
    } catch (err) {
      await media().remove(uploaded);
      // The database's guards refuse removing a submitted record's photo or signature: the same race, seen there.
      if (/EAS: DELETE on .* is refused/.test(String((err as Error).message))) throw lockedMeanwhile(row);
      throw err;
    }
    await media().remove(replaced);
    const after = await reload(row.id);
    // The row was just read back: announce it as is.
    const stored =
      slot.kind === 'photo' ? after.photos.find((p) => p.side === slot.name) : after.signatures.find((s) => s.slot === slot.name);
    records().announceMedia(after, { kind: slot.kind, slot: slot.name, sha256: stored?.sha256 ?? null });
    return after;
  };

  /**
   * Two copies of one upload raced (a device re-sent it before the first answer came): the slot's unique index let
   * one write in. If the winner holds the same bytes this request is a replay (200); other bytes are a conflict.
   */
  const afterLostRace = async (
    err: unknown,
    row: RecordRow,
    slotOf: (r: RecordRow) => { receivedSha256?: string | null } | undefined,
    received: string,
    what: string
  ) => {
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
    uploaded: EvidenceFileRow[];
    replaced: (EvidenceFileRow | null)[];
    slotOf: (r: RecordRow) => { receivedSha256?: string | null } | undefined;
    received: string;
    what: string;
    name: string;
  }): Promise<{ record: RecordView; created: boolean }> => {
    const rows = strapi.db.query(slot.uid);
    try {
      const updated = await commit(
        slot.row,
        slot.user,
        { kind: slot.uid === UID.photo ? 'photo' : 'signature', name: slot.name },
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

  /**
   * Perceptual hashes of the photos of every other record, for near-duplicate detection. A scan of one short column:
   * fine for tens of thousands of photos (docs/photo-quality.md, Limits).
   */
  const otherRecordsHashes = async (recordId: number) => {
    const rows: { perceptualHash: string; record: { reference: string } | null }[] = await strapi.db.query(UID.photo).findMany({
      where: { perceptualHash: { $notNull: true }, record: { id: { $ne: recordId } } },
      select: ['perceptualHash'],
      populate: { record: { select: ['reference'] } },
    });
    return rows.filter((r) => r.record).map((r) => ({ hash: r.perceptualHash, reference: r.record!.reference }));
  };

  const lockedMeanwhile = (row: RecordRow) =>
    conflict(`Record ${row.reference} was submitted while this upload was processed; its media can no longer be changed`, {
      code: 'record_locked',
    });

  const assertEditable = (row: RecordRow, what: string) => {
    if (!isEditable(row.state)) {
      throw conflict(`Record ${row.reference} is ${row.state}; its ${what} can no longer be changed`, { status: row.state });
    }
  };

  return {
    async putPhoto(user: Staff, documentId: string, side: string, upload: PhotoUpload): Promise<{ record: RecordView; created: boolean }> {
      const row = await records().findOwnRow(user, documentId);
      const slot = photoSlot(row.formVersion.definition, side);
      if (!slot) {
        const known = photoSlots(row.formVersion.definition).map((p) => `"${p.side}"`);
        throw new errors.ValidationError(
          `side: the form "${row.formVersion.slug}" has no photo "${side}"${known.length ? ` (its photos: ${known.join(', ')})` : ' (it asks for no photos)'}`
        );
      }
      const received = sha256(upload.buffer);
      const existing = row.photos.find((p) => p.side === side);
      if (existing && existing.receivedSha256 === received) return { record: records().view(row), created: false };
      assertEditable(row, 'photos');

      const processed = await processBounded(() => processPhoto(upload.buffer, upload.filename, limits));
      const analysis = await processBounded(() => analysePhoto(processed.display.buffer));
      const quality = photoVerdict({
        analysis,
        size: { width: processed.original.width, height: processed.original.height },
        slot,
        metadata: upload.metadata,
        record: { capturedAt: String(row.capturedAt), location: row.location ?? null },
        // Front and back are two sides of one thing: a back that repeats the front is flagged (photo fields are not).
        otherSideHash:
          side === 'front' || side === 'back'
            ? (row.photos.find((p) => p.side === (side === 'front' ? 'back' : 'front'))?.perceptualHash ?? null)
            : null,
        others: analysis.hash ? await otherRecordsHashes(row.id) : [],
        limits: { timeSkewMinutes: config.images.photoTimeSkewMinutes, gpsDistanceMetres: config.images.photoGpsDistanceMetres },
      });
      // The copy as stored: with its content credentials when they are on, and hashed as such.
      const display = await withCredentials(processed, { row, side, upload });
      const file = await media().store(display, 'photo');
      const thumbnail = await media()
        .store(processed.thumbnail, 'thumbnail')
        .catch(async (err) => {
          await media().remove([file]);
          throw err;
        });
      const oldFiles = existing
        ? [await media().findFile(existing.file?.id ?? -1), await media().findFile(existing.thumbnail?.id ?? -1)]
        : [];
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
          width: display.width,
          height: display.height,
          bytes: display.bytes,
          sha256: display.sha256,
          originalSha256: upload.originalSha256,
          receivedSha256: received,
          metadata: upload.metadata,
          quality,
          qualityFlags: flagsColumn(quality.flags),
          perceptualHash: analysis.hash,
        },
        uploaded: [file, thumbnail],
        replaced: oldFiles,
        slotOf: (r) => r.photos.find((p) => p.side === side),
        received,
        what: `${side} photo`,
        name: side,
      });
    },

    async putSignature(
      user: Staff,
      documentId: string,
      slotKey: string,
      upload: SignatureUpload
    ): Promise<{ record: RecordView; created: boolean }> {
      const row = await records().findOwnRow(user, documentId);
      const slot = row.formVersion.definition.signatures.find((s) => s.key === slotKey);
      if (!slot) throw new errors.NotFoundError(`The form "${row.formVersion.slug}" has no signature slot "${slotKey}"`);
      const received = sha256(upload.buffer);
      const existing = row.signatures.find((s) => s.slot === slotKey);
      // The same signature over the same content again (a retry) is answered with the record as it is.
      if (existing && existing.receivedSha256 === received && existing.contentHash === upload.contentHash)
        return { record: records().view(row), created: false };
      assertEditable(row, 'signatures');
      // The signer read the consent in one of the form's languages: any of those texts, exactly; nothing else.
      const signedIn = consentLanguage(row.formVersion.definition, slot, upload.consentText);
      if (signedIn === undefined) {
        throw new errors.ValidationError(
          'consentText: differs from the consent text of this form version (in each of its languages); reload the form and sign again',
          {
            errors: [{ path: ['consentText'], message: 'differs from the consent text of this form version' }],
          }
        );
      }
      // What the person signed for must be what the server holds: the same data, capture time, place and photos.
      const stored = contentHashOf(row);
      if (upload.contentHash !== stored) {
        throw conflict(
          `The signature of the ${slot.role} endorses other content than record ${row.reference} holds: the data or a photo differs from what the signer saw. Send the record's data and photos first, then show the record to the signer and sign again.`,
          { code: 'signature_content_mismatch', slot: slotKey, contentHash: stored }
        );
      }

      // A signature is given once, after the record was captured: the same drawing again (on this record over other
      // content, or on another record) is a copy, not a signature.
      if (Date.parse(upload.signedAt) < new Date(row.capturedAt).getTime() - 60_000) {
        throw new errors.ValidationError('signedAt: is before the record was captured; check the device clock', {
          errors: [{ path: ['signedAt'], message: 'is before the record was captured' }],
        });
      }
      const strokesHash = strokesSha256(upload.strokes);
      const copied = await strapi.db.query(UID.signature).count({
        where: {
          $or: [{ strokesSha256: strokesHash }, { receivedSha256: received }],
          // …except this very upload, stored meanwhile by a copy of the request (a retry): that is answered below.
          $not: { slotKey: `${row.documentId}:${slotKey}`, receivedSha256: received, contentHash: upload.contentHash },
        },
      });
      if (copied) {
        throw conflict(`This signature was already given (over other content or on another record): ask the ${slot.role} to sign again`, {
          code: 'signature_reused',
          slot: slotKey,
        });
      }

      const processed = await processBounded(() => processSignature(upload.buffer, upload.filename, limits));
      const file = await media().store(processed.image, 'signature');
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
          // The text the signer read and signed, in its language (the default language's when the form has one).
          consentText: consentTexts(slot).find((t) => t === upload.consentText.trim()) ?? slot.consentText,
          consentLanguage: signedIn,
          signedAt: new Date(upload.signedAt),
          sha256: processed.image.sha256,
          receivedSha256: received,
          contentHash: upload.contentHash,
          strokesSha256: strokesHash,
        },
        uploaded: [file],
        replaced: oldFiles,
        slotOf: (r) => r.signatures.find((x) => x.slot === slotKey),
        received,
        what: `signature ${slotKey}`,
        name: slotKey,
      });
    },

    queueStats: () => queue.stats(),
  };
};

export default evidenceService;
