import type { Context, Next } from 'koa';

/** Every name EAS ever gave an evidence file in the public uploads folder started with this (before evidence moved
 *  to its private store); such files must never be served, however their path is spelled. */
export const LEGACY_PRIVATE_PREFIX = 'eas_private_';

/**
 * The path as a static file server would resolve it: percent-decoded until it no longer changes (double encoding),
 * backslashes as slashes, repeated slashes collapsed, lower case. Undecodable input is judged as it is.
 */
export const normalisePath = (raw: string): string => {
  let path = raw;
  for (let i = 0; i < 4; i++) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      break;
    }
    if (decoded === path) break;
    path = decoded;
  }
  return path
    .replace(/\\/g, '/')
    .replace(/\/{2,}/g, '/')
    .toLowerCase();
};

/**
 * Defence in depth: evidence is not stored under public/ at all (services/evidence-store.ts keeps it in a private
 * folder or S3 prefix). Files of older versions of EAS may still sit in public/uploads under the legacy prefix: any
 * request whose path, however encoded, names one is answered 404 before the static file server sees it.
 */
export const refusePrivatePaths = async (ctx: Context, next: Next) => {
  if (normalisePath(ctx.path).includes(LEGACY_PRIVATE_PREFIX)) {
    ctx.status = 404;
    ctx.body = { data: null, error: { status: 404, name: 'NotFoundError', message: 'Not Found' } };
    return;
  }
  await next();
};
