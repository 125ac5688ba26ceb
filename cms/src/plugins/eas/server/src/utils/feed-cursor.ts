/**
 * The feed's position (docs/feed.md): records in (updatedAt, id) order; a cursor is the last row a client read,
 * opaque to it (base64url of `[updatedAt ISO, id]`). Pure: the service builds its query from `feedWhere`.
 */
export interface FeedPosition {
  updatedAt: Date;
  id: number;
}

export const encodeCursor = (p: FeedPosition) => Buffer.from(JSON.stringify([p.updatedAt.toISOString(), p.id])).toString('base64url');

/** The position a cursor names, or null when it is not one this feed wrote (the controller answers 400 `cursor`). */
export const decodeCursor = (cursor: string): FeedPosition | null => {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [at, id] = value as [unknown, unknown];
    if (typeof at !== 'string' || !Number.isSafeInteger(id) || (id as number) < 1) return null;
    const updatedAt = new Date(at);
    if (Number.isNaN(updatedAt.getTime()) || updatedAt.toISOString() !== at) return null;
    return { updatedAt, id: id as number };
  } catch {
    return null;
  }
};

/**
 * The records after `after` (or changed at or after `since`), up to the settled point `now - settleMs`: a change
 * committed a moment later with an earlier timestamp (transactions overlap) is not skipped by a client that already
 * read past that timestamp — rows younger than the settle time wait for the next pull.
 */
export const feedWhere = (opts: { after: FeedPosition | null; since: Date | null; now: Date; settleMs: number }) => {
  const settled = new Date(opts.now.getTime() - opts.settleMs);
  const and: Record<string, unknown>[] = [{ updatedAt: { $lte: settled } }];
  if (opts.since) and.push({ updatedAt: { $gte: opts.since } });
  if (opts.after)
    and.push({ $or: [{ updatedAt: { $gt: opts.after.updatedAt } }, { updatedAt: opts.after.updatedAt, id: { $gt: opts.after.id } }] });
  return { $and: and };
};
