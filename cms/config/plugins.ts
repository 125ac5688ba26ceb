import fs from 'fs';
import path from 'path';
import type { Core } from '@strapi/strapi';

import { MB, uploadMaxMb } from '../src/upload-limit';

/**
 * S3 (or an S3-compatible store) when S3_BUCKET is set; local disk (public/uploads) otherwise. The bucket stays
 * private (ACL private): EAS serves evidence through its own signed URLs and reads S3 objects with presigned URLs.
 */
const s3Provider = (env: Core.Config.Shared.ConfigParams['env']) => ({
  provider: 'aws-s3',
  providerOptions: {
    s3Options: {
      credentials: { accessKeyId: env('S3_ACCESS_KEY_ID'), secretAccessKey: env('S3_SECRET_ACCESS_KEY') },
      region: env('S3_REGION', 'us-east-1'),
      ...(env('S3_ENDPOINT') ? { endpoint: env('S3_ENDPOINT') } : {}),
      forcePathStyle: env.bool('S3_FORCE_PATH_STYLE', false),
      // AWS SDK ≥ 3.729 sends CRC32 checksum headers on every request by default; several S3-compatible servers
      // (s3rver, older MinIO, some gateways) reject or mis-handle them. Only send them when an operation needs them.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      params: { Bucket: env('S3_BUCKET'), ACL: 'private', signedUrlExpires: env.int('S3_SIGNED_URL_SECONDS', 300) },
    },
  },
});

/** Email through an SMTP relay when SMTP_HOST is set (nodemailer); without it EAS sends no email. */
const smtpEmail = (env: Core.Config.Shared.ConfigParams['env']) => ({
  email: {
    config: {
      provider: 'nodemailer',
      providerOptions: {
        host: env('SMTP_HOST'),
        port: env.int('SMTP_PORT', 587),
        secure: env.bool('SMTP_SECURE', false),
        ignoreTLS: env.bool('SMTP_IGNORE_TLS', false),
        ...(env('SMTP_USERNAME') ? { auth: { user: env('SMTP_USERNAME'), pass: env('SMTP_PASSWORD') } } : {}),
        connectionTimeout: 10_000,
      },
      settings: {
        defaultFrom: env('SMTP_FROM', 'EAS <no-reply@localhost>'),
        defaultReplyTo: env('SMTP_REPLY_TO', env('SMTP_FROM', 'EAS <no-reply@localhost>')),
      },
    },
  },
});

/** Evidence bytes: a private prefix of the same bucket when S3 is configured, a private folder otherwise. */
const evidence = (env: Core.Config.Shared.ConfigParams['env']) => ({
  // Relative to cms/ (compiled config lives in cms/dist/config); never inside public/.
  dir: path.resolve(__dirname, '..', '..', env('EAS_EVIDENCE_DIR', 'evidence')),
  s3: env('S3_BUCKET')
    ? {
        bucket: env('S3_BUCKET'),
        region: env('S3_REGION', 'us-east-1'),
        ...(env('S3_ENDPOINT') ? { endpoint: env('S3_ENDPOINT') } : {}),
        forcePathStyle: env.bool('S3_FORCE_PATH_STYLE', false),
        accessKeyId: env('S3_ACCESS_KEY_ID'),
        secretAccessKey: env('S3_SECRET_ACCESS_KEY'),
        prefix: env('EAS_EVIDENCE_PREFIX', 'evidence/'),
      }
    : null,
});

/** The signing key from EAS_SIGNING_KEY, or read from the file EAS_SIGNING_KEY_FILE (a Docker secret, say). */
const signingKey = (env: Core.Config.Shared.ConfigParams['env']) => {
  const file = env('EAS_SIGNING_KEY_FILE', '');
  return file ? fs.readFileSync(file, 'utf8') : env('EAS_SIGNING_KEY', '');
};

/** PEM text of EAS_SEAL_KEY / EAS_SEAL_CERT, or read from EAS_SEAL_KEY_FILE / EAS_SEAL_CERT_FILE (docs/sealing.md). */
const sealPem = (env: Core.Config.Shared.ConfigParams['env'], name: 'EAS_SEAL_KEY' | 'EAS_SEAL_CERT') => {
  const file = env(`${name}_FILE`, '');
  return file ? fs.readFileSync(file, 'utf8') : env(name, '');
};

/** A PKCS#12 sealing file (EAS_SEAL_P12_FILE) as base64, and its password (EAS_SEAL_P12_PASSWORD or _FILE). */
const sealP12 = (env: Core.Config.Shared.ConfigParams['env']) => {
  const file = env('EAS_SEAL_P12_FILE', '');
  const passwordFile = env('EAS_SEAL_P12_PASSWORD_FILE', '');
  return {
    p12: file ? fs.readFileSync(file).toString('base64') : '',
    p12Password: passwordFile ? fs.readFileSync(passwordFile, 'utf8').replace(/\r?\n$/, '') : env('EAS_SEAL_P12_PASSWORD', ''),
  };
};

/** The bearer token Prometheus sends to GET /metrics: EAS_METRICS_TOKEN, or read from EAS_METRICS_TOKEN_FILE. Empty: off. */
const metricsToken = (env: Core.Config.Shared.ConfigParams['env']) => {
  const file = env('EAS_METRICS_TOKEN_FILE', '');
  return (file ? fs.readFileSync(file, 'utf8') : env('EAS_METRICS_TOKEN', '')).trim();
};

/** Which kind of EAS process this is (EAS_PROCESS_ROLE, set by the root scripts): an HTTP instance by default. */
const jobsRole = (env: Core.Config.Shared.ConfigParams['env']): 'app' | 'worker' | 'tool' => {
  const role = env('EAS_PROCESS_ROLE', 'app');
  return role === 'worker' || role === 'tool' ? role : 'app';
};

const DAY_SECONDS = 86_400;

/**
 * How long field staff stay signed in (docs/sessions.md). A phone used for field work is signed in once and stays so
 * while it is used: the refresh token lives EAS_SESSION_DAYS after its last use (also the cookie's Max-Age, so it
 * survives a browser restart) and at most EAS_SESSION_MAX_DAYS after sign-in; access tokens live
 * EAS_ACCESS_TOKEN_MINUTES. Read and checked here, at boot: a value that is not a number, or does not fit, stops it.
 */
const fieldSessions = (env: Core.Config.Shared.ConfigParams['env']) => {
  const number = (name: string, fallback: number, { zeroAllowed = false } = {}) => {
    const raw = String(env(name, '')).trim();
    const value = raw === '' ? fallback : Number(raw);
    if (!Number.isFinite(value) || value < 0 || (!zeroAllowed && value === 0)) {
      throw new Error(`${name} must be ${zeroAllowed ? 'a number ≥ 0' : 'a positive number'} (got "${raw}")`);
    }
    return value;
  };
  const days = number('EAS_SESSION_DAYS', 30);
  const maxDays = number('EAS_SESSION_MAX_DAYS', 90);
  const accessMinutes = number('EAS_ACCESS_TOKEN_MINUTES', 10);
  const reuseGraceSeconds = number('EAS_REFRESH_REUSE_GRACE_SECONDS', 30, { zeroAllowed: true });
  if (maxDays < days) throw new Error(`EAS_SESSION_MAX_DAYS (${maxDays}) must be at least EAS_SESSION_DAYS (${days})`);
  if (accessMinutes * 60 >= days * DAY_SECONDS)
    throw new Error(`EAS_ACCESS_TOKEN_MINUTES (${accessMinutes}) must be shorter than EAS_SESSION_DAYS (${days} days)`);
  return {
    idleSeconds: Math.round(days * DAY_SECONDS),
    maxSeconds: Math.round(maxDays * DAY_SECONDS),
    accessSeconds: Math.round(accessMinutes * 60),
    reuseGraceSeconds,
  };
};

const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Plugin => {
  const sessions = fieldSessions(env);
  return {
    // The email plugin's own limiter (admin forgot-password; per process, keyed on the email) is off for the same reason.
    email: { config: { ...(env('SMTP_HOST') ? smtpEmail(env).email.config : {}), ratelimit: { enabled: false } } },
    eas: {
      enabled: true,
      resolve: './src/plugins/eas',
      config: {
        publicUrl: env('PUBLIC_URL', ''),
        redis: { url: env('REDIS_URL', ''), prefix: env('EAS_REDIS_PREFIX', 'eas') },
        corsOrigins: env.array('CORS_ORIGINS', []),
        notifications: { enabled: Boolean(env('SMTP_HOST')) },
        evidence: evidence(env),
        custody: {
          signingKey: signingKey(env),
          trustedPublicKeys: env.array('EAS_TRUSTED_PUBLIC_KEYS', []),
          checkpointMinutes: env.float('EAS_CHECKPOINT_MINUTES', 15),
          sweepMinutes: env.float('EAS_INTEGRITY_SWEEP_MINUTES', 1440),
        },
        seal: {
          key: sealPem(env, 'EAS_SEAL_KEY'),
          cert: sealPem(env, 'EAS_SEAL_CERT'),
          ...sealP12(env),
          tsaUrl: env('TSA_URL', ''),
          tsaTimeoutMs: env.int('EAS_TSA_TIMEOUT_MS', 10_000),
        },
        images: {
          maxMegabytes: uploadMaxMb(env),
          maxMegapixels: env.int('IMAGE_MAX_MEGAPIXELS', 50),
          displayEdge: env.int('IMAGE_DISPLAY_EDGE', 2048),
          concurrency: env.int('IMAGE_CONCURRENCY', 2),
          queueMax: env.int('IMAGE_QUEUE_MAX', 32),
          orphanMinutes: env.float('EAS_ORPHAN_MINUTES', 60),
          photoTimeSkewMinutes: env.float('EAS_PHOTO_TIME_SKEW_MINUTES', 30),
          photoGpsDistanceMetres: env.float('EAS_PHOTO_GPS_DISTANCE_M', 500),
          contentCredentials: !['0', 'false', 'no', 'off'].includes(String(env('EAS_CONTENT_CREDENTIALS', '1')).trim().toLowerCase()),
        },
        pdf: {
          ...(env('PDF_CONCURRENCY') ? { concurrency: env.int('PDF_CONCURRENCY') } : {}),
          timeoutSeconds: env.int('PDF_TIMEOUT_SECONDS', 30),
          recycleAfter: env.int('PDF_RECYCLE_AFTER', 200),
        },
        realtime: {
          recheckSeconds: env.float('EAS_SOCKET_RECHECK_SECONDS', 3),
        },
        sessions: { reuseGraceSeconds: sessions.reuseGraceSeconds },
        // The one auth rate limit and the socket caps, shared by every instance through Redis (docs/limits.md).
        limits: {
          auth: { max: env.int('AUTH_RATE_LIMIT_MAX', 5), windowMs: env.int('AUTH_RATE_LIMIT_WINDOW_MS', 60000) },
          sockets: { perUser: env.int('EAS_SOCKETS_PER_USER', 10), perAddress: env.int('EAS_SOCKETS_PER_ADDRESS', 100) },
        },
        metrics: { token: metricsToken(env) },
        feed: { settleMs: env.int('EAS_FEED_SETTLE_MS', 2000) },
        // Webhooks (docs/webhooks.md): internal targets refused unless allowed explicitly.
        webhooks: {
          allowInternal: ['1', 'true', 'yes', 'on'].includes(String(env('EAS_WEBHOOKS_ALLOW_INTERNAL', '0')).trim().toLowerCase()),
          timeoutMs: env.int('EAS_WEBHOOK_TIMEOUT_MS', 10000),
          maxAttempts: env.int('EAS_WEBHOOK_MAX_ATTEMPTS', 8),
          retryBaseMs: env.int('EAS_WEBHOOK_RETRY_BASE_MS', 5000),
          retryMaxMs: env.int('EAS_WEBHOOK_RETRY_MAX_MS', 21600000),
        },
        jobs: {
          // `npm run worker` (scripts/worker.mjs) sets EAS_PROCESS_ROLE=worker: Strapi without HTTP, workers on;
          // `npm run verify` and `npm run seed` set "tool": no job workers.
          role: jobsRole(env),
          workers:
            jobsRole(env) === 'worker' ||
            (jobsRole(env) === 'app' && !['0', 'false', 'no', 'off'].includes(String(env('EAS_JOB_WORKERS', '1')).trim().toLowerCase())),
          retentionHours: env.float('EAS_EXPORT_RETENTION_HOURS', 24),
          lockSeconds: env.float('EAS_JOB_LOCK_SECONDS', 30),
          attempts: env.int('EAS_JOB_ATTEMPTS', 3),
          s3Prefix: env('EAS_JOB_FILES_PREFIX', 'jobs/'),
        },
      },
    },
    'users-permissions': {
      config: {
        jwtManagement: 'refresh',
        // The refresh token travels in an httpOnly cookie. It is marked Secure when the public URL is https
        // (production behind nginx); COOKIE_SECURE overrides. A Secure cookie over plain http would fail sign-in.
        // Max-Age makes it a persistent cookie: a phone's browser restarting does not sign the worker out.
        sessions: {
          httpOnly: true,
          accessTokenLifespan: sessions.accessSeconds,
          idleRefreshTokenLifespan: sessions.idleSeconds,
          maxRefreshTokenLifespan: sessions.maxSeconds,
          cookie: {
            secure: env.bool('COOKIE_SECURE', env('PUBLIC_URL', '').startsWith('https://')),
            maxAge: sessions.idleSeconds * 1000,
          },
        },
        // Off: its limiter counts per process and keys some routes on the email in the body. EAS's limit
        // (plugin::eas.auth-rate-limit in config/middlewares.ts) covers these routes for all instances together.
        ratelimit: { enabled: false },
      },
    },
    upload: {
      config: {
        ...(env('S3_BUCKET') ? s3Provider(env) : {}),
        sizeLimit: uploadMaxMb(env) * MB,
        security: {
          allowedTypes: ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'],
          deniedTypes: ['image/svg+xml', 'text/html'],
        },
      },
    },
  };
};

export default config;
