import { describe, expect, it } from 'vitest';
import { bucket } from '../dashboard';

describe('submissions over time', () => {
  it('counts each submission in its hour, oldest first, ending with the current hour', () => {
    const now = Date.UTC(2026, 4, 1, 10, 30);
    const at = (h: number, m = 0) => Date.UTC(2026, 4, 1, h, m);
    const series = bucket([at(10, 5), at(10, 29), at(9, 59), at(8, 0), Date.UTC(2026, 3, 29)], now, 3_600_000, 3);
    expect(series).toEqual([
      { at: '2026-05-01T08:00:00.000Z', count: 1 },
      { at: '2026-05-01T09:00:00.000Z', count: 1 },
      { at: '2026-05-01T10:00:00.000Z', count: 2 },
    ]);
  });
});
