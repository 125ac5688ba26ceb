import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../hash';

describe('photo fingerprints', () => {
  it('match the standard SHA-256 test vector', async () => {
    expect(await sha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('are the same for a Blob, an ArrayBuffer and a byte view of the same capture', async () => {
    const bytes = new Uint8Array(randomBytes(300_000));
    const expected = createHash('sha256').update(bytes).digest('hex');
    const view = new Uint8Array(new Uint8Array([9, ...bytes, 9]).buffer, 1, bytes.length);
    expect(await sha256Hex(new Blob([bytes], { type: 'image/jpeg' }))).toBe(expected);
    expect(await sha256Hex(bytes.slice().buffer)).toBe(expected);
    expect(await sha256Hex(view)).toBe(expected);
  });

  it('of an empty file are the hash of nothing', async () => {
    expect(await sha256Hex(new Blob([]))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});
