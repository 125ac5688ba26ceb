import { RECORD_STATES } from '../../../../shared/contracts/record';

export default {
  kind: 'collectionType',
  collectionName: 'eas_records',
  info: {
    singularName: 'record',
    pluralName: 'records',
    displayName: 'Record',
    description: 'One capture by a field-staff user: field values, photos and signatures.',
  },
  options: { draftAndPublish: false },
  // Database-level uniqueness (Strapi's `unique` is checked by the application only): concurrent submissions with
  // one clientId must still produce one record; the loser of the race gets the winner's record back.
  indexes: [
    { name: 'eas_records_client_id_uq', columns: ['client_id'], type: 'unique' },
    { name: 'eas_records_reference_uq', columns: ['reference'], type: 'unique' },
  ],
  pluginOptions: {
    'content-manager': { visible: true },
    'content-type-builder': { visible: false },
  },
  attributes: {
    // Human reference, e.g. EAS-2026-000123 (unique).
    reference: { type: 'string', unique: true, maxLength: 40 },
    // UUID made on the device; makes submission idempotent.
    clientId: { type: 'string', required: true, unique: true, maxLength: 36 },
    // The frozen form version the record was captured with; formSlug is kept for filtering and display.
    formVersion: { type: 'relation', relation: 'manyToOne', target: 'plugin::eas.form-version' },
    formSlug: { type: 'string', maxLength: 100 },
    // Named "state", not "status": the Content Manager drops attributes called status.
    state: {
      type: 'enumeration',
      enum: [...RECORD_STATES],
      default: 'draft',
      required: true,
    },
    data: { type: 'json' },
    capturedAt: { type: 'datetime' },
    submittedAt: { type: 'datetime' },
    reviewedAt: { type: 'datetime' },
    reviewComment: { type: 'text' },
    // { lat, lng, accuracy } in WGS84 degrees / metres.
    location: { type: 'json' },
    owner: { type: 'relation', relation: 'manyToOne', target: 'plugin::users-permissions.user' },
    // The owner's username when they captured the record: what the PDF prints, whatever the account is renamed to.
    capturedBy: { type: 'string', maxLength: 200 },
    photos: { type: 'relation', relation: 'oneToMany', target: 'plugin::eas.photo', mappedBy: 'record' },
    signatures: { type: 'relation', relation: 'oneToMany', target: 'plugin::eas.signature', mappedBy: 'record' },
    // SHA-256 of the record's integrity document (shared/integrity.ts); recomputed on every change, frozen on submit.
    integrityHash: { type: 'string', maxLength: 64 },
    // Set by an audited data-protection redaction: the record, its hashes and its history stay; the redacted
    // values and files are gone.
    redactedAt: { type: 'datetime' },
    // SHA-256 of the submitted payload: tells an idempotent replay from a conflicting one.
    payloadHash: { type: 'string', maxLength: 64, private: true },
  },
};
