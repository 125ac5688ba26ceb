export default {
  kind: 'collectionType',
  collectionName: 'eas_evidence_files',
  info: {
    singularName: 'evidence-file',
    pluralName: 'evidence-files',
    displayName: 'Evidence file',
    description: 'A stored photo, thumbnail or signature image: where its bytes are in the private evidence store and their SHA-256.',
  },
  options: { draftAndPublish: false },
  indexes: [{ name: 'eas_evidence_files_key_uq', columns: ['storage_key'], type: 'unique' }],
  pluginOptions: {
    'content-manager': { visible: false },
    'content-type-builder': { visible: false },
  },
  attributes: {
    // Path of the bytes inside the private evidence store (local folder or S3 prefix), never under public/uploads.
    storageKey: { type: 'string', required: true, maxLength: 200, private: true },
    purpose: { type: 'enumeration', enum: ['photo', 'thumbnail', 'signature'], required: true },
    mime: { type: 'string', maxLength: 40 },
    bytes: { type: 'integer' },
    width: { type: 'integer' },
    height: { type: 'integer' },
    sha256: { type: 'string', required: true, maxLength: 64 },
    // Set when the bytes were removed by a data-protection redaction; the row and its hash stay.
    redactedAt: { type: 'datetime' },
  },
};
