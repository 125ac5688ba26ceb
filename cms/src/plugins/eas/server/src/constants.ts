/** Every UID, permission action and state name of the plugin, declared once. */
export const PLUGIN_ID = 'eas';

export const UID = {
  form: 'plugin::eas.form',
  formVersion: 'plugin::eas.form-version',
  record: 'plugin::eas.record',
  photo: 'plugin::eas.photo',
  signature: 'plugin::eas.signature',
  evidenceFile: 'plugin::eas.evidence-file',
  auditEntry: 'plugin::eas.audit-entry',
  auditCheckpoint: 'plugin::eas.audit-checkpoint',
  auditNote: 'plugin::eas.audit-note',
  job: 'plugin::eas.job',
  webhookEndpoint: 'plugin::eas.webhook-endpoint',
  webhookDelivery: 'plugin::eas.webhook-delivery',
  user: 'plugin::users-permissions.user',
  role: 'plugin::users-permissions.role',
} as const;

/** Admin (RBAC) actions. The "EAS editor" role gets read, review and export; redaction is granted explicitly. */
export const ADMIN_ACTIONS = {
  read: 'plugin::eas.read',
  review: 'plugin::eas.review',
  export: 'plugin::eas.export',
  redact: 'plugin::eas.redact',
  /** Webhook endpoints and their delivery log (docs/webhooks.md): administrators only by default. */
  webhooks: 'plugin::eas.webhooks.manage',
} as const;

/** Evidence types: nobody deletes them through any route (records, media, files, the audit log and its checkpoints). */
export const EVIDENCE_UIDS = [
  UID.record,
  UID.photo,
  UID.signature,
  UID.evidenceFile,
  UID.auditEntry,
  UID.auditCheckpoint,
  UID.auditNote,
  UID.formVersion,
] as const;

/** Every content type of the plugin: invisible in the admin to roles without an EAS permission. */
export const EAS_UIDS = [UID.form, ...EVIDENCE_UIDS, UID.webhookEndpoint, UID.webhookDelivery] as const;

export { EDITOR_ROLE } from '../../shared/roles';

/** users-permissions role that field staff belong to. */
export const FIELD_STAFF_ROLE = { type: 'field-staff', name: 'Field staff' } as const;

/** users-permissions actions granted to the Field staff role besides EAS's own: ending their own session. */
export const FIELD_STAFF_AUTH_ACTIONS = ['plugin::users-permissions.auth.logout'] as const;

/** Content API actions granted to the Field staff role (controller.action of this plugin). */
export const FIELD_STAFF_ACTIONS = [
  'form.find',
  'form.findOne',
  'form.findVersion',
  'record.find',
  'record.findOne',
  'record.create',
  'record.update',
  'record.submit',
  'evidence.putPhoto',
  'evidence.putSignature',
  'pdf.receipt',
] as const;

export { RECORD_STATES } from '../../shared/contracts/record';

export { FIELD_TYPES } from '../../shared/contracts/form';

/** The components of a form entry, populated wherever its definition is read. */
export const FORM_COMPONENTS = ['fields', 'frontPhoto', 'backPhoto', 'signatures', 'pdf'];

/** Kinds of background job (services/jobs.ts): one queue each. */
export const JOB_KINDS = ['pdf-export', 'data-export'] as const;
export type JobKind = (typeof JOB_KINDS)[number];
