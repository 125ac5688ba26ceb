import os from 'os';
import { parsePrivateKey, parsePublicKey } from '../utils/signing-key';

export interface EasConfig {
  /** Public origin of the deployment (PUBLIC_URL), used for absolute links such as PDF verify URLs. */
  publicUrl: string;
  images: {
    /** Largest accepted upload (UPLOAD_MAX_MB, default 20). */
    maxMegabytes: number;
    /** Largest accepted image in megapixels, checked from the header (IMAGE_MAX_MEGAPIXELS, default 50). */
    maxMegapixels: number;
    /** Long edge of stored display copies (IMAGE_DISPLAY_EDGE, default 2048). */
    displayEdge: number;
    /** Images processed at once per process (IMAGE_CONCURRENCY, default 2). */
    concurrency: number;
    /** Uploads allowed to wait for processing before new ones get 503 (IMAGE_QUEUE_MAX, default 32). */
    queueMax: number;
    /** Files of failed uploads that no record points at are removed after this many minutes (EAS_ORPHAN_MINUTES, default 60). */
    orphanMinutes: number;
    /** Photo EXIF time further than this from the record's capture time is flagged (EAS_PHOTO_TIME_SKEW_MINUTES, default 30). */
    photoTimeSkewMinutes: number;
    /** Photo EXIF position further than this from the record's location is flagged (EAS_PHOTO_GPS_DISTANCE_M, default 500). */
    photoGpsDistanceMetres: number;
    /**
     * C2PA content credentials on stored photos (EAS_CONTENT_CREDENTIALS, default on): signed with the sealing key
     * when its certificate qualifies for C2PA; `0` turns them off.
     */
    contentCredentials?: boolean;
  };
  /** Email notifications (on when SMTP_HOST is set): rejections to the owner, submissions to a form's notify list. */
  notifications: { enabled: boolean };
  /** Where evidence bytes live: a private folder no static route serves, or a private S3 prefix. */
  evidence: {
    /** Local folder (EAS_EVIDENCE_DIR, default cms/evidence); used when no bucket is configured. */
    dir: string;
    s3: null | {
      bucket: string;
      region: string;
      endpoint?: string;
      forcePathStyle: boolean;
      accessKeyId?: string;
      secretAccessKey?: string;
      /** Key prefix inside the bucket (EAS_EVIDENCE_PREFIX, default "evidence/"). */
      prefix: string;
    };
  };
  /** Chain of custody: the audit log's checkpoints and the integrity sweep. */
  custody: {
    /** Ed25519 private key (EAS_SIGNING_KEY, or the file EAS_SIGNING_KEY_FILE): PKCS#8 PEM or base64 DER. */
    signingKey: string;
    /** Public keys of earlier signing keys whose checkpoints stay trusted (EAS_TRUSTED_PUBLIC_KEYS, comma separated). */
    trustedPublicKeys: string[];
    /** The chain head is signed this often (EAS_CHECKPOINT_MINUTES, default 15). */
    checkpointMinutes: number;
    /** Every record and file is re-checked this often (EAS_INTEGRITY_SWEEP_MINUTES, default 1440; 0 = only on demand). */
    sweepMinutes: number;
  };
  /** The PAdES seal of every evidence PDF (utils/pdf-seal.ts, docs/sealing.md). */
  seal: {
    /** Private key, PEM (EAS_SEAL_KEY or the file EAS_SEAL_KEY_FILE). Empty outside production: a self-signed one is made at boot. */
    key: string;
    /** Certificate and chain, PEM, signing certificate first (EAS_SEAL_CERT or EAS_SEAL_CERT_FILE). */
    cert: string;
    /** Or the key and chain as a PKCS#12 file (EAS_SEAL_P12_FILE), base64; its password EAS_SEAL_P12_PASSWORD(_FILE). */
    p12?: string;
    p12Password?: string;
    /** RFC 3161 Time-Stamping Authority (TSA_URL): with it seals are PAdES B-T, without B-B. */
    tsaUrl: string;
    /** How long the TSA may take (EAS_TSA_TIMEOUT_MS, default 10000). */
    tsaTimeoutMs: number;
  };
  pdf: {
    /** PDFs rendered at once (PDF_CONCURRENCY, default: number of cores). */
    concurrency: number;
    /** Hard limit per PDF (PDF_TIMEOUT_SECONDS, default 30). */
    timeoutSeconds: number;
    /** The browser is replaced after this many PDFs (PDF_RECYCLE_AFTER, default 200). */
    recycleAfter: number;
  };
  realtime: {
    /**
     * Every this many seconds each instance re-checks the users, sessions and permissions of its open sockets and
     * disconnects revoked ones (EAS_SOCKET_RECHECK_SECONDS, default 3). Writes seen by this instance trigger a check
     * at once as well; the periodic one is what bounds the delay, also for writes made on another instance.
     */
    recheckSeconds: number;
  };
  /** Limits shared by every instance of a deployment (docs/limits.md). */
  limits: {
    /** Attempts per client address per window on each sign-in, registration, password and confirmation route. */
    auth: {
      /** AUTH_RATE_LIMIT_MAX, default 5. */
      max: number;
      /** AUTH_RATE_LIMIT_WINDOW_MS, default 60000 (whole seconds). */
      windowMs: number;
    };
    /** Open live sockets at once (EAS_SOCKETS_PER_USER default 10, EAS_SOCKETS_PER_ADDRESS default 100). */
    sockets: { perUser: number; perAddress: number };
  };
  /** Prometheus metrics at GET /metrics (services/metrics.ts). */
  metrics: {
    /**
     * Bearer token a scraper must send (EAS_METRICS_TOKEN, or the file EAS_METRICS_TOKEN_FILE); at least 16
     * characters. Empty: the endpoint is off (404).
     */
    token: string;
  };
  /**
   * The one Redis of a deployment with several instances (docs/limits.md, docs/jobs.md): shared rate limits and socket
   * caps, socket.io events, BullMQ job queues. Empty url: each of those runs in this process (and the database).
   */
  redis: {
    /** REDIS_URL. */
    url: string;
    /**
     * Namespace of this deployment's keys and channels (EAS_REDIS_PREFIX, default "eas"): counters under "<prefix>…",
     * job queues under "<prefix>-jobs", socket.io events on "<prefix>-socket.io". Deployments sharing one Redis need
     * different ones, or they take each other's jobs and see each other's events.
     */
    prefix: string;
  };
  /** Origins besides PUBLIC_URL's that may open live sockets and call the API from a browser (CORS_ORIGINS). */
  corsOrigins: string[];
  /** Background jobs (services/jobs.ts, docs/jobs.md). */
  jobs: {
    /** Whether this process runs job workers (EAS_JOB_WORKERS, default on; `npm run worker` always does). */
    workers: boolean;
    /**
     * 'app' for `npm start` / `strapi start`; 'worker' for `npm run worker` (no HTTP server, no socket.io); 'tool'
     * for one-off commands such as `npm run verify` (no job workers).
     */
    role: 'app' | 'worker' | 'tool';
    /** A finished export's ZIP is deleted, and the job forgotten, after this many hours (EAS_EXPORT_RETENTION_HOURS, default 24). */
    retentionHours: number;
    /** A job whose worker stops renewing its lock this long is taken up by another worker (EAS_JOB_LOCK_SECONDS, default 30). */
    lockSeconds: number;
    /** Tries per job before it is marked failed (EAS_JOB_ATTEMPTS, default 3). */
    attempts: number;
    /** Job files (parts, results) in S3 when evidence is: key prefix (EAS_JOB_FILES_PREFIX, default "jobs/"). */
    s3Prefix: string;
  };
  /** The feed for analysis tools (services/feed.ts, docs/feed.md). */
  feed: {
    /** Rows changed less than this long ago wait for the next pull (EAS_FEED_SETTLE_MS, default 2000; 0 = none). */
    settleMs: number;
  };
  /** Webhooks (services/webhooks.ts, docs/webhooks.md). */
  webhooks: {
    /** EAS_WEBHOOKS_ALLOW_INTERNAL=1: endpoints may point at loopback, private, link-local and metadata addresses. */
    allowInternal: boolean;
    /** One delivery attempt gives up after this long (EAS_WEBHOOK_TIMEOUT_MS, default 10000). */
    timeoutMs: number;
    /** Attempts per delivery before it is marked failed (EAS_WEBHOOK_MAX_ATTEMPTS, default 8). */
    maxAttempts: number;
    /** First retry delay; doubled each attempt (EAS_WEBHOOK_RETRY_BASE_MS, default 5000). */
    retryBaseMs: number;
    /** Longest wait between two attempts (EAS_WEBHOOK_RETRY_MAX_MS, default 21600000 = 6 h). */
    retryMaxMs: number;
  };
  /** Field-staff sessions (the lifespans themselves are users-permissions settings, config/plugins.ts). */
  sessions: {
    /**
     * A refresh token presented again this many seconds or more after it was rotated is taken for a stolen copy:
     * every session of its family is revoked (EAS_REFRESH_REUSE_GRACE_SECONDS, default 30). Within it — two tabs
     * refreshing at once — Strapi's own answer stands (401 for the late one) and nothing is revoked.
     */
    reuseGraceSeconds: number;
  };
}

export default {
  default: (): EasConfig => ({
    publicUrl: '',
    images: {
      maxMegabytes: 20,
      maxMegapixels: 50,
      displayEdge: 2048,
      concurrency: 2,
      queueMax: 32,
      orphanMinutes: 60,
      photoTimeSkewMinutes: 30,
      photoGpsDistanceMetres: 500,
      contentCredentials: true,
    },
    notifications: { enabled: false },
    evidence: { dir: '', s3: null },
    custody: { signingKey: '', trustedPublicKeys: [], checkpointMinutes: 15, sweepMinutes: 1440 },
    seal: { key: '', cert: '', tsaUrl: '', tsaTimeoutMs: 10_000 },
    pdf: { concurrency: Math.max(1, os.cpus().length), timeoutSeconds: 30, recycleAfter: 200 },
    realtime: { recheckSeconds: 3 },
    redis: { url: '', prefix: 'eas' },
    corsOrigins: [],
    jobs: { workers: true, role: 'app', retentionHours: 24, lockSeconds: 30, attempts: 3, s3Prefix: 'jobs/' },
    sessions: { reuseGraceSeconds: 30 },
    feed: { settleMs: 2000 },
    webhooks: { allowInternal: false, timeoutMs: 10_000, maxAttempts: 8, retryBaseMs: 5000, retryMaxMs: 6 * 3600_000 },
    limits: { auth: { max: 5, windowMs: 60_000 }, sockets: { perUser: 10, perAddress: 100 } },
    metrics: { token: '' },
  }),
  validator(config: EasConfig) {
    if (config.publicUrl && !/^https?:\/\//.test(config.publicUrl)) {
      throw new Error(`eas.publicUrl (PUBLIC_URL) must start with http:// or https:// (got "${config.publicUrl}")`);
    }
    for (const group of ['images', 'pdf', 'realtime'] as const) {
      for (const [key, value] of Object.entries(config[group])) {
        if (typeof value === 'boolean') continue;
        if (!Number.isFinite(value) || value <= 0) throw new Error(`eas.${group}.${key} must be a positive number (got ${value})`);
      }
    }
    const { auth, sockets } = config.limits;
    const { redis } = config;
    const positiveInteger = (name: string, value: number) => {
      if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number (got ${value})`);
    };
    positiveInteger('AUTH_RATE_LIMIT_MAX', auth.max);
    positiveInteger('AUTH_RATE_LIMIT_WINDOW_MS', auth.windowMs);
    if (auth.windowMs % 1000 !== 0)
      throw new Error(`AUTH_RATE_LIMIT_WINDOW_MS must be whole seconds, a multiple of 1000 (got ${auth.windowMs})`);
    positiveInteger('EAS_SOCKETS_PER_USER', sockets.perUser);
    positiveInteger('EAS_SOCKETS_PER_ADDRESS', sockets.perAddress);
    if (redis.url && !/^rediss?:\/\//.test(redis.url))
      throw new Error(`REDIS_URL must be a redis:// or rediss:// URL (got "${redis.url.split(':')[0]}:…")`);
    if (!/^[A-Za-z0-9_-]{1,60}$/.test(redis.prefix))
      throw new Error(`EAS_REDIS_PREFIX must be 1–60 letters, digits, '_' or '-' (got "${redis.prefix}")`);
    const { jobs } = config;
    for (const key of ['retentionHours', 'lockSeconds', 'attempts'] as const) {
      if (!Number.isFinite(jobs[key]) || jobs[key] <= 0) throw new Error(`eas.jobs.${key} must be a positive number (got ${jobs[key]})`);
    }
    if (jobs.role === 'worker' && !redis.url) {
      throw new Error(
        '`npm run worker` needs REDIS_URL: a separate worker process takes jobs from the Redis queues (without Redis, jobs run inside the Strapi instance)'
      );
    }
    for (const [key, value] of Object.entries(config.webhooks)) {
      if (typeof value === 'number' && (!Number.isFinite(value) || value <= 0))
        throw new Error(`eas.webhooks.${key} must be a positive number (got ${value})`);
    }
    if (!Number.isFinite(config.feed.settleMs) || config.feed.settleMs < 0)
      throw new Error(`eas.feed.settleMs (EAS_FEED_SETTLE_MS) must be a number ≥ 0 (got ${config.feed.settleMs})`);
    const grace = config.sessions.reuseGraceSeconds;
    if (!Number.isFinite(grace) || grace < 0)
      throw new Error(`eas.sessions.reuseGraceSeconds (EAS_REFRESH_REUSE_GRACE_SECONDS) must be a number ≥ 0 (got ${grace})`);
    const token = config.metrics.token;
    if (token && (token.length < 16 || /\s/.test(token))) {
      throw new Error(
        'EAS_METRICS_TOKEN must be at least 16 characters without spaces (e.g. `openssl rand -hex 32`); leave it empty to turn /metrics off'
      );
    }
    const { seal } = config;
    if (Boolean(seal.key) !== Boolean(seal.cert))
      throw new Error('EAS_SEAL_KEY and EAS_SEAL_CERT (or their _FILE forms) go together: set both or neither');
    if (seal.p12 && seal.key)
      throw new Error('EAS_SEAL_P12_FILE and EAS_SEAL_KEY/EAS_SEAL_CERT are two ways to give the sealing key: set one of them');
    if (!seal.key && !seal.p12 && process.env.NODE_ENV === 'production') {
      throw new Error(
        'EAS_SEAL_KEY and EAS_SEAL_CERT (or EAS_SEAL_KEY_FILE and EAS_SEAL_CERT_FILE, or EAS_SEAL_P12_FILE) are not set: every evidence PDF is sealed with that key and certificate (docs/sealing.md)'
      );
    }
    if (seal.tsaUrl && !/^https?:\/\//.test(seal.tsaUrl))
      throw new Error(`TSA_URL must be an http:// or https:// URL (got "${seal.tsaUrl}")`);
    if (!Number.isInteger(seal.tsaTimeoutMs) || seal.tsaTimeoutMs <= 0)
      throw new Error(`EAS_TSA_TIMEOUT_MS must be a positive whole number (got ${seal.tsaTimeoutMs})`);
    const { custody } = config;
    if (!custody.signingKey) {
      throw new Error(
        'EAS_SIGNING_KEY (or EAS_SIGNING_KEY_FILE) is not set: EAS signs the head of its audit chain with an Ed25519 key kept outside the database. `npm start` generates one for development; in production create one with `openssl genpkey -algorithm ed25519` and set it.'
      );
    }
    try {
      parsePrivateKey(custody.signingKey);
    } catch (err) {
      throw new Error(`EAS_SIGNING_KEY is not a usable Ed25519 private key (PKCS#8 PEM or base64 DER): ${(err as Error).message}`, {
        cause: err,
      });
    }
    custody.trustedPublicKeys.forEach((k, i) => {
      try {
        parsePublicKey(k);
      } catch (err) {
        throw new Error(`EAS_TRUSTED_PUBLIC_KEYS entry ${i + 1} is not an Ed25519 public key: ${(err as Error).message}`, { cause: err });
      }
    });
    if (!(custody.checkpointMinutes > 0))
      throw new Error(`eas.custody.checkpointMinutes must be a positive number (got ${custody.checkpointMinutes})`);
    if (!(custody.sweepMinutes >= 0))
      throw new Error(`eas.custody.sweepMinutes must be 0 (off) or a positive number (got ${custody.sweepMinutes})`);
  },
};
