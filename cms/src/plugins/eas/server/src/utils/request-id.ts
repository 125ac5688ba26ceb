import { randomUUID } from 'node:crypto';

/** The header our proxy (nginx: `proxy_set_header X-Request-Id $request_id`) sets and every response carries. */
export const REQUEST_ID_HEADER = 'X-Request-Id';

/** What a request id taken from a proxy may look like: nginx's 32 hex digits, a UUID, or a similar plain token. */
const SANE = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The id of one request, as it appears in its log lines, its `X-Request-Id` response header and its error body.
 * The incoming header is taken only from a proxy we run (TRUST_PROXY=true) and only when it is a plain token (no
 * spaces, quotes or control characters that could forge a log line or fill the logs); otherwise a new id is made, so
 * a client can neither pick the id another request is logged under nor smuggle text into the logs.
 */
export const requestIdFor = (incoming: string | string[] | undefined, trustProxy: boolean): string => {
  const value = Array.isArray(incoming) ? undefined : incoming;
  if (trustProxy && value !== undefined && SANE.test(value)) return value;
  return randomUUID();
};
