import bodyErrors from './body-errors';
import observeRequests from './observe-requests';

/** Middlewares the app lists in config/middlewares.ts (as 'plugin::eas.<key>'). */
export default {
  'body-errors': bodyErrors,
  'observe-requests': observeRequests,
};
