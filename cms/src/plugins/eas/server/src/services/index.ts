import adminLayout from './admin-layout';
import audit from './audit';
import bootLock from './boot-lock';
import bulkExport from './bulk-export';
import dataExport from './data-export';
import dashboard from './dashboard';
import databaseGuards from './database-guards';
import demo from './demo';
import evidence from './evidence';
import evidenceStore from './evidence-store';
import feed from './feed';
import form from './form';
import formBuilder from './form-builder';
import health from './health';
import integrity from './integrity';
import jobs from './jobs';
import lifecycle from './lifecycle';
import limitsStore from './limits-store';
import metrics from './metrics';
import notifications from './notifications';
import orphanSweeper from './orphan-sweeper';
import pdfExport from './pdf-export';
import people from './people';
import rateLimits from './rate-limits';
import realtime from './realtime';
import record from './record';
import redaction from './redaction';
import review from './review';
import sessionGuard from './session-guard';
import setup from './setup';
import socketCaps from './socket-caps';
import webhooks from './webhooks';

export default {
  'admin-layout': adminLayout,
  audit,
  'boot-lock': bootLock,
  'bulk-export': bulkExport,
  'data-export': dataExport,
  dashboard,
  'database-guards': databaseGuards,
  demo,
  evidence,
  'evidence-store': evidenceStore,
  feed,
  form,
  'form-builder': formBuilder,
  health,
  integrity,
  jobs,
  lifecycle,
  'limits-store': limitsStore,
  metrics,
  notifications,
  'orphan-sweeper': orphanSweeper,
  'pdf-export': pdfExport,
  people,
  'rate-limits': rateLimits,
  realtime,
  record,
  redaction,
  review,
  'session-guard': sessionGuard,
  setup,
  'socket-caps': socketCaps,
  webhooks,
};
