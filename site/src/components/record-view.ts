/**
 * <eas-record-view>: one of the person's records as the server keeps it, read-only — answers, photos, signatures,
 * the server's receipts (SHA-256) and its PDF receipt; a rejected record offers "Fix and resend".
 */
import { el } from '../lib/dom';
import { recordSummary } from '../../../cms/src/plugins/eas/shared/display';
import { recordListItems } from '../lib/record-lines';
import type { PublishedForm } from '../../../cms/src/plugins/eas/shared/contracts/form';
import type { RecordView } from '../../../cms/src/plugins/eas/shared/contracts/record';
import { ApiError } from '../lib/api';
import { getApi, isSignedIn, loadForm } from '../lib/app';
import { inPersonsLanguage } from '../lib/form-language';
import { fixLink, kindOf } from '../lib/record-rows';
import { formatDateTime, t } from '../lib/i18n';
import { badgeClass, statusWord } from '../lib/status-words';
import { WORDS } from './page-dates';

const when = (iso: string | null) => (iso ? formatDateTime(iso) : '—');

class RecordViewElement extends HTMLElement {
  #q<T extends HTMLElement = HTMLElement>(selector: string) {
    return this.querySelector<T>(selector)!;
  }

  connectedCallback() {
    void this.#start().catch((err) => this.#fail(err));
  }

  #fail(err: unknown) {
    const status = this.#q('[data-status]');
    status.hidden = false;
    status.className = 'error';
    status.textContent =
      err instanceof ApiError && err.kind === 'offline'
        ? t('recordView.offline')
        : err instanceof ApiError && (err.kind === 'not-found' || err.kind === 'forbidden')
          ? t('record.notYours')
          : err instanceof Error
            ? err.message
            : t('recordView.failed');
  }

  async #start() {
    if (!isSignedIn()) {
      location.replace('/');
      return;
    }
    const id = new URLSearchParams(location.search).get('id') ?? '';
    const api = getApi();
    const record = await api.getRecord(id);
    let form: PublishedForm | undefined;
    try {
      form = (await loadForm(record.form.slug, record.form.version)) ?? (await api.getFormVersion(record.form.slug, record.form.version));
      if (form) form = inPersonsLanguage(form);
    } catch {
      form = undefined;
    }
    this.#render(record, form);
  }

  #render(record: RecordView & { summary?: string | null }, form: PublishedForm | undefined) {
    const summary = record.summary !== undefined ? record.summary : form ? recordSummary(form.definition, record.data) : null;
    document.title = `${summary ?? record.form.name} — EAS`;
    this.#q('[data-title]').textContent = summary ?? record.form.name;
    const kind = kindOf(record.status);
    const badge = this.#q('[data-badge]');
    badge.className = badgeClass(kind);
    badge.textContent = statusWord(record.status);
    this.#q('[data-meta]').textContent = [
      record.form.name,
      record.reference,
      t('recordView.captured', { when: when(record.capturedAt) }),
      t('recordView.submitted', { when: when(record.submittedAt) }),
    ].join(' · ');
    if (record.status === 'rejected' || record.status === 'approved') {
      const comment = this.#q('[data-comment]');
      if (record.reviewComment) {
        comment.replaceChildren(el('strong', {}, t('record.comment')), ' ', record.reviewComment);
        comment.hidden = false;
      }
    }
    const fix = record.status === 'rejected' ? fixLink(record) : null;
    if (fix) {
      const a = this.#q<HTMLAnchorElement>('[data-fix]');
      a.href = fix;
      a.hidden = false;
    }
    if (record.status !== 'draft') {
      const pdf = this.#q<HTMLButtonElement>('[data-pdf]');
      pdf.hidden = false;
      pdf.addEventListener('click', () => void this.#download(record.documentId, pdf));
    }

    const fields = this.#q('[data-fields]');
    const definitions =
      form?.definition.fields ?? Object.keys(record.data).map((key) => ({ key, label: key, type: 'text' as const, required: false }));
    if (record.redactedAt) fields.append(el('p', { className: 'muted' }, t('recordView.redacted')));
    fields.append(...recordListItems({ fields: definitions }, record.data, WORDS));

    const media = this.#q('[data-media]');
    for (const photo of record.photos) {
      const label =
        form?.definition.photos.find((p) => p.side === photo.side)?.label ??
        t(photo.side === 'front' ? 'record.frontPhoto' : 'record.backPhoto');
      media.append(
        el('figure', {}, el('img', { src: photo.thumbnailUrl || photo.url, alt: label, loading: 'lazy' }), el('figcaption', {}, label))
      );
    }
    for (const sig of record.signatures) {
      const name = sig.signerName ?? '—';
      const caption = sig.role
        ? t('recordView.signedByRole', { name, role: sig.role, when: when(sig.signedAt) })
        : t('recordView.signedBy', { name, when: when(sig.signedAt) });
      media.append(
        el(
          'figure',
          {},
          el('img', { src: sig.url, alt: t('record.signatureOf', { name: sig.signerName ?? sig.slot }) }),
          el('figcaption', {}, caption)
        )
      );
    }
    this.#q('[data-media-title]').hidden = !media.childElementCount;

    const receipts = this.#q('[data-receipts]');
    const receipt = (label: string, sha: string | null) => {
      const li = el('li', { className: 'receipt receipt-done' }, el('span', { className: 'receipt-label' }, label));
      li.append(sha ? el('code', {}, sha) : el('span', { className: 'muted' }, '—'));
      return li;
    };
    for (const photo of record.photos)
      receipts.append(receipt(form?.definition.photos.find((p) => p.side === photo.side)?.label ?? photo.side, photo.sha256));
    for (const sig of record.signatures) receipts.append(receipt(t('signatureSlot.title', { role: sig.role ?? sig.slot }), sig.sha256));
    receipts.append(receipt(t('recordView.wholeRecord'), record.integrityHash));

    this.#q('[data-status]').hidden = true;
    this.#q('[data-record]').hidden = false;
  }

  async #download(documentId: string, button: HTMLButtonElement) {
    const error = this.#q('[data-pdf-error]');
    error.hidden = true;
    button.disabled = true;
    try {
      const { blob, filename } = await getApi().getReceiptPdf(documentId);
      const url = URL.createObjectURL(blob);
      const a = el('a', { href: url, download: filename });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (err) {
      error.textContent =
        err instanceof ApiError && err.kind === 'offline'
          ? t('recordView.pdfOffline')
          : err instanceof Error
            ? err.message
            : t('recordView.pdfFailed');
      error.hidden = false;
    } finally {
      button.disabled = false;
    }
  }
}
customElements.define('eas-record-view', RecordViewElement);
