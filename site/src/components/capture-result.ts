/**
 * Where a sent record stands, in the capture's result section: submitted (with its reference), saved on the phone
 * to go by itself, sending, or needing the person (the server's own message, and its field errors beside the
 * fields); and a receipt per attachment — progress while it uploads, the server's SHA-256 once it holds it.
 */
import { el } from '../lib/dom';
import type { FieldErrorLike } from '../lib/field-errors';
import { formatNumber, t } from '../lib/i18n';
import { describeWait, statusWord } from '../lib/status-words';
import { isSent, needsAttention, type AttachmentSync, type SyncItem } from '../lib/sync-state';

const KEEP_SAFE = t('capture.keepSafe');

const receipt = (a: AttachmentSync): HTMLElement => {
  const li = el('li', { className: `receipt receipt-${a.state}` });
  li.dataset.key = a.key;
  const label = el('span', { className: 'receipt-label' }, a.label);
  const progress = el('progress', { max: 1, value: a.state === 'done' ? 1 : a.progress });
  progress.setAttribute('aria-label', t('capture.upload', { label: a.label }));
  li.append(label, progress);
  if (a.state === 'done' && a.receipt) {
    li.append(el('span', { className: 'receipt-ok' }, `${t('capture.receipt')} `, el('code', {}, a.receipt)));
  } else if (a.state === 'failed') {
    li.append(el('span', { className: 'error' }, `✗ ${a.error ?? t('capture.notSent')} ${KEEP_SAFE}`));
  } else {
    li.append(
      el(
        'span',
        { className: 'muted' },
        a.state === 'uploading' ? t('capture.uploading', { percent: formatNumber(Math.round(a.progress * 100)) }) : t('capture.waiting')
      )
    );
  }
  return li;
};

/** Shows `item` in the result section of `root`; `fieldError` shows a refused answer beside its field. */
export const showSyncResult = (root: ParentNode, item: SyncItem, fieldError: (error: FieldErrorLike) => void) => {
  const title = root.querySelector<HTMLElement>('#result-title')!;
  const message = root.querySelector<HTMLElement>('[data-result-message]')!;
  const error = root.querySelector<HTMLElement>('[data-result-error]')!;
  const fix = root.querySelector<HTMLElement>('[data-fix]')!;
  const sent = isSent(item);
  const needsPerson = needsAttention(item);
  const saved = item.status === 'queued' || item.status === 'waiting';
  title.textContent = sent
    ? t('capture.submitted')
    : needsPerson
      ? statusWord('failed')
      : saved
        ? t('capture.saved')
        : t('capture.sending');
  error.hidden = true;
  fix.hidden = true;
  if (sent) {
    message.textContent = t('capture.received', { reference: item.reference ?? '' });
  } else if (saved) {
    message.textContent = `${describeWait(item.lastError?.kind, navigator.onLine)} ${KEEP_SAFE}`;
  } else if (needsPerson) {
    message.textContent = '';
  } else {
    message.textContent = t('capture.sendingRecord');
  }
  // A record waiting for the connection is normal, not an error; only what needs the person is shown as one.
  if (item.lastError && needsPerson) {
    error.textContent = t('capture.keptOnPhone', { message: item.lastError.message });
    error.hidden = false;
    fix.hidden = false;
    for (const fe of item.lastError.fieldErrors) fieldError(fe);
  }
  root.querySelector<HTMLElement>('[data-receipts]')!.replaceChildren(...item.attachments.map(receipt));
};
