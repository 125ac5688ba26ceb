import { createHmac, randomBytes, timingSafeEqual } from 'crypto';
import type { Core } from '@strapi/strapi';
import type { EasConfig } from '../config';
import { UID } from '../constants';
import { createBackend, newKey } from '../utils/evidence-backends';
import { sha256 } from '../utils/hash';
import type { StoredImage } from '../utils/image-processing';

export interface EvidenceFileRow {
  id: number;
  storageKey: string;
  purpose: 'photo' | 'thumbnail' | 'signature';
  mime: string;
  bytes: number;
  width: number | null;
  height: number | null;
  sha256: string;
  redactedAt: string | null;
  createdAt: string;
}

/**
 * Evidence files: bytes in the private store (utils/evidence-backends.ts), one `eas_evidence_files` row each with
 * the SHA-256 taken when they were stored. Never in the Media Library, never under /uploads; readable only through
 * short-lived signed URLs of /api/eas/media and by EAS itself (PDFs, the integrity check).
 *
 * Order of writing: the row first (so bytes are never stored without a row that finds them again), then the bytes;
 * a failed put removes the row. Rows no photo or signature points at are swept by the orphan sweeper.
 */
const evidenceStoreService = ({ strapi }: { strapi: Core.Strapi }) => {
  const config = strapi.config.get('plugin::eas') as EasConfig;
  const backend = createBackend(config.evidence);
  const files = () => strapi.db.query(UID.evidenceFile);

  // Signing key for media URLs, derived from the app keys (a secret every instance shares).
  const urlKey = createHmac('sha256', 'eas-media-url')
    .update((strapi.config.get('server.app.keys') as string[]).join(','))
    .digest();
  const urlSignature = (fileId: number, expires: number) => createHmac('sha256', urlKey).update(`${fileId}.${expires}`).digest('base64url');

  const api = {
    backend: backend.kind,

    /** Stores one processed image: its row, then its bytes. */
    async store(image: StoredImage, purpose: EvidenceFileRow['purpose']): Promise<EvidenceFileRow> {
      const row = (await files().create({
        data: {
          storageKey: newKey(image.ext),
          purpose,
          mime: image.mime,
          bytes: image.bytes,
          width: image.width,
          height: image.height,
          sha256: image.sha256,
          publishedAt: new Date(),
        },
      })) as EvidenceFileRow;
      try {
        await backend.put(row.storageKey, image.buffer, image.mime);
      } catch (err) {
        // The row stays if this fails too: the orphan sweep finds it (and any bytes written) later.
        await files()
          .delete({ where: { id: row.id } })
          .catch((cleanup: Error) =>
            strapi.log.warn(
              `[eas] evidence file ${row.id} could not be stored nor removed (the orphan sweep will retry): ${cleanup.message}`
            )
          );
        throw err;
      }
      return row;
    },

    /** The stored bytes (PDF embedding, serving, re-hashing). Throws EvidenceMissingError when they are gone. */
    read: (file: Pick<EvidenceFileRow, 'storageKey'>): Promise<Buffer> => backend.get(file.storageKey),

    /** SHA-256 of the bytes as stored now. */
    async hashStored(file: Pick<EvidenceFileRow, 'storageKey'>): Promise<string> {
      return sha256(await backend.get(file.storageKey));
    },

    findFile: (id: number): Promise<EvidenceFileRow | null> => files().findOne({ where: { id } }),

    /** Files of replaced draft media or of failed uploads (never linked to a submitted record): bytes and rows go. */
    async remove(list: (Pick<EvidenceFileRow, 'id' | 'storageKey'> | null | undefined)[]) {
      for (const file of list) {
        if (!file) continue;
        try {
          await backend.delete(file.storageKey);
          await files().delete({ where: { id: file.id } });
        } catch (err) {
          // The row stays, so the orphan sweep finds the bytes again later.
          strapi.log.warn(`[eas] could not remove evidence file ${file.id} yet (the orphan sweep will retry): ${(err as Error).message}`);
        }
      }
    },

    /** A data-protection redaction: the bytes are deleted, the row and its SHA-256 stay, marked redacted. */
    async redact(file: Pick<EvidenceFileRow, 'id' | 'storageKey'>, at: Date) {
      await files().update({ where: { id: file.id }, data: { redactedAt: at } });
      await backend.delete(file.storageKey);
    },

    /**
     * Evidence files no photo or signature points at, created before `olderThan`: left behind when an upload failed
     * and its cleanup could not reach the database (e.g. during a database restart). At most `limit` per call.
     */
    async findOrphans(olderThan: Date, limit = 200): Promise<EvidenceFileRow[]> {
      const knex = strapi.db.connection;
      const table = strapi.db.metadata.get(UID.evidenceFile).tableName;
      const links = [
        [UID.photo, 'file'],
        [UID.photo, 'thumbnail'],
        [UID.signature, 'file'],
      ].map(([uid, field]) => {
        const join = (strapi.db.metadata.get(uid).attributes[field] as { joinTable: { name: string; inverseJoinColumn: { name: string } } })
          .joinTable;
        return { name: join.name, column: join.inverseJoinColumn.name };
      });
      let query = knex(table).select('id', 'created_at').whereNull('redacted_at');
      for (const link of links) {
        query = query.whereNotExists(
          knex(link.name).select(knex.raw('1')).whereRaw('??.?? = ??.??', [link.name, link.column, table, 'id'])
        );
      }
      const unlinked: { id: number; created_at: string | number | Date }[] = await query.orderBy('id').limit(limit);
      const ids = unlinked.filter((f) => new Date(f.created_at).getTime() < olderThan.getTime()).map((f) => f.id);
      return ids.length ? ((await files().findMany({ where: { id: { $in: ids } } })) as EvidenceFileRow[]) : [];
    },

    /** Health probe: write, read back and delete a small object in the evidence store. */
    async probe(): Promise<void> {
      const key = newKey('.txt');
      const body = Buffer.from(`eas health ${randomBytes(8).toString('hex')}`);
      await backend.put(key, body, 'text/plain');
      try {
        if (!(await backend.get(key)).equals(body)) throw new Error('read back different bytes');
      } finally {
        await backend.delete(key);
      }
    },

    /** A URL an <img> can use for `ttlSeconds` (default 15 min): /api/eas/media/:id?exp=…&sig=… */
    signedUrl(fileId: number, ttlSeconds = 900): string {
      const expires = Math.floor(Date.now() / 1000) + ttlSeconds;
      return `/api/eas/media/${fileId}?exp=${expires}&sig=${urlSignature(fileId, expires)}`;
    },

    /** True when the signature matches and has not expired. */
    verifyUrl(fileId: number, expires: number, sig: string): boolean {
      if (!Number.isInteger(expires) || expires < Date.now() / 1000) return false;
      const expected = Buffer.from(urlSignature(fileId, expires));
      const given = Buffer.from(sig);
      return expected.length === given.length && timingSafeEqual(expected, given);
    },
  };
  return api;
};

export default evidenceStoreService;
