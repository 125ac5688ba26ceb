import adminLayout from './admin-layout';
import demo from './demo';
import form from './form';
import lifecycle from './lifecycle';
import overview from './overview';
import record from './record';
import review from './review';
import setup from './setup';

export default { 'admin-layout': adminLayout, demo, form, lifecycle, overview, record, review, setup };
