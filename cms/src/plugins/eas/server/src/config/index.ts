import os from 'os';

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
  };
  /** Email notifications (on when SMTP_HOST is set): rejections to the owner, submissions to a form's notify list. */
  notifications: { enabled: boolean };
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
}

export default {
  default: (): EasConfig => ({
    publicUrl: '',
    images: { maxMegabytes: 20, maxMegapixels: 50, displayEdge: 2048, concurrency: 2, queueMax: 32, orphanMinutes: 60 },
    notifications: { enabled: false },
    pdf: { concurrency: Math.max(1, os.cpus().length), timeoutSeconds: 30, recycleAfter: 200 },
    realtime: { recheckSeconds: 3 },
  }),
  validator(config: EasConfig) {
    if (config.publicUrl && !/^https?:\/\//.test(config.publicUrl)) {
      throw new Error(`eas.publicUrl (PUBLIC_URL) must start with http:// or https:// (got "${config.publicUrl}")`);
    }
    for (const group of ['images', 'pdf', 'realtime'] as const) {
      for (const [key, value] of Object.entries(config[group])) {
        if (!Number.isFinite(value) || value <= 0) throw new Error(`eas.${group}.${key} must be a positive number (got ${value})`);
      }
    }
  },
};
