export default {
  kind: 'collectionType',
  collectionName: 'eas_forms',
  info: {
    singularName: 'form',
    pluralName: 'forms',
    displayName: 'Form',
    description:
      'A form field staff fill in: fields, front/back photo slots, signatures and PDF options. Publishing freezes a new version.',
  },
  options: { draftAndPublish: true },
  pluginOptions: {
    'content-manager': { visible: true },
    'content-type-builder': { visible: false },
  },
  attributes: {
    name: { type: 'string', required: true, maxLength: 200 },
    slug: { type: 'uid', targetField: 'name', required: true },
    description: { type: 'text' },
    fields: { type: 'component', repeatable: true, component: 'eas.form-field' },
    frontPhoto: { type: 'component', repeatable: false, component: 'eas.photo-slot' },
    backPhoto: { type: 'component', repeatable: false, component: 'eas.photo-slot' },
    signatures: { type: 'component', repeatable: true, component: 'eas.signature-slot' },
    pdf: { type: 'component', repeatable: false, component: 'eas.pdf-options' },
    // Key of the field that names a record in lists (the capture site's "my records"); empty = the first text field.
    listField: { type: 'string', maxLength: 60 },
    // Shown a page at a time on the phone: each top-level group is a page.
    pages: { type: 'boolean', default: false },
    // Language of the form's own texts (e.g. "en") and the other languages it has translations for (comma separated).
    defaultLanguage: { type: 'string', maxLength: 20 },
    languages: { type: 'string', maxLength: 200 },
    // Set by the plugin when the form is published (1, 2, …); 0 = never published.
    version: { type: 'integer', default: 0, min: 0 },
    // Email addresses told about each new submission (one per line or comma separated); needs SMTP.
    notifyEmails: { type: 'text' },
    // Archived forms stay readable (their records too) but accept no new records.
    archived: { type: 'boolean', default: false },
  },
};
