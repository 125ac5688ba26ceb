import { describe, expect, it } from 'vitest';
import { loadSession, saveSession, updateSessionToken } from '../session';

const memoryStorage = () => {
  const map = new Map<string, string>();
  return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v), removeItem: (k: string) => void map.delete(k) };
};

describe('the signed-in session', () => {
  it('keeps a renewed access token across reloads', () => {
    const storage = memoryStorage();
    saveSession({ jwt: 'old', user: { id: 1, username: 'field.demo', email: 'f@example.org' } }, storage);
    updateSessionToken('new', storage);
    expect(loadSession(storage)).toEqual({ jwt: 'new', user: { id: 1, username: 'field.demo', email: 'f@example.org' } });
  });

  it('does not invent a session after signing out', () => {
    const storage = memoryStorage();
    updateSessionToken('new', storage);
    expect(loadSession(storage)).toBeNull();
  });
});
