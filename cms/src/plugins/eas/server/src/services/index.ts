import adminLayout from './admin-layout';
import demo from './demo';
import evidence from './evidence';
import form from './form';
import lifecycle from './lifecycle';
import mediaStorage from './media-storage';
import overview from './overview';
import pdfExport from './pdf-export';
import record from './record';
import review from './review';
import setup from './setup';

export default { 'admin-layout': adminLayout, demo, evidence, form, lifecycle, 'media-storage': mediaStorage, overview, 'pdf-export': pdfExport, record, review, setup };
