import { describe, expect, it } from 'vitest';
import { loadSession, saveSession, tokenUserId, updateSessionToken } from '../session';

/** An unsigned token with this payload (the site only reads the payload; the server checks the signature). */
const token = (payload: object) => `h.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.s`;

const memoryStorage = () => {
  const map = new Map<string, string>();
  return {
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
  };
};

describe('the signed-in session', () => {
  it('keeps a renewed access token across reloads', () => {
    const storage = memoryStorage();
    saveSession({ jwt: 'old', user: { id: 1, username: 'field.demo', email: 'f@example.org' } }, storage);
    updateSessionToken(token({ id: 1 }), storage);
    expect(loadSession(storage)).toEqual({ jwt: token({ id: 1 }), user: { id: 1, username: 'field.demo', email: 'f@example.org' } });
  });

  it('does not invent a session after signing out', () => {
    const storage = memoryStorage();
    updateSessionToken('new', storage);
    expect(loadSession(storage)).toBeNull();
  });

  it("never keeps another person's token in the session (the refresh cookie is the browser's)", () => {
    const storage = memoryStorage();
    saveSession({ jwt: 'old', user: { id: 1, username: 'amina', email: 'a@example.org' } }, storage);
    updateSessionToken(token({ id: 2 }), storage);
    expect(loadSession(storage)?.jwt).toBe('old');
  });

  it('reads the user id of an access token, and nothing from a malformed one', () => {
    expect(tokenUserId(token({ id: 42, iat: 1 }))).toBe(42);
    expect(tokenUserId(token({ id: '42' }))).toBeNull();
    expect(tokenUserId('garbage')).toBeNull();
    expect(tokenUserId('a.%%%.b')).toBeNull();
  });
});
