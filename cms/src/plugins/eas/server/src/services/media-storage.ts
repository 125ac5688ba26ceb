import { createHmac, randomBytes, timingSafeEqual } from 'crypto';
import fs from 'fs';
import path from 'path';
import { Readable } from 'stream';
import type { Core } from '@strapi/strapi';
import type { StoredImage } from '../utils/image-processing';

/** Every EAS file's stored name starts with this; the public /uploads route refuses such names. */
export const PRIVATE_PREFIX = 'eas_private_';

export interface FileRow {
  id: number;
  hash: string;
  ext: string;
  mime: string;
  url: string;
  provider: string;
  size: number;
}

interface UploadProvider {
  isPrivate?: () => boolean | Promise<boolean>;
  getSignedUrl?: (file: FileRow) => Promise<{ url: string }>;
}

/**
 * Evidence files through @strapi/upload (so the Media Library and any provider — local disk or S3 — work), with none
 * of its public behaviour: no responsive formats, an unguessable private name, never served by /uploads, readable
 * only through short-lived signed URLs of /api/eas/media.
 */
const mediaStorageService = ({ strapi }: { strapi: Core.Strapi }) => {
  const upload = () => strapi.plugin('upload');
  const provider = () => upload().provider as unknown as UploadProvider;

  // Signing key derived from the app keys (a secret every instance shares).
  const signingKey = () => createHmac('sha256', 'eas-media-url').update((strapi.config.get('server.app.keys') as string[]).join(',')).digest();
  const signature = (fileId: number, expires: number) =>
    createHmac('sha256', signingKey()).update(`${fileId}.${expires}`).digest('base64url');

  return {
    /** Uploads one processed image through the configured provider and records it in the Media Library. */
    async store(image: StoredImage, label: string): Promise<FileRow> {
      const hash = `${PRIVATE_PREFIX}${randomBytes(16).toString('hex')}`;
      const entity: Record<string, unknown> = {
        name: `${label}${image.ext}`,
        alternativeText: null,
        caption: 'EAS evidence (private)',
        hash,
        ext: image.ext,
        mime: image.mime,
        size: Math.round((image.bytes / 1024) * 100) / 100,
        sizeInBytes: image.bytes,
        width: image.width,
        height: image.height,
        folderPath: '/',
        getStream: () => Readable.from(image.buffer),
      };
      await upload().service('provider').upload(entity);
      entity.provider = (strapi.config.get('plugin::upload') as { provider: string }).provider;
      delete entity.getStream;
      // As the upload service's own (unexported) `add`: one Media Library row. No media.create webhook is emitted, so
      // evidence never leaves through webhooks.
      try {
        return (await strapi.db.query('plugin::upload.file').create({ data: entity })) as FileRow;
      } catch (err) {
        // No row, no way to find the stored bytes again: delete them now (the provider needs no database).
        await (provider() as unknown as { delete: (f: unknown) => Promise<void> }).delete(entity).catch(() => undefined);
        throw err;
      }
    },

    /** The stored bytes of a file (PDF embedding, serving). */
    async read(file: FileRow): Promise<Buffer> {
      if (file.provider === 'local') {
        const root = path.resolve(strapi.dirs.static.public);
        const target = path.resolve(root, `.${file.url}`);
        if (!target.startsWith(root + path.sep)) throw new Error(`file ${file.id} resolves outside the uploads folder`);
        return fs.promises.readFile(target);
      }
      const signed = provider().getSignedUrl ? (await provider().getSignedUrl!(file)).url : file.url;
      const res = await fetch(signed);
      if (!res.ok) throw new Error(`storage answered ${res.status} for file ${file.id}`);
      return Buffer.from(await res.arrayBuffer());
    },

    /** Health probe: write, read back and delete a small object through the configured provider. */
    async probe(): Promise<void> {
      const body = Buffer.from(`eas health ${randomBytes(8).toString('hex')}`);
      const file = {
        name: 'health.txt',
        hash: `${PRIVATE_PREFIX}health_${randomBytes(8).toString('hex')}`,
        ext: '.txt',
        mime: 'text/plain',
        size: body.length / 1024,
        sizeInBytes: body.length,
        getStream: () => Readable.from(body),
      } as Record<string, unknown>;
      await upload().service('provider').upload(file);
      const stored = { ...file, id: 0, url: String(file.url), provider: (strapi.config.get('plugin::upload') as { provider: string }).provider } as unknown as FileRow;
      try {
        const read = await this.read(stored);
        if (!read.equals(body)) throw new Error('read back different bytes');
      } finally {
        await (upload().provider as unknown as { delete: (f: unknown) => Promise<void> }).delete(file);
      }
    },

    async remove(files: (FileRow | null | undefined)[]) {
      for (const file of files) {
        if (!file) continue;
        try {
          await upload().service('upload').remove(file);
        } catch (err) {
          strapi.log.warn(`[eas] could not remove file ${file.id}: ${(err as Error).message}`);
        }
      }
    },

    /**
     * Evidence files no photo or signature points at, stored before `olderThan`: left behind when an upload failed
     * and its cleanup could not reach the database (e.g. during a database restart). At most `limit` per call.
     */
    async findOrphans(olderThan: Date, limit = 200): Promise<FileRow[]> {
      // The unlinked evidence files are few (orphans, and uploads in progress): find them with NOT EXISTS on the
      // Media Library's link table, then keep the old enough ones (dates read back the same way on every database).
      const files = strapi.db.metadata.get('plugin::upload.file');
      const related = files.attributes.related as { joinTable?: { name: string; joinColumn: { name: string } } };
      const links = related.joinTable?.name ?? 'files_related_mph';
      const linkColumn = related.joinTable?.joinColumn.name ?? 'file_id';
      const knex = strapi.db.connection;
      const unlinked: { id: number; created_at: string | number | Date }[] = await knex(files.tableName)
        .select('id', 'created_at')
        .where('hash', 'like', `${PRIVATE_PREFIX}%`)
        .whereNotExists(knex(links).select(knex.raw('1')).whereRaw('??.?? = ??.??', [links, linkColumn, files.tableName, 'id']))
        .orderBy('id')
        .limit(limit);
      const ids = unlinked.filter((f) => new Date(f.created_at).getTime() < olderThan.getTime()).map((f) => f.id);
      return ids.length ? ((await strapi.db.query('plugin::upload.file').findMany({ where: { id: { $in: ids } } })) as FileRow[]) : [];
    },

    async findFile(id: number): Promise<FileRow | null> {
      return strapi.db.query('plugin::upload.file').findOne({ where: { id } });
    },

    /** A URL an <img> can use for `ttlSeconds` (default 15 min): /api/eas/media/:id?exp=…&sig=… */
    signedUrl(fileId: number, ttlSeconds = 900): string {
      const expires = Math.floor(Date.now() / 1000) + ttlSeconds;
      return `/api/eas/media/${fileId}?exp=${expires}&sig=${signature(fileId, expires)}`;
    },

    /** True when the signature matches and has not expired. */
    verify(fileId: number, expires: number, sig: string): boolean {
      if (!Number.isInteger(expires) || expires < Date.now() / 1000) return false;
      const expected = Buffer.from(signature(fileId, expires));
      const given = Buffer.from(sig);
      return expected.length === given.length && timingSafeEqual(expected, given);
    },
  };
};

export default mediaStorageService;
