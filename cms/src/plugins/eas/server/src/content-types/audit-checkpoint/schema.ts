export default {
  kind: 'collectionType',
  collectionName: 'eas_audit_checkpoints',
  info: {
    singularName: 'audit-checkpoint',
    pluralName: 'audit-checkpoints',
    displayName: 'Audit checkpoint',
    description: 'The audit chain head (sequence number and hash) signed with the EAS signing key, which is not in the database.',
  },
  options: { draftAndPublish: false },
  pluginOptions: {
    'content-manager': { visible: false },
    'content-type-builder': { visible: false },
  },
  attributes: {
    seq: { type: 'integer', required: true },
    hash: { type: 'string', required: true, maxLength: 64 },
    at: { type: 'datetime', required: true },
    // First 16 hex digits of the SHA-256 of the public key (SPKI DER) that verifies the signature.
    keyId: { type: 'string', required: true, maxLength: 16 },
    // Ed25519 signature (base64) of the canonical JSON { v, kind, seq, hash, at }.
    signature: { type: 'string', required: true, maxLength: 200 },
  },
};
