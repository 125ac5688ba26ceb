import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, feedWhere } from '../feed-cursor';

describe('feed cursor', () => {
  it('round-trips a position and refuses anything it did not write', () => {
    const p = { updatedAt: new Date('2026-12-03T10:00:00.123Z'), id: 42 };
    expect(decodeCursor(encodeCursor(p))).toEqual(p);
    const forged = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    for (const bad of [
      '',
      'not base64!',
      forged({ updatedAt: p.updatedAt, id: 1 }),
      forged(['2026-12-03T10:00:00.123Z']),
      forged(['2026-12-03T10:00:00.123Z', 0]),
      forged(['2026-12-03T10:00:00.123Z', 1.5]),
      forged(['yesterday', 3]),
      forged(['2026-12-03', 3]),
      forged(['2026-12-03T10:00:00.123Z', '3']),
      forged({ __proto__: { id: 1 } }),
      'x'.repeat(201),
    ])
      expect([bad, decodeCursor(bad)]).toEqual([bad, null]);
  });

  it('reads after the position in (updatedAt, id) order and never past the settled point', () => {
    const now = new Date('2026-12-03T10:00:10.000Z');
    const after = { updatedAt: new Date('2026-12-03T10:00:00.000Z'), id: 7 };
    expect(feedWhere({ after, since: null, now, settleMs: 2000 })).toEqual({
      $and: [
        { updatedAt: { $lte: new Date('2026-12-03T10:00:08.000Z') } },
        { $or: [{ updatedAt: { $gt: after.updatedAt } }, { updatedAt: after.updatedAt, id: { $gt: 7 } }] },
      ],
    });
    const since = new Date('2026-12-01T00:00:00.000Z');
    expect(feedWhere({ after: null, since, now, settleMs: 0 })).toEqual({
      $and: [{ updatedAt: { $lte: now } }, { updatedAt: { $gte: since } }],
    });
  });
});
