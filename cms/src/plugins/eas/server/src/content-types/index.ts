import form from './form';
import formVersion from './form-version';
import photo from './photo';
import record from './record';
import recordEvent from './record-event';
import signature from './signature';

export default {
  form,
  'form-version': formVersion,
  record,
  'record-event': recordEvent,
  photo,
  signature,
};
