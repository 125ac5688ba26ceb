import { describe, expect, it } from 'vitest';
import { resolveSessions, type SessionRow } from '../socket-revocation';

const NOW = new Date('2026-12-01T12:00:00Z');
const LATER = '2026-12-01T13:00:00Z';
const EARLIER = '2026-12-01T11:00:00Z';
const row = (sessionId: string, fields: Partial<SessionRow> = {}): SessionRow => ({
  sessionId,
  userId: '7',
  origin: 'users-permissions',
  status: 'active',
  childId: null,
  expiresAt: LATER,
  absoluteExpiresAt: LATER,
  ...fields,
});

/** A sessions table the resolver reads through; records every batch it was asked for. */
const table = (...rows: SessionRow[]) => {
  const batches: string[][] = [];
  const fetchRows = async (ids: string[]) => {
    batches.push([...ids].sort());
    return rows.filter((r) => ids.includes(r.sessionId));
  };
  return { batches, fetchRows };
};

describe('resolveSessions', () => {
  it('answers the session itself while it is active and within both expiries', async () => {
    const t = table(row('a'));
    expect((await resolveSessions(['a'], t.fetchRows, NOW)).get('a')?.sessionId).toBe('a');
  });

  it('follows token refreshes to the newest session of the family, one batch per refresh for all ids', async () => {
    const t = table(row('a', { status: 'rotated', childId: 'b' }), row('b', { status: 'rotated', childId: 'c' }), row('c'), row('x'));
    const heads = await resolveSessions(['a', 'x', 'b'], t.fetchRows, NOW);
    expect([...heads].map(([asked, head]) => [asked, head?.sessionId])).toEqual([
      ['x', 'x'],
      ['b', 'c'],
      ['a', 'c'],
    ]);
    expect(t.batches).toEqual([['a', 'b', 'x'], ['b', 'c'], ['c']]);
  });

  it('ends the family when its newest session was deleted (a sign-out), even though the token’s own session is still there', async () => {
    const t = table(row('a', { status: 'rotated', childId: 'b' }));
    expect((await resolveSessions(['a'], t.fetchRows, NOW)).get('a')).toBeNull();
  });

  it('ends sessions that are missing, past their idle expiry, past their absolute expiry, or in an unknown state', async () => {
    const t = table(
      row('idle', { expiresAt: EARLIER }),
      row('max', { absoluteExpiresAt: EARLIER }),
      row('odd', { status: 'revoked' }),
      row('forever', { absoluteExpiresAt: null })
    );
    const heads = await resolveSessions(['gone', 'idle', 'max', 'odd', 'forever'], t.fetchRows, NOW);
    expect(Object.fromEntries([...heads].map(([asked, head]) => [asked, head?.sessionId ?? null]))).toEqual({
      gone: null,
      idle: null,
      max: null,
      odd: null,
      forever: 'forever',
    });
  });

  it('treats a chain of more than 50 refreshes as ended instead of following it further', async () => {
    const chain = Array.from({ length: 60 }, (_, i) => row(`s${i}`, { status: 'rotated', childId: `s${i + 1}` }));
    const t = table(...chain, row('s60'));
    expect((await resolveSessions(['s0'], t.fetchRows, NOW)).get('s0')).toBeNull();
    expect(t.batches).toHaveLength(51);
    expect((await resolveSessions(['s20'], t.fetchRows, NOW)).get('s20')?.sessionId).toBe('s60');
  });
});
