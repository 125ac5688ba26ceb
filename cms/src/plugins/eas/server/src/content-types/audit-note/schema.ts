export default {
  kind: 'collectionType',
  collectionName: 'eas_audit_notes',
  info: {
    singularName: 'audit-note',
    pluralName: 'audit-notes',
    displayName: 'Audit note',
    description:
      'Free text an audit entry refers to (a review comment, a redaction reason): kept beside the chain, which holds its SHA-256, so a redaction can remove it.',
  },
  options: { draftAndPublish: false },
  indexes: [{ name: 'eas_audit_notes_entry_idx', columns: ['entry_seq'] }],
  pluginOptions: {
    'content-manager': { visible: false },
    'content-type-builder': { visible: false },
  },
  attributes: {
    entrySeq: { type: 'integer', required: true },
    recordId: { type: 'integer' },
    kind: { type: 'enumeration', enum: ['comment', 'reason'], required: true },
    // Null once redacted; the entry keeps the hash.
    text: { type: 'text' },
    redactedAt: { type: 'datetime' },
  },
};
