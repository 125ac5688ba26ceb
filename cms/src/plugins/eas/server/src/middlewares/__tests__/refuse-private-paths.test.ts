import { describe, expect, it } from 'vitest';
import { normalisePath, refusePrivatePaths } from '../refuse-private-paths';

const name = 'eas_private_0123456789abcdef0123456789abcdef.jpg';
const spellings = [
  `/uploads/${name}`,
  `/uploads%2F${name}`,
  `/uploads%2f${name}`,
  `/%75ploads/${name}`,
  `/%2575ploads/${name}`,
  `/UPLOADS/${name.toUpperCase()}`,
  `/uploads/%65as%5Fprivate_0123456789abcdef0123456789abcdef.jpg`,
  `/uploads/%2565as_private_0123456789abcdef0123456789abcdef.jpg`,
  `//uploads//${name}`,
  `/uploads\\${name}`,
  `/uploads%5C${name}`,
  `/x/../uploads/${name}`,
];

describe('paths naming a legacy evidence file', () => {
  it('are recognised however they are encoded', () => {
    for (const path of spellings) expect(normalisePath(path), path).toContain('eas_private_');
  });

  it('answer 404 before any static file server sees them; other paths go on', async () => {
    for (const path of spellings) {
      const ctx = { path, status: 200, body: null as unknown };
      let reached = false;
      await refusePrivatePaths(ctx as never, async () => {
        reached = true;
      });
      expect([ctx.status, reached], path).toEqual([404, false]);
    }
    const ctx = { path: '/uploads/logo_3f2a.png', status: 200, body: null };
    let reached = false;
    await refusePrivatePaths(ctx as never, async () => {
      reached = true;
    });
    expect(reached).toBe(true);
  });

  it('judges undecodable input as it is', () => {
    expect(normalisePath('/uploads/%E0%A4%A/eas_private_x')).toContain('eas_private_');
  });
});
