/** Every UID, permission action and state name of the plugin, declared once. */
export const PLUGIN_ID = 'eas';

export const UID = {
  form: 'plugin::eas.form',
  formVersion: 'plugin::eas.form-version',
  record: 'plugin::eas.record',
  recordEvent: 'plugin::eas.record-event',
  photo: 'plugin::eas.photo',
  signature: 'plugin::eas.signature',
  user: 'plugin::users-permissions.user',
  role: 'plugin::users-permissions.role',
} as const;

/** Admin (RBAC) actions; an "Editor" admin role is granted exactly these. */
export const ADMIN_ACTIONS = {
  read: 'plugin::eas.read',
  review: 'plugin::eas.review',
  export: 'plugin::eas.export',
} as const;

/** Admin role created on first boot: exactly the EAS permissions plus read-only Content-Manager access to records/forms. */
export const EDITOR_ROLE = { name: 'EAS editor', description: 'Reviews and exports EAS records. Created by the EAS plugin.' } as const;

/** users-permissions role that field staff belong to. */
export const FIELD_STAFF_ROLE = { type: 'field-staff', name: 'Field staff' } as const;

/** Content API actions granted to the Field staff role (controller.action of this plugin). */
export const FIELD_STAFF_ACTIONS = [
  'form.find',
  'form.findOne',
  'record.find',
  'record.findOne',
  'record.create',
  'record.update',
  'record.submit',
  'evidence.putPhoto',
  'evidence.putSignature',
  'pdf.receipt',
] as const;

export const RECORD_STATES = ['draft', 'submitted', 'approved', 'rejected'] as const;
export type RecordState = (typeof RECORD_STATES)[number];

export const FIELD_TYPES = [
  'text',
  'textarea',
  'number',
  'date',
  'select',
  'multiselect',
  'checkbox',
  'email',
  'phone',
] as const;

/** The components of a form entry, populated wherever its definition is read. */
export const FORM_COMPONENTS = ['fields', 'frontPhoto', 'backPhoto', 'signatures', 'pdf'];

export const PHOTO_SIDES = ['front', 'back'] as const;
