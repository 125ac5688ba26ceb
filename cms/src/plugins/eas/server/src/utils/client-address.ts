import type { IncomingMessage } from 'http';

/**
 * The client address of a raw HTTP request (a socket.io handshake), decided as Koa decides `ctx.request.ip` for the
 * HTTP routes: the first X-Forwarded-For entry only when the proxy is trusted (TRUST_PROXY=true; nginx overwrites
 * the header with its real peer), the TCP peer otherwise — so a spoofed header moves no one to another count.
 */
export const clientAddress = (req: Pick<IncomingMessage, 'headers' | 'socket'>, trustProxy: boolean): string => {
  if (trustProxy) {
    const header = req.headers['x-forwarded-for'];
    const first = (Array.isArray(header) ? header[0] : header)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return req.socket?.remoteAddress ?? '';
};
