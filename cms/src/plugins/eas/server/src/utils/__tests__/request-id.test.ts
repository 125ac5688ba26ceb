import { describe, expect, it } from 'vitest';
import { requestIdFor } from '../request-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('requestIdFor', () => {
  it("takes the proxy's id (nginx's 32 hex digits, a UUID) when the proxy is trusted", () => {
    expect(requestIdFor('3f2a9c0b7d1e4f5a8b6c9d0e1f2a3b4c', true)).toBe('3f2a9c0b7d1e4f5a8b6c9d0e1f2a3b4c');
    expect(requestIdFor('req-1.2_3', true)).toBe('req-1.2_3');
    expect(requestIdFor('a'.repeat(64), true)).toBe('a'.repeat(64));
  });

  it('makes a new id when no proxy is trusted, whatever the client sent', () => {
    const id = requestIdFor('3f2a9c0b7d1e4f5a8b6c9d0e1f2a3b4c', false);
    expect(id).toMatch(UUID);
    expect(id).not.toBe('3f2a9c0b7d1e4f5a8b6c9d0e1f2a3b4c');
  });

  it('refuses ids that could forge or flood log lines, even from a trusted proxy', () => {
    for (const bad of ['a'.repeat(65), 'two words', 'x"}{"level":"error', 'line\nbreak', 'tab\t', '', 'ünïcode', '<script>', 'a/b']) {
      const id = requestIdFor(bad, true);
      expect(id, JSON.stringify(bad)).toMatch(UUID);
    }
    // A header sent twice arrives as an array: neither copy is trusted.
    expect(requestIdFor(['abc', 'def'], true)).toMatch(UUID);
  });

  it('makes a different id for every request without one', () => {
    expect(requestIdFor(undefined, true)).not.toBe(requestIdFor(undefined, true));
  });
});
