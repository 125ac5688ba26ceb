/**
 * The signed-in field-staff session, kept across reloads and browser restarts: the short-lived access token and the
 * user it belongs to (the refresh token is an HttpOnly cookie the page never sees). One person is signed in per
 * browser at a time; what each person keeps on the device is theirs alone (lib/store.ts, lib/people.ts).
 */
export interface Session {
  jwt: string;
  user: { id: number; username: string; email: string };
}

export const SESSION_KEY = 'eas.session';

const parse = (raw: string | null): Session | null => {
  try {
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Session;
    return typeof parsed?.jwt === 'string' && typeof parsed.user?.id === 'number' ? parsed : null;
  } catch {
    return null;
  }
};

export const loadSession = (storage: Pick<Storage, 'getItem'> = localStorage): Session | null => parse(storage.getItem(SESSION_KEY));

/** The user id of a stored session value (for the "storage" event of another tab). */
export const sessionUserId = (raw: string | null): number | null => parse(raw)?.user.id ?? null;

export const saveSession = (session: Session, storage: Pick<Storage, 'setItem'> = localStorage) =>
  storage.setItem(SESSION_KEY, JSON.stringify(session));

export const clearSession = (storage: Pick<Storage, 'removeItem'> = localStorage) => storage.removeItem(SESSION_KEY);

/**
 * Keeps a refreshed access token in the stored session — only when it belongs to the stored session's user (the
 * refresh cookie is the browser's, and after a sign-in in another tab it may be another person's).
 */
export const updateSessionToken = (jwt: string, storage: Pick<Storage, 'getItem' | 'setItem'> = localStorage) => {
  const session = loadSession(storage);
  if (session && tokenUserId(jwt) === session.user.id) saveSession({ ...session, jwt }, storage);
};

/** The user id inside an access token (users-permissions puts it in the payload as `id`); null if unreadable. */
export const tokenUserId = (jwt: string): number | null => {
  try {
    const payload = jwt.split('.')[1];
    if (!payload) return null;
    const text = atob(
      payload
        .replace(/-/g, '+')
        .replace(/_/g, '/')
        .padEnd(Math.ceil(payload.length / 4) * 4, '=')
    );
    const id = (JSON.parse(text) as { id?: unknown }).id;
    return typeof id === 'number' && Number.isInteger(id) ? id : null;
  } catch {
    return null;
  }
};
