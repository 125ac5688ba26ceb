export default {
  kind: 'collectionType',
  collectionName: 'eas_form_versions',
  info: {
    singularName: 'form-version',
    pluralName: 'form-versions',
    displayName: 'Form version',
    description: 'Frozen definition of a form as published; records validate and display against it forever.',
  },
  options: { draftAndPublish: false },
  indexes: [{ name: 'eas_form_versions_form_idx', columns: ['form_document_id', 'version'] }],
  pluginOptions: {
    'content-manager': { visible: false },
    'content-type-builder': { visible: false },
  },
  attributes: {
    // The form's documentId (stable across draft/published rows; a relation to a draft-and-publish type is not).
    formDocumentId: { type: 'string', required: true, maxLength: 64 },
    slug: { type: 'string', required: true },
    name: { type: 'string', required: true },
    // "Site inspection v2": how the version reads in the Content Manager.
    label: { type: 'string' },
    version: { type: 'integer', required: true, min: 1 },
    // { name, description, fields[], photos{front,back}, signatures[], pdf } — see shared/contracts/form.ts
    definition: { type: 'json', required: true },
  },
};
