export default {
  kind: 'collectionType',
  collectionName: 'eas_record_events',
  info: {
    singularName: 'record-event',
    pluralName: 'record-events',
    displayName: 'Record history',
    description: 'Append-only history of a record: who changed its state, when, from what, to what, and why.',
  },
  options: { draftAndPublish: false },
  pluginOptions: {
    'content-manager': { visible: false },
    'content-type-builder': { visible: false },
  },
  attributes: {
    record: { type: 'relation', relation: 'manyToOne', target: 'plugin::eas.record', inversedBy: 'events' },
    fromState: { type: 'string', maxLength: 20 },
    toState: { type: 'string', required: true, maxLength: 20 },
    comment: { type: 'text' },
    actorKind: { type: 'enumeration', enum: ['field-staff', 'admin', 'system'], required: true },
    actorId: { type: 'integer' },
    actorName: { type: 'string', maxLength: 200 },
    at: { type: 'datetime', required: true },
  },
};
