export default {
  kind: 'collectionType',
  collectionName: 'eas_signatures',
  info: {
    singularName: 'signature',
    pluralName: 'signatures',
    displayName: 'Signature',
    description: 'Handwritten signature for one signature slot of a record, with what the signer consented to.',
  },
  options: { draftAndPublish: false },
  indexes: [{ name: 'eas_signatures_slot_key_uq', columns: ['slot_key'], type: 'unique' }],
  pluginOptions: {
    'content-manager': { visible: false },
    'content-type-builder': { visible: false },
  },
  attributes: {
    record: { type: 'relation', relation: 'manyToOne', target: 'plugin::eas.record', inversedBy: 'signatures' },
    slot: { type: 'string', required: true, maxLength: 60 },
    role: { type: 'string', maxLength: 100 },
    signerName: { type: 'string', maxLength: 200 },
    file: { type: 'relation', relation: 'oneToOne', target: 'plugin::eas.evidence-file' },
    // signature_pad toData(): stroke groups of points, kept so the signature can be re-rendered or checked.
    strokes: { type: 'json' },
    consentText: { type: 'text' },
    // The language of the consent text signed (one of the form's languages; empty when the form declares none).
    consentLanguage: { type: 'string', maxLength: 20 },
    signedAt: { type: 'datetime' },
    sha256: { type: 'string', maxLength: 64 },
    receivedSha256: { type: 'string', maxLength: 64, private: true },
    // "<record documentId>:<slot>", unique.
    slotKey: { type: 'string', maxLength: 100, private: true },
    // What the person signed for: SHA-256 of the record's content document (data and photos as sent, see
    // shared/integrity.ts), computed by the phone when they signed and checked against the stored content.
    contentHash: { type: 'string', maxLength: 64 },
    // SHA-256 of the canonical strokes JSON, so the vector signature is covered by the integrity hash too.
    strokesSha256: { type: 'string', maxLength: 64 },
  },
};
