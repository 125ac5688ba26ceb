import * as React from 'react';
import { useAuth, useFetchClient } from '@strapi/strapi/admin';
import { io, type Socket } from 'socket.io-client';
import type { Dashboard } from '../../../shared/contracts/dashboard';
import { EVENTS, SOCKET_PATH, type IntegrityAlteredEvent, type RecordEvent, type RevokedEvent } from '../../../shared/events';

export type Connection = 'connecting' | 'live' | 'reconnecting' | 'revoked';

const RECORD_EVENTS = [EVENTS.recordCreated, EVENTS.recordSubmitted, EVENTS.recordReviewed, EVENTS.mediaProcessed];

/**
 * The dashboard's data: first from GET /eas/dashboard, then kept current by the socket. New submissions appear at
 * once, and so does an integrity sweep's finding; the numbers are refreshed shortly after any event (one request
 * for a burst of events).
 */
export const useDashboard = () => {
  const { get } = useFetchClient();
  const token = useAuth('EasDashboard', (state) => state.token);
  const [data, setData] = React.useState<Dashboard | null>(null);
  const [error, setError] = React.useState(false);
  const [connection, setConnection] = React.useState<Connection>('connecting');
  const refreshTimer = React.useRef<ReturnType<typeof setTimeout>>();

  const load = React.useCallback(() => {
    get<{ data: Dashboard }>('/eas/dashboard')
      .then(({ data: body }) => setData(body.data))
      .catch(() => setError(true));
  }, [get]);

  React.useEffect(load, [load]);

  React.useEffect(() => {
    if (!token) return undefined;
    const socket: Socket = io({ path: SOCKET_PATH, auth: { token }, transports: ['websocket', 'polling'] });
    const refreshSoon = () => {
      clearTimeout(refreshTimer.current);
      refreshTimer.current = setTimeout(load, 400);
    };
    let revoked = false;
    let gap = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    socket.on('eas.ready', () => {
      setConnection('live');
      // Events sent while the socket was away are not replayed: read the dashboard again, so nothing is missed.
      if (gap) load();
      gap = false;
    });
    // The server closed the socket because this user's access ended: not a network problem, so say so.
    socket.on(EVENTS.revoked, (_event: RevokedEvent) => {
      revoked = true;
      setConnection('revoked');
    });
    socket.on('disconnect', () => {
      gap = true;
      setConnection(revoked ? 'revoked' : 'reconnecting');
    });
    socket.on('connect_error', (err: Error & { data?: { reason?: string } }) => {
      gap = true;
      if (err.data?.reason) revoked = true;
      setConnection(revoked ? 'revoked' : 'reconnecting');
      // socket.io gives up after a refused handshake (`active` false): a refusal that is not a revocation (the
      // server was restarting or overloaded) is tried again, every 5 s, until it is accepted or revoked.
      if (!revoked && !socket.active) {
        clearTimeout(retry);
        retry = setTimeout(() => socket.connect(), 5_000);
      }
    });
    const onRecord = (name: string) => (event: RecordEvent) => {
      if (name === EVENTS.recordSubmitted) {
        setData((d) => (d ? { ...d, latest: [event, ...d.latest.filter((e) => e.documentId !== event.documentId)].slice(0, 20) } : d));
      }
      refreshSoon();
    };
    for (const name of RECORD_EVENTS) socket.on(name, onRecord(name));
    // The event carries the sweep's counts: shown at once, then the summary is read again (it also counts
    // problems with signed checkpoints, which the event leaves out).
    socket.on(EVENTS.integrityAltered, (event: IntegrityAlteredEvent) => {
      setData((d) =>
        d
          ? { ...d, integrity: { status: 'altered', altered: event.altered, chainBreaks: event.chainBreaks, checkedAt: event.checkedAt } }
          : d
      );
      refreshSoon();
    });
    return () => {
      clearTimeout(refreshTimer.current);
      clearTimeout(retry);
      socket.close();
    };
  }, [token, load]);

  return { data, error, connection };
};
