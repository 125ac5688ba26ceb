import auditCheckpoint from './audit-checkpoint';
import auditEntry from './audit-entry';
import auditNote from './audit-note';
import evidenceFile from './evidence-file';
import form from './form';
import formVersion from './form-version';
import job from './job';
import photo from './photo';
import record from './record';
import signature from './signature';
import webhookDelivery from './webhook-delivery';
import webhookEndpoint from './webhook-endpoint';

export default {
  'audit-checkpoint': auditCheckpoint,
  'audit-entry': auditEntry,
  'audit-note': auditNote,
  'evidence-file': evidenceFile,
  form,
  'form-version': formVersion,
  job,
  photo,
  record,
  signature,
  'webhook-delivery': webhookDelivery,
  'webhook-endpoint': webhookEndpoint,
};
