/** The signed-in field-staff session, kept across reloads. */
export interface Session {
  jwt: string;
  user: { id: number; username: string; email: string };
}

const KEY = 'eas.session';

export const loadSession = (storage: Pick<Storage, 'getItem'> = localStorage): Session | null => {
  try {
    const raw = storage.getItem(KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Session;
    return typeof parsed?.jwt === 'string' && parsed.user ? parsed : null;
  } catch {
    return null;
  }
};

export const saveSession = (session: Session, storage: Pick<Storage, 'setItem'> = localStorage) =>
  storage.setItem(KEY, JSON.stringify(session));

export const clearSession = (storage: Pick<Storage, 'removeItem'> = localStorage) => storage.removeItem(KEY);

/** Keeps a refreshed access token in the stored session (no-op when signed out). */
export const updateSessionToken = (jwt: string, storage: Pick<Storage, 'getItem' | 'setItem'> = localStorage) => {
  const session = loadSession(storage);
  if (session) saveSession({ ...session, jwt }, storage);
};
