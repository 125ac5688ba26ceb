export default {
  kind: 'collectionType',
  collectionName: 'eas_audit_log',
  info: {
    singularName: 'audit-entry',
    pluralName: 'audit-entries',
    displayName: 'Audit log',
    description:
      'Append-only, hash-chained log of everything done to EAS content: record states, uploads, reviews, exports, redactions and form changes.',
  },
  options: { draftAndPublish: false },
  indexes: [
    { name: 'eas_audit_log_seq_uq', columns: ['seq'], type: 'unique' },
    { name: 'eas_audit_log_record_idx', columns: ['record_id', 'seq'] },
  ],
  pluginOptions: {
    'content-manager': { visible: false },
    'content-type-builder': { visible: false },
  },
  attributes: {
    // 1, 2, 3… without gaps: a missing number is a deleted entry.
    seq: { type: 'integer', required: true },
    at: { type: 'datetime', required: true },
    // "record.created", "photo.stored", "record.reviewed", … (see services/audit.ts).
    action: { type: 'string', required: true, maxLength: 60 },
    actorKind: { type: 'enumeration', enum: ['field-staff', 'admin', 'system'], required: true },
    actorId: { type: 'integer' },
    actorName: { type: 'string', maxLength: 200 },
    // The record concerned (plain columns, not a relation: the log never depends on another table's rows).
    recordId: { type: 'integer' },
    reference: { type: 'string', maxLength: 40 },
    // Hashes, states and counts: what changed, never the captured values themselves (free text people wrote, such
    // as a review comment, is in eas_audit_notes; the entry holds its SHA-256).
    details: { type: 'json' },
    prevHash: { type: 'string', maxLength: 64 },
    hash: { type: 'string', required: true, maxLength: 64 },
    // Ed25519 signature of the hash by the EAS signing key (not in the database): only EAS writes entries.
    signature: { type: 'string', maxLength: 200 },
    keyId: { type: 'string', maxLength: 16 },
  },
};
