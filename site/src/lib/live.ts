/**
 * Live status for field staff: a socket on the user's own room (the server puts a field-staff token in that room
 * only) that announces "one of your records changed" to the page, e.g. an editor's approval or rejection. The socket
 * client is loaded on demand, so pages that never sign in do not pay for it.
 */
import type { Socket } from 'socket.io-client';
import { EVENTS, SOCKET_PATH } from '../../../cms/src/plugins/eas/shared/events';

export const RECORD_CHANGED = 'eas:record-changed';

export interface LiveOptions {
  getToken: () => string | null;
  /** Called when the server refuses the token (expired): get a new one; the socket then reconnects once. */
  refresh: () => Promise<unknown>;
  target?: EventTarget;
}

export const startLive = async ({ getToken, refresh, target = window }: LiveOptions): Promise<Socket> => {
  const { io } = await import('socket.io-client');
  const socket = io({
    path: SOCKET_PATH,
    transports: ['websocket', 'polling'],
    // Evaluated on every (re)connection, so a refreshed token is used.
    auth: (cb) => cb({ token: getToken() }),
  });
  let lastRefresh = 0;
  socket.on('connect_error', async (err) => {
    // A refused handshake is not retried by socket.io: refresh the token (at most every 30 s) and try again.
    if (!/unauthorised/.test(err.message) || Date.now() - lastRefresh < 30_000) return;
    lastRefresh = Date.now();
    try {
      await refresh();
      socket.connect();
    } catch {
      // offline or signed out: the next page load starts over
    }
  });
  // An editor's decision made while the socket was away is not replayed: say "something may have changed", so the
  // page reads the records again.
  let gap = false;
  socket.on('disconnect', () => (gap = true));
  socket.on('connect', () => {
    if (gap) target.dispatchEvent(new CustomEvent(RECORD_CHANGED, { detail: null }));
    gap = false;
  });
  for (const name of [EVENTS.recordReviewed, EVENTS.recordSubmitted]) {
    socket.on(name, (detail: unknown) => target.dispatchEvent(new CustomEvent(RECORD_CHANGED, { detail })));
  }
  return socket;
};
