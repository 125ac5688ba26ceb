import type { Core } from '@strapi/strapi';
import { formats, winston } from '@strapi/logger';

/** Colour codes some Strapi messages carry (chalk); a JSON line wants the plain text. */
// eslint-disable-next-line no-control-regex
const ANSI = /[\u001b\u009b][[()#;?]*(?:[0-9]{1,4}(?:;[0-9]{0,4})*)?[0-9A-ORZcf-nqry=><]/g;

/**
 * The id of the request being answered, if any. Strapi runs every request inside an AsyncLocalStorage whose store is
 * the Koa context (strapi.requestContext); the plugin's first middleware (plugin::eas.observe-requests) puts the id
 * in ctx.state.requestId, so every log line written while answering it — also deep inside a service — carries it.
 */
const currentRequestId = (): string | undefined => {
  const ctx = (globalThis as { strapi?: Core.Strapi }).strapi?.requestContext?.get() as { state?: { requestId?: string } } | undefined;
  return ctx?.state?.requestId;
};

const jsonFields = winston.format((info) => {
  const requestId = currentRequestId();
  if (requestId && info.requestId === undefined) info.requestId = requestId;
  if (typeof info.message === 'string') info.message = info.message.replace(ANSI, '');
  return info;
});

/** One JSON object per line: time, level, message, requestId first, then the rest (route, status, stack, …). */
const jsonLine = winston.format.printf(({ level, message, requestId, ...rest }) => {
  const line = { time: new Date().toISOString(), level, message, requestId, ...rest };
  try {
    return JSON.stringify(line);
  } catch {
    // Something unserialisable (a circular object) was logged: keep the line, drop the extras.
    return JSON.stringify({ time: line.time, level, message: String(message), requestId });
  }
});

/** json in production, pretty otherwise; EAS_LOG_FORMAT overrides. Also read by config/server.ts. */
export const logFormat = (env: Core.Config.Shared.ConfigParams['env']): 'json' | 'pretty' => {
  // (An empty value, as .env.example has it, means the default.)
  const format = env('EAS_LOG_FORMAT', '') || (env('NODE_ENV') === 'production' ? 'json' : 'pretty');
  if (format !== 'json' && format !== 'pretty') throw new Error(`EAS_LOG_FORMAT must be "json" or "pretty" (got "${format}")`);
  return format;
};

/**
 * Logs as JSON lines ({"time","level","message","requestId",…}) in production, for a log collector to parse, and in
 * Strapi's readable format in development. EAS_LOG_FORMAT=json|pretty overrides; EAS_LOG_LEVEL picks the level
 * (default http: one access line per request, written by plugin::eas.observe-requests). With JSON, Strapi's
 * startup banner (plain console output) is off too (config/server.ts), so every line of the output is JSON.
 */
const config = ({ env }: Core.Config.Shared.ConfigParams) => {
  const level = env('EAS_LOG_LEVEL', '') || 'http';
  if (!['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'].includes(level)) {
    throw new Error(`EAS_LOG_LEVEL must be one of error, warn, info, http, verbose, debug, silly (got "${level}")`);
  }
  return {
    level,
    // (Strapi's logger puts this format in place of its default one; the transport adds nothing.)
    format:
      logFormat(env) === 'json'
        ? winston.format.combine(winston.format.errors({ stack: true }), jsonFields(), jsonLine)
        : formats.prettyPrint(),
    transports: [new winston.transports.Console()],
  };
};

export default config;
