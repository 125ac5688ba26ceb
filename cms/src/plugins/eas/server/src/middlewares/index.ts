import bodyErrors from './body-errors';

/** Middlewares the app lists in config/middlewares.ts (as 'plugin::eas.<key>'). */
export default {
  'body-errors': bodyErrors,
};
