import demo from './demo';
import form from './form';
import overview from './overview';
import setup from './setup';

export default { demo, form, overview, setup };
