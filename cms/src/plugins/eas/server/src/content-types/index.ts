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
};
