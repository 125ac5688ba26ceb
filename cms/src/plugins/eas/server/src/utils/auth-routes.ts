/**
 * Every route where someone can try a password, a token or an address: sign-in, registration, password reset and
 * change, email confirmation, admin sign-in and admin registration — taken from users-permissions'
 * routes/content-api/auth.js and the admin's routes/authentication.js (Strapi 5.54). The auth rate limit applies to
 * exactly these (middlewares/auth-rate-limit.ts).
 *
 * Not limited, on purpose: token renewal (`/api/auth/refresh`, `/admin/access-token`) — a phone renews its access
 * token every few minutes and every open tab does, only with a refresh token nobody can guess, so counting renewals
 * would sign out field staff behind one office address without slowing an attacker; sign-out and the session list.
 */
export const AUTH_ROUTES = [
  // users-permissions (content API)
  { method: 'POST', path: '/api/auth/local' },
  { method: 'POST', path: '/api/auth/local/register' },
  { method: 'POST', path: '/api/auth/forgot-password' },
  { method: 'POST', path: '/api/auth/reset-password' },
  { method: 'POST', path: '/api/auth/change-password' },
  { method: 'GET', path: '/api/auth/email-confirmation' },
  { method: 'POST', path: '/api/auth/send-email-confirmation' },
  // Sign-in through a provider (off unless an administrator enables one): one bucket whatever the provider.
  { method: 'GET', path: '/api/connect/*' },
  { method: 'GET', path: '/api/auth/:provider/callback' },
  // admin
  { method: 'POST', path: '/admin/login' },
  { method: 'POST', path: '/admin/register-admin' },
  { method: 'GET', path: '/admin/registration-info' },
  { method: 'POST', path: '/admin/register' },
  { method: 'POST', path: '/admin/forgot-password' },
  { method: 'POST', path: '/admin/reset-password' },
] as const;

export type AuthRoute = (typeof AUTH_ROUTES)[number];

const escape = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/** `:param` is one segment, `*` the rest; case-insensitive and trailing slashes allowed, as Strapi's router matches. */
const toRegExp = (pattern: string) =>
  new RegExp(
    `^${pattern
      .split('/')
      .map((segment) => (segment === '*' ? '.*' : segment.startsWith(':') ? '[^/]+' : escape(segment)))
      .join('/')}/*$`,
    'i'
  );

const COMPILED = AUTH_ROUTES.map((route) => ({ route, re: toRegExp(route.path) }));

const decoded = (path: string) => {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
};

/**
 * The auth route a request is for, or null. Matches the path as sent and as decoded, so a spelling the router might
 * still route (another case, a trailing slash, percent-encoding) lands in the same bucket. HEAD counts as GET.
 */
export const matchAuthRoute = (method: string, path: string): AuthRoute | null => {
  const verb = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
  const spellings = [path, decoded(path)];
  for (const { route, re } of COMPILED) {
    if (route.method === verb && spellings.some((p) => re.test(p))) return route;
  }
  return null;
};
