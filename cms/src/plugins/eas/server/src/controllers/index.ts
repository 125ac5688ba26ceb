import dashboard from './dashboard';
import evidence from './evidence';
import form from './form';
import media from './media';
import pdf from './pdf';
import record from './record';
import review from './review';

export default { dashboard, evidence, form, media, pdf, record, review };
