import evidence from './evidence';
import form from './form';
import media from './media';
import overview from './overview';
import pdf from './pdf';
import record from './record';
import review from './review';

export default { evidence, form, media, overview, pdf, record, review };
