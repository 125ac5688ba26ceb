import form from './form';
import overview from './overview';
import setup from './setup';

export default { form, overview, setup };
