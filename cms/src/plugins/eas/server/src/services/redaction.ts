import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { RecordView, RedactRecord } from '../../../shared/contracts/record';
import { EVENTS } from '../../../shared/events';
import { UID } from '../constants';
import { getService } from '../utils/get-service';
import { dataPart, photoPart, signaturePart, statusPart } from '../utils/record-state';
import type { FileRef } from '../utils/record-view';
import { transaction } from '../utils/transaction';
import { adminActor, type AdminUser } from './review';

/**
 * Data-protection redaction: the only way personal data leaves a record. Nothing is deleted from the history or
 * the chain: the record keeps its reference, its state, its recorded integrity hash and every file's SHA-256; the
 * named field values are removed, the named photos' and signatures' files are deleted from the evidence store, a
 * redacted signature loses its image, strokes and signer name. One audit entry says who did it, when, why and what.
 */
const redactionService = ({ strapi }: { strapi: Core.Strapi }) => ({
  async redact(admin: AdminUser, documentId: string, req: RedactRecord.Request): Promise<RecordView> {
    const row = await getService(strapi, 'integrity').findRow({ documentId });
    const definition = row.formVersion.definition;
    const fields = [...new Set(req.fields ?? [])];
    const sides = [...new Set(req.photos ?? [])];
    const slots = [...new Set(req.signatures ?? [])];
    if (req.location && !row.location)
      throw new errors.ValidationError(`location: record ${row.reference} has no location`, {
        errors: [{ path: ['location'], message: 'the record has no location' }],
      });
    const problems = [
      ...fields
        .filter((k) => !definition.fields.some((f) => f.key === k))
        .map((k) => ({ path: ['fields'], message: `fields: "${k}" is not a field of this form` })),
      ...sides
        .filter((s) => !row.photos.some((p) => p.side === s))
        .map((s) => ({ path: ['photos'], message: `photos: record ${row.reference} has no ${s} photo` })),
      ...slots
        .filter((s) => !row.signatures.some((x) => x.slot === s))
        .map((s) => ({ path: ['signatures'], message: `signatures: record ${row.reference} has no signature "${s}"` })),
    ];
    if (problems.length) throw new errors.ValidationError(problems.map((p) => p.message).join('; '), { errors: problems });

    const at = new Date();
    const stamp = at.toISOString();
    const data = Object.fromEntries(Object.entries(row.data ?? {}).filter(([k]) => !fields.includes(k)));
    const files: FileRef[] = [
      ...row.photos.filter((p) => sides.includes(p.side)).flatMap((p) => [p.file, p.thumbnail]),
      ...row.signatures.filter((s) => slots.includes(s.slot)).map((s) => s.file),
    ].filter((f): f is FileRef => Boolean(f));
    const redactFile = (f: FileRef | null) => (f ? { ...f, redactedAt: stamp } : f);
    // A redacted photo loses its files and its capture metadata (time, device, GPS); a signature its image, strokes
    // and signer name. What the chain records afterwards is each redacted part as it now is.
    const photos = row.photos.map((p) =>
      sides.includes(p.side) ? { ...p, metadata: null, file: redactFile(p.file), thumbnail: redactFile(p.thumbnail) } : p
    );
    const signatures = row.signatures.map((s) =>
      slots.includes(s.slot) ? { ...s, signerName: null, strokes: null, file: redactFile(s.file) } : s
    );
    const location = req.location ? null : row.location;
    const reviewComment = req.comments ? null : row.reviewComment;
    const after = { ...row, data, location, reviewComment, photos, signatures };

    await transaction(strapi, async () => {
      await strapi.db
        .query(UID.record)
        .update({ where: { id: row.id }, data: { data, location, reviewComment, redactedAt: at, updatedAt: at } });
      if (req.comments) await getService(strapi, 'audit').redactNotes(row.id, at);
      for (const p of row.photos.filter((x) => sides.includes(x.side))) {
        await strapi.db.query(UID.photo).update({ where: { id: p.id }, data: { metadata: null } });
      }
      for (const s of row.signatures.filter((x) => slots.includes(x.slot))) {
        await strapi.db.query(UID.signature).update({ where: { id: s.id }, data: { signerName: null, strokes: null } });
      }
      if (files.length)
        await strapi.db.query(UID.evidenceFile).updateMany({ where: { id: { $in: files.map((f) => f.id) } }, data: { redactedAt: at } });
      await getService(strapi, 'audit').append({
        action: 'record.redacted',
        actor: adminActor(admin),
        record: row,
        at,
        notes: { reason: req.reason },
        details: {
          fields,
          photoSides: sides,
          signatureSlots: slots,
          location: Boolean(req.location),
          comments: Boolean(req.comments),
          integrityHash: row.integrityHash,
          data: dataPart(after),
          status: statusPart({ ...after, state: row.state }),
          photos: Object.fromEntries(photos.filter((p) => sides.includes(p.side)).map((p) => [p.side, photoPart(p)])),
          signatures: Object.fromEntries(signatures.filter((s) => slots.includes(s.slot)).map((s) => [s.slot, signaturePart(s)])),
        },
      });
    });
    // The bytes go after the commit; a failure is logged and a repeated redaction deletes them again.
    const backend = getService(strapi, 'evidence-store');
    for (const file of files) {
      await backend
        .redact(file, at)
        .catch((err: Error) =>
          strapi.log.error(`[eas] redaction of ${row.reference}: file ${file.id} could not be deleted yet: ${err.message}`)
        );
    }
    const redacted = (await getService(strapi, 'record').findRow({ id: row.id }))!;
    getService(strapi, 'record').announceRow(redacted, EVENTS.recordChanged);
    return getService(strapi, 'record').view(redacted);
  },
});

export default redactionService;
