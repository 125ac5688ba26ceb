import type { Core } from '@strapi/strapi';
import { MB, uploadMaxMb } from '../src/upload-limit';

/**
 * Multipart limits of strapi::body, handed to the parser and to the plugin middleware that words its refusals (413
 * naming the limit and the field or file) from the same numbers. (co-body's JSON errors carry their own limit.)
 */
const multipartLimits = (env: Core.Config.Shared.ConfigParams['env']) => ({
  /** Every file of one multipart request together (formidable counts them together). */
  fileBytes: uploadMaxMb(env) * MB,
  /**
   * Every text field of one multipart request together (formidable counts them together). The largest is a
   * signature's strokes (at most 2 MB, the plugin's controllers/validation/evidence.ts) beside its consent text,
   * signer name and date; 3 MB leaves room for those, so a field over its own limit gets the validator's 400
   * naming it, and only far larger bodies meet this 413.
   */
  fieldsBytes: 3 * MB,
  fields: 1000,
});

const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Middlewares => {
  const limits = multipartLimits(env);
  return [
    // First, around everything: the request id (X-Request-Id, in error bodies and log lines), one access-log line
    // per request (route pattern, never the raw URL) in place of strapi::logger's, and the HTTP metrics.
    'plugin::eas.observe-requests',
    'strapi::errors',
    {
      // Strapi's defaults, plus WebAssembly for the capture site's barcode decoder (zxing-wasm, served from here):
      // 'wasm-unsafe-eval' allows compiling WebAssembly only, not eval() of script. nginx sends the same (config/).
      name: 'strapi::security',
      config: { contentSecurityPolicy: { useDefaults: true, directives: { 'script-src': ["'self'", "'wasm-unsafe-eval'"] } } },
    },
    {
      name: 'strapi::cors',
      config: {
        // One origin in the embedded setup; production lists its site origins here.
        origin: env.array('CORS_ORIGINS', []),
      },
    },
    'strapi::poweredBy',
    'strapi::query',
    // Sign-in, registration, password and confirmation attempts per client address, for all instances together
    // (429 with Retry-After). After strapi::errors, which words the refusal; before strapi::body, so a refused
    // attempt's body is never read.
    'plugin::eas.auth-rate-limit',
    // Body-parser refusals (too large, unreadable) as 413/400 naming the limit and the field or file, never a 500.
    { name: 'plugin::eas.body-errors', config: limits },
    {
      name: 'strapi::body',
      config: {
        formLimit: `${uploadMaxMb(env)}mb`,
        jsonLimit: '1mb',
        textLimit: '1mb',
        formidable: { maxFileSize: limits.fileBytes, maxFieldsSize: limits.fieldsBytes, maxFields: limits.fields },
      },
    },
    'strapi::session',
    'strapi::favicon',
    'strapi::public',
    // Serves the built capture site (site/dist) at / when it exists: one origin, no CORS.
    'global::site',
  ];
};

export default config;
