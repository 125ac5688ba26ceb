/**
 * A background job (services/jobs.ts): what every instance knows about it. The queue (BullMQ on Redis, or this
 * table itself in the embedded mode) only carries the job's key; state, progress and the result's place live here.
 */
export default {
  kind: 'collectionType',
  collectionName: 'eas_jobs',
  info: {
    singularName: 'job',
    pluralName: 'jobs',
    displayName: 'Background job',
    description: 'A background job (bulk PDF export, …): owner, progress, result location. Internal to EAS.',
  },
  options: { draftAndPublish: false },
  indexes: [
    { name: 'eas_jobs_key_uq', columns: ['key'], type: 'unique' },
    { name: 'eas_jobs_status_idx', columns: ['kind', 'status'] },
  ],
  pluginOptions: {
    'content-manager': { visible: false },
    'content-type-builder': { visible: false },
  },
  attributes: {
    /** The public id (a UUID): what the API and the queue call the job. */
    key: { type: 'string', required: true, maxLength: 36 },
    kind: { type: 'string', required: true, maxLength: 40 },
    /** The admin user who started it: only they see it. */
    ownerId: { type: 'integer', required: true },
    status: { type: 'enumeration', enum: ['queued', 'running', 'done', 'failed'], required: true, default: 'queued' },
    total: { type: 'integer', required: true, default: 0 },
    done: { type: 'integer', required: true, default: 0 },
    /** Items that could not be processed: [{ index, reference, error }] (listed in errors.txt of an export). */
    failed: { type: 'json', private: true },
    error: { type: 'text' },
    /** What the handler needs (an export's record ids and who asked), kept for a retry on another instance. */
    payload: { type: 'json', private: true },
    /** Key of the result in the private job storage (utils/job-files.ts), once done. */
    resultKey: { type: 'string', maxLength: 200, private: true },
    resultBytes: { type: 'biginteger' },
    attempts: { type: 'integer', required: true, default: 0 },
    /** Embedded mode only: which process holds the job, and until when (renewed while it runs). */
    leaseOwner: { type: 'string', maxLength: 120, private: true },
    leaseUntil: { type: 'datetime', private: true },
    startedAt: { type: 'datetime' },
    finishedAt: { type: 'datetime' },
    /** The result is deleted, and the job forgotten, after this time (EAS_EXPORT_RETENTION_HOURS). */
    expiresAt: { type: 'datetime' },
  },
};
