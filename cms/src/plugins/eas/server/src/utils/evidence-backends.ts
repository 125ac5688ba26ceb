/**
 * Where evidence bytes live. Two backends with one small interface, no Strapi inside:
 * - a local folder (created 0700, files 0600) that no static route serves — never under public/;
 * - a private prefix of an S3 bucket (AWS SDK v3), read and written by EAS only, never through public URLs.
 * Strapi's upload plugin is built for public media (Media Library, /uploads, media webhooks, deletion by editors);
 * evidence needs none of that, so it does not go through it.
 */
import { randomBytes } from 'crypto';
import fs from 'fs';
import path from 'path';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { EasConfig } from '../config';

export interface EvidenceBackend {
  readonly kind: 'local' | 's3';
  put(key: string, body: Buffer, mime: string): Promise<void>;
  get(key: string): Promise<Buffer>;
  /** Removes the bytes; a key that is already gone is not an error. */
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
}

export class EvidenceMissingError extends Error {
  constructor(readonly key: string) {
    super(`evidence object ${key} is missing from the store`);
    this.name = 'EvidenceMissingError';
  }
}

/** A new random key, fanned out over 256 folders: "ab/ab3f…e1.jpg". */
export const newKey = (ext: string) => {
  const id = randomBytes(16).toString('hex');
  return `${id.slice(0, 2)}/${id}${ext}`;
};

const KEY = /^[0-9a-f]{2}\/[0-9a-f]{32}\.(jpg|png|txt)$/;

export const localBackend = (root: string): EvidenceBackend => {
  const file = (key: string) => {
    if (!KEY.test(key)) throw new Error(`not an evidence key: ${key}`);
    return path.join(root, key);
  };
  return {
    kind: 'local',
    async put(key, body) {
      const target = file(key);
      await fs.promises.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
      // Written next to its place and renamed: a reader never sees half a file.
      const partial = `${target}.${randomBytes(4).toString('hex')}.part`;
      await fs.promises.writeFile(partial, body, { mode: 0o600 });
      await fs.promises.rename(partial, target);
    },
    async get(key) {
      try {
        return await fs.promises.readFile(file(key));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new EvidenceMissingError(key);
        throw err;
      }
    },
    async delete(key) {
      await fs.promises.rm(file(key), { force: true });
    },
    async exists(key) {
      return fs.promises.access(file(key)).then(
        () => true,
        () => false
      );
    },
  };
};

export type S3Options = NonNullable<EasConfig['evidence']['s3']>;

/** The S3 client for the evidence bucket (also used for job files, utils/job-files.ts). */
export const s3ClientFor = (options: S3Options) =>
  new S3Client({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    forcePathStyle: options.forcePathStyle,
    ...(options.accessKeyId ? { credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey ?? '' } } : {}),
    // See cms/config/plugins.ts: several S3-compatible servers mishandle the SDK's default checksum headers.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });

/** True for the SDK's "no such object" answers. */
export const s3NotFound = (err: unknown) => {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
};

export const s3Backend = (options: S3Options): EvidenceBackend => {
  const client = s3ClientFor(options);
  const Key = (key: string) => {
    if (!KEY.test(key)) throw new Error(`not an evidence key: ${key}`);
    return `${options.prefix}${key}`;
  };
  const notFound = s3NotFound;
  return {
    kind: 's3',
    async put(key, body, mime) {
      await client.send(new PutObjectCommand({ Bucket: options.bucket, Key: Key(key), Body: body, ContentType: mime, ACL: 'private' }));
    },
    async get(key) {
      try {
        const res = await client.send(new GetObjectCommand({ Bucket: options.bucket, Key: Key(key) }));
        return Buffer.from(await res.Body!.transformToByteArray());
      } catch (err) {
        if (notFound(err)) throw new EvidenceMissingError(key);
        throw err;
      }
    },
    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket: options.bucket, Key: Key(key) }));
    },
    async exists(key) {
      try {
        await client.send(new HeadObjectCommand({ Bucket: options.bucket, Key: Key(key) }));
        return true;
      } catch (err) {
        if (notFound(err)) return false;
        throw err;
      }
    },
  };
};

export const createBackend = (evidence: EasConfig['evidence']): EvidenceBackend =>
  evidence.s3 ? s3Backend(evidence.s3) : localBackend(evidence.dir);
