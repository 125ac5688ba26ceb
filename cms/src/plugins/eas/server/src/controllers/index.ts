import form from './form';
import overview from './overview';

export default { form, overview };
