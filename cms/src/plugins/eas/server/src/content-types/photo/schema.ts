export default {
  kind: 'collectionType',
  collectionName: 'eas_photos',
  info: {
    singularName: 'photo',
    pluralName: 'photos',
    displayName: 'Photo',
    description: 'Front or back photo of a record, processed (oriented, metadata stripped) and hashed.',
  },
  options: { draftAndPublish: false },
  // One photo per side per record, also with several instances uploading at once.
  indexes: [{ name: 'eas_photos_slot_key_uq', columns: ['slot_key'], type: 'unique' }],
  pluginOptions: {
    'content-manager': { visible: false },
    'content-type-builder': { visible: false },
  },
  attributes: {
    record: { type: 'relation', relation: 'manyToOne', target: 'plugin::eas.record', inversedBy: 'photos' },
    // "front", "back" or the key of one of the form's photo fields (shared/photo-slots.ts); stored as text either way.
    side: { type: 'string', required: true, maxLength: 60 },
    // Display copy (long edge ≤ 2048 px) and thumbnail (≤ 320 px) in the private evidence store.
    file: { type: 'relation', relation: 'oneToOne', target: 'plugin::eas.evidence-file' },
    thumbnail: { type: 'relation', relation: 'oneToOne', target: 'plugin::eas.evidence-file' },
    width: { type: 'integer' },
    height: { type: 'integer' },
    bytes: { type: 'integer' },
    sha256: { type: 'string', maxLength: 64 },
    originalSha256: { type: 'string', maxLength: 64 },
    // SHA-256 of the bytes received (the device's downscaled upload): a retry of the same upload is recognised by
    // it, and it is what a signature's content hash covers (the phone knows it when the person signs).
    receivedSha256: { type: 'string', maxLength: 64 },
    // "<record documentId>:<side>", unique.
    slotKey: { type: 'string', maxLength: 100, private: true },
    // Device capture metadata: { takenAt, device, gps: { lat, lng, accuracy } } as the person allowed.
    metadata: { type: 'json' },
    // Quality gates (docs/photo-quality.md): measures, flags and near-duplicates, derived by the server from the
    // stored bytes and the record; not part of the integrity hash (recomputable, and a later upload elsewhere may
    // name this one as its duplicate). qualityFlags: ",blurred,time_mismatch," for filtering on any database.
    quality: { type: 'json' },
    qualityFlags: { type: 'string', maxLength: 255 },
    perceptualHash: { type: 'string', maxLength: 16 },
  },
};
