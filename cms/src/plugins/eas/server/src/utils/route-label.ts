/** The `route` label of requests that matched no route (404s, static files): one value, whatever the URL. */
export const UNMATCHED_ROUTE = 'unmatched';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * The `route` label of an HTTP request: the path pattern of the route that matched (koa-router's
 * `ctx._matchedRoute`, e.g. `/api/eas/records/:documentId`), never the URL itself — ids, tokens and query strings
 * would make one time series per request (and put secrets into the metrics). Anything else is UNMATCHED_ROUTE.
 */
export const routeLabel = (matched: unknown): string => {
  if (matched instanceof RegExp) return matched.source.slice(0, 120);
  if (typeof matched !== 'string' || !matched.startsWith('/')) return UNMATCHED_ROUTE;
  return matched.slice(0, 120);
};

/** The `method` label: the standard methods as sent, anything else as OTHER. */
export const methodLabel = (method: string): string => (METHODS.has(method) ? method : 'OTHER');
