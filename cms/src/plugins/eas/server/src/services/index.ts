import adminLayout from './admin-layout';
import dashboard from './dashboard';
import demo from './demo';
import evidence from './evidence';
import form from './form';
import health from './health';
import lifecycle from './lifecycle';
import mediaStorage from './media-storage';
import notifications from './notifications';
import orphanSweeper from './orphan-sweeper';
import pdfExport from './pdf-export';
import realtime from './realtime';
import record from './record';
import review from './review';
import setup from './setup';

export default { 'admin-layout': adminLayout, dashboard, demo, evidence, form, health, lifecycle, 'media-storage': mediaStorage, notifications, 'orphan-sweeper': orphanSweeper, 'pdf-export': pdfExport, realtime, record, review, setup };
