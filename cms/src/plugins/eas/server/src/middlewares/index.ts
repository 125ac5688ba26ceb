import authRateLimit from './auth-rate-limit';
import bodyErrors from './body-errors';
import observeRequests from './observe-requests';

/** Middlewares the app lists in config/middlewares.ts (as 'plugin::eas.<key>'). */
export default {
  'auth-rate-limit': authRateLimit,
  'body-errors': bodyErrors,
  'observe-requests': observeRequests,
};
