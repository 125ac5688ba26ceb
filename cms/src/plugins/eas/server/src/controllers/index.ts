import form from './form';
import overview from './overview';
import record from './record';
import review from './review';

export default { form, overview, record, review };
