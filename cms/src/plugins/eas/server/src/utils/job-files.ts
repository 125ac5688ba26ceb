/**
 * Files of background jobs (an export's rendered PDFs and its ZIP), where every instance reaches them: beside the
 * evidence, in the same private store — the local evidence folder's `jobs/` subfolder (0700, no static route serves
 * it; never under public/), or a private prefix of the evidence bucket. Keys are "<job uuid>/<name>": one folder per
 * job, removed as a whole when the job expires. No Strapi inside.
 */
import { randomBytes } from 'crypto';
import fs from 'fs';
import path from 'path';
import { Readable } from 'stream';
import { DeleteObjectCommand, DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import type { EasConfig } from '../config';
import { s3ClientFor, s3NotFound, type S3Options } from './evidence-backends';

export interface JobFiles {
  readonly kind: 'local' | 's3';
  put(key: string, body: Buffer, mime: string): Promise<void>;
  /** Stores a file from disk (a ZIP built in a temporary folder); returns its size. */
  putFile(key: string, file: string, mime: string): Promise<number>;
  get(key: string): Promise<Buffer>;
  /** The bytes as a stream, and their size; null when the object is gone. */
  stream(key: string): Promise<{ body: Readable; bytes: number } | null>;
  /** Names (the part after "<job>/") of the files a job has. */
  list(job: string): Promise<string[]>;
  /** Removes one file; a file already gone is not an error. */
  remove(key: string): Promise<void>;
  /** Removes a job's folder; nothing to remove is not an error. */
  removeJob(job: string): Promise<void>;
}

const JOB = /^[0-9a-f-]{36}$/;
const NAME = /^[a-z0-9][a-z0-9.-]{0,60}$/;

export const jobKey = (job: string, name: string) => {
  if (!JOB.test(job) || !NAME.test(name)) throw new Error(`not a job file: ${job}/${name}`);
  return `${job}/${name}`;
};

const split = (key: string) => {
  const [job, name, ...rest] = key.split('/');
  if (rest.length) throw new Error(`not a job file: ${key}`);
  return jobKey(job, name);
};

export const localJobFiles = (root: string): JobFiles => {
  const file = (key: string) => path.join(root, split(key));
  const folder = (job: string) => {
    if (!JOB.test(job)) throw new Error(`not a job: ${job}`);
    return path.join(root, job);
  };
  const place = async (target: string, write: (partial: string) => Promise<void>) => {
    await fs.promises.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    // Written next to its place and renamed: a reader (or a resumed job) never sees half a file.
    const partial = `${target}.${randomBytes(4).toString('hex')}.part`;
    await write(partial);
    await fs.promises.rename(partial, target);
  };
  return {
    kind: 'local',
    put: (key, body) => place(file(key), (partial) => fs.promises.writeFile(partial, body, { mode: 0o600 })),
    async putFile(key, source) {
      await place(file(key), (partial) => fs.promises.copyFile(source, partial).then(() => fs.promises.chmod(partial, 0o600)));
      return (await fs.promises.stat(file(key))).size;
    },
    get: (key) => fs.promises.readFile(file(key)),
    async stream(key) {
      const stat = await fs.promises.stat(file(key)).catch(() => null);
      return stat ? { body: fs.createReadStream(file(key)), bytes: stat.size } : null;
    },
    async list(job) {
      const names = await fs.promises.readdir(folder(job)).catch(() => [] as string[]);
      return names.filter((n) => !n.endsWith('.part'));
    },
    remove: (key) => fs.promises.rm(file(key), { force: true }),
    removeJob: (job) => fs.promises.rm(folder(job), { recursive: true, force: true }),
  };
};

export const s3JobFiles = (options: S3Options, prefix: string): JobFiles => {
  const client = s3ClientFor(options);
  const Bucket = options.bucket;
  const Key = (key: string) => `${prefix}${split(key)}`;
  const folder = (job: string) => {
    if (!JOB.test(job)) throw new Error(`not a job: ${job}`);
    return `${prefix}${job}/`;
  };
  const keys = async (job: string) => {
    const found: string[] = [];
    let ContinuationToken: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket, Prefix: folder(job), ContinuationToken }));
      for (const o of page.Contents ?? []) if (o.Key) found.push(o.Key);
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
    return found;
  };
  return {
    kind: 's3',
    async put(key, body, mime) {
      await client.send(new PutObjectCommand({ Bucket, Key: Key(key), Body: body, ContentType: mime, ACL: 'private' }));
    },
    async putFile(key, source, mime) {
      const bytes = (await fs.promises.stat(source)).size;
      await client.send(
        new PutObjectCommand({
          Bucket,
          Key: Key(key),
          Body: fs.createReadStream(source),
          ContentLength: bytes,
          ContentType: mime,
          ACL: 'private',
        })
      );
      return bytes;
    },
    async get(key) {
      const res = await client.send(new GetObjectCommand({ Bucket, Key: Key(key) }));
      return Buffer.from(await res.Body!.transformToByteArray());
    },
    async stream(key) {
      try {
        const res = await client.send(new GetObjectCommand({ Bucket, Key: Key(key) }));
        return { body: res.Body as Readable, bytes: Number(res.ContentLength ?? 0) };
      } catch (err) {
        if (s3NotFound(err)) return null;
        throw err;
      }
    },
    async list(job) {
      const base = folder(job);
      return (await keys(job)).map((k) => k.slice(base.length));
    },
    async remove(key) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: Key(key) }));
    },
    async removeJob(job) {
      const found = await keys(job);
      for (let i = 0; i < found.length; i += 1000) {
        await client.send(
          new DeleteObjectsCommand({ Bucket, Delete: { Objects: found.slice(i, i + 1000).map((Key) => ({ Key })), Quiet: true } })
        );
      }
    },
  };
};

export const createJobFiles = (evidence: EasConfig['evidence'], s3Prefix: string): JobFiles =>
  evidence.s3 ? s3JobFiles(evidence.s3, s3Prefix) : localJobFiles(path.join(evidence.dir, 'jobs'));
