import dashboard from './dashboard';
import dataExport from './data-export';
import evidence from './evidence';
import feed from './feed';
import form from './form';
import formBuilder from './form-builder';
import media from './media';
import pdf from './pdf';
import people from './people';
import record from './record';
import redaction from './redaction';
import review from './review';
import verify from './verify';
import webhooks from './webhooks';
import xlsform from './xlsform';

export default {
  dashboard,
  'data-export': dataExport,
  evidence,
  feed,
  form,
  'form-builder': formBuilder,
  media,
  pdf,
  people,
  record,
  redaction,
  review,
  verify,
  webhooks,
  xlsform,
};
